package dev.distillery.ui.live;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** Live tests on a webcam or a video: teacher and student side by side. */
public final class LiveView extends ScreenPane {
    public LiveView(ShellContext ctx) {
        super(Screen.LIVE, "Run models on a webcam or a video and compare them frame by frame");
        setBody(new EmptyState("mdi2v-video-outline", "No source running",
                "Point one or two models at the same frames, from a webcam, a video file or a folder of images, "
                        + "and see what each one finds and how fast it runs on this machine.",
                List.of("Teacher and student side by side, or overlaid",
                        "Frames per second and latency for each model",
                        "How often the two agree, frame after frame",
                        "Snapshots, recordings, and captures straight into a dataset"),
                "Next step: live tests need a model, so import a teacher first.",
                List.of(Actions.goTo(ctx, Screen.TEACHERS, "Go to Teachers", true))));
    }
}
