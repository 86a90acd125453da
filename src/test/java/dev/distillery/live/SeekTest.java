package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.Prediction;
import dev.distillery.vision.SyntheticSource;
import dev.distillery.vision.TestVideos;
import dev.distillery.vision.VideoFileSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeking a video from the UI: applied by the decode thread, also while paused. */
class SeekTest {
    @TempDir
    Path dir;

    /** A model that answers the index encoded in the frame, so the test sees which frame was shown. */
    static final class IndexModel implements FrameModel {
        @Override
        public String name() {
            return "index";
        }

        @Override
        public Prediction predict(Mat bgr) {
            int i = TestVideos.indexOf(bgr);
            return new Prediction.Classification(List.of(new Prediction.Scored(i, "frame " + i, 1f)));
        }

        @Override
        public void close() {
        }
    }

    static int shownIndex(LivePipeline p) {
        LiveFrame f = p.latest(0);
        return f == null ? -1 : ((Prediction.Classification) f.prediction()).top().get(0).classIndex();
    }

    @Test
    void seekWhilePausedShowsTheChosenFrameAndPositionFollows() throws Exception {
        Path video = TestVideos.write(dir.resolve("seek.avi"), "avi", "mjpeg", 60);
        try (VideoFileSource src = new VideoFileSource(video, true);
             IndexModel model = new IndexModel();
             LivePipeline p = new LivePipeline(src, List.of(model), LivePipeline.Options.display())) {
            assertThat(p.sourceLength()).isEqualTo(60);
            p.start();
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> p.sourcePosition() >= 3);
            p.pause();
            Thread.sleep(300);
            p.seek(40);
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shownIndex(p) == 40);
            assertThat(p.sourcePosition()).isEqualTo(40);
            Thread.sleep(300);
            assertThat(shownIndex(p)).as("still paused after the seek").isEqualTo(40);
            p.resume();
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shownIndex(p) > 41);
        }
    }

    @Test
    void sourcesWithoutPositionsSaySo() {
        try (SyntheticSource src = new SyntheticSource(64, 48, 30, 1, -1);
             IndexModel model = new IndexModel();
             LivePipeline p = new LivePipeline(src, List.of(model), LivePipeline.Options.display())) {
            assertThat(p.sourceLength()).isEqualTo(-1);
            assertThat(p.sourcePosition()).isEqualTo(-1);
        }
    }
}
