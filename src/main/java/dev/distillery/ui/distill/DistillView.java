package dev.distillery.ui.distill;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** Knowledge distillation: datasets, training runs and exported students. */
public final class DistillView extends ScreenPane {
    public DistillView(ShellContext ctx) {
        super(Screen.DISTILL, "Train a tiny student that copies a teacher, then export it");
        setBody(new EmptyState("mdi2f-flask-outline", "No distillation runs yet",
                "Distilling trains a small student network to give the same answers as a big teacher on your own "
                        + "data. The student ends up a fraction of the teacher's size and fast enough to run live "
                        + "on a laptop CPU.",
                List.of("Build a dataset from image folders, videos or webcam captures",
                        "Let the teacher label it, then train a student of the size you choose",
                        "Watch loss and agreement live, with progress, pause and cancel",
                        "Export the student to ONNX, checked against the trained network"),
                "Next step: a run starts from a teacher, so import one first.",
                List.of(Actions.goTo(ctx, Screen.TEACHERS, "Go to Teachers", true),
                        Actions.openFolder(ctx, ctx.session().dataDirectory().datasets(), "Open datasets folder"))));
    }
}
