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
    void aDistilledStudentRunsBesideItsTeacherOnTheSameFrames() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        var ctx = fx.app.window().context();
        var teacher = ctx.teachers().importFile(model, null, null).teacher();
        int teachersBefore = ctx.teachers().list().size();
        java.nio.file.Files.createDirectories(dir.resolve("run"));
        Path student = TinyModels.convClassifier(dir.resolve("run/student.onnx"), 32, 4, 8, 7);
        var runs = ctx.session().database().runs();
        long run = runs.create("colours-student", teacher.sha256(), teacher.name(), null, "cls-tiny", "{}",
                dir.resolve("run").toString());
        runs.report(run, student.toString(), "{}");
        runs.finish(run, dev.distillery.store.RunRow.COMPLETED, "Done", null);
        Path video = writeVideo(dir.resolve("clip.avi"), 400);

        fx.robot.interact(() -> ctx.tryLive(teacher.sha256(), student));
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<Object> b = fx.find("#live-model-b", javafx.scene.control.ComboBox.class);
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<Object> a = fx.find("#live-model-a", javafx.scene.control.ComboBox.class);
        fx.await("student picked beside its teacher", () -> b.getValue() != null
                && b.getValue().toString().equals("Student: colours-student (cls-tiny, run " + run + ")"));
        assertThat(a.getValue()).hasToString(teacher.name());
        assertThat(a.getItems()).as("a student is not a teacher: listed as a student, after its teacher")
                .extracting(Object::toString).containsSubsequence(teacher.name(),
                        "Student: colours-student (cls-tiny, run " + run + ")");
        assertThat(ctx.teachers().list()).as("not imported as a teacher").hasSize(teachersBefore);

        LiveView view = (LiveView) fx.app.window().view(Screen.LIVE);
        fx.robot.interact(() -> view.chooseSource(video));
        assertThat(fx.find("#live-synced", javafx.scene.control.ToggleButton.class).isSelected()).as("default").isTrue();
        fx.clickWhenVisible("#live-start");
        fx.await("both panes on a frame", () -> fx.exists("#live-b-frame")
                && fx.find("#live-b-frame", Label.class).getText().startsWith("frame "));
        // synced: whenever the panes are painted, they show the same frame
        for (int i = 0; i < 5; i++) {
            String[] shown = new String[2];
            fx.robot.interact(() -> {
                shown[0] = fx.find("#live-a-frame", Label.class).getText();
                shown[1] = fx.find("#live-b-frame", Label.class).getText();
            });
            assertThat(shown[0]).isEqualTo(shown[1]);
            Thread.sleep(100);
        }
        fx.await("agreement on the common frames", () -> fx.find("#live-agreement", Label.class).getText()
                .matches("Agreement: \\d+ % of the last \\d+ frames both models saw"));
        assertThat(fx.find("#live-agreement-what", Label.class).getText()).contains("same top class");

        // overlaid: one header, carrying both models' figures
        fx.clickWhenVisible("#live-own-pace");
        fx.robot.clickOn("Overlaid");
        fx.await("one header", () -> fx.find("#live-a-fps", Label.class).getText().matches(".* / .* fps"));
        assertThat(fx.find("#live-b-fps", Label.class).getParent().isVisible()).isFalse();
        fx.clickWhenVisible("#live-stop");
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
