package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.TinyModels;
import dev.distillery.ui.live.LiveView;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Live screen on a video file: start, see the numbers move, stop. */
class LiveViewTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    static Path writeVideo(Path file, int frames) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), 160, 120);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            rec.setFormat("avi");
            rec.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG);
            rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P);
            rec.setFrameRate(25);
            rec.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = new Mat(120, 160, opencv_core.CV_8UC3, new Scalar(i * 4 % 255, 80, 255 - i * 4 % 255, 0))) {
                    Frame f = conv.convert(m);
                    rec.record(f);
                }
            }
            rec.stop();
        }
        return file;
    }

    @Test
    void aVideoSourceRunsShowsFpsAndStops() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        fx.app.window().context().teachers().importFile(model, null, null);
        Path video = writeVideo(dir.resolve("clip.avi"), 75);
        fx.robot.clickOn("#nav-live");
        LiveView view = (LiveView) fx.app.window().view(Screen.LIVE);
        fx.await("model listed", () -> !fx.find("#live-start", javafx.scene.control.Button.class).isDisabled());
        fx.robot.interact(() -> view.chooseSource(video));
        fx.clickWhenVisible("#live-start");
        fx.await("fps shown", () -> fx.exists("#live-a-fps")
                && fx.find("#live-a-fps", Label.class).getText().matches("[1-9][0-9]*\\.[0-9] fps"));
        assertThat(fx.find("#live-a-latency", Label.class).getText()).startsWith("p50 ");
        assertThat(fx.find("#live-status", Label.class).getText()).contains("clip.avi");

        // Pause, then drag the seek bar to frame 60: the position follows and stays there.
        fx.clickWhenVisible("#live-pause");
        javafx.scene.control.Slider seek = fx.find("#live-seek", javafx.scene.control.Slider.class);
        assertThat(seek.isDisabled()).isFalse();
        assertThat(seek.getMax()).isEqualTo(74);
        fx.robot.interact(() -> {
            seek.setValueChanging(true);
            seek.setValue(60);
            seek.setValueChanging(false);
        });
        fx.await("position after seek", () -> fx.find("#live-position", Label.class).getText().equals("frame 61 of 75"));
        fx.clickWhenVisible("#live-stop");
        fx.await("idle again", () -> fx.exists("#empty-title")
                && fx.find("#empty-title", Label.class).getText().equals("No source running"));
        fx.await("pipeline threads gone", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("live-")));
    }

    @Test
    void theSampleClipPlaysOnAMachineWithNoCameraAndNoFiles() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        fx.app.window().context().teachers().importFile(model, null, null);
        fx.robot.clickOn("#nav-live");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<Object> source = fx.find("#live-source", javafx.scene.control.ComboBox.class);
        fx.await("sample clip listed", () -> source.getItems().stream().anyMatch(c -> c.toString().equals("Sample clip")));
        assertThat(source.getValue()).as("picked by default").hasToString("Sample clip");
        assertThat(dir.resolve("data/samples/sample-clip.mp4")).as("copied to the data directory").isRegularFile();
        fx.await("model listed", () -> !fx.find("#live-start", javafx.scene.control.Button.class).isDisabled());
        fx.clickWhenVisible("#live-start");
        fx.await("frames and fps", () -> fx.exists("#live-a-fps")
                && fx.find("#live-a-fps", Label.class).getText().matches("[1-9][0-9]*\\.[0-9] fps"));
        assertThat(fx.find("#live-status", Label.class).getText()).contains("sample-clip.mp4");
        javafx.scene.control.Slider seek = fx.find("#live-seek", javafx.scene.control.Slider.class);
        assertThat(seek.getMax()).as("150 frames").isEqualTo(149);
        fx.await("it plays on", () -> fx.find("#live-position", Label.class).getText().matches("frame ([2-9]|\\d\\d+) of 150"));
        fx.clickWhenVisible("#live-stop");
        fx.await("idle again", () -> fx.exists("#empty-title")
                && fx.find("#empty-title", Label.class).getText().equals("No source running"));
    }
}
