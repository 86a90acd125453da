package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery teacher …} and {@code bench teacher} on a model the test writes. */
class TeacherCliTest {
    @TempDir
    Path dir;

    CliTest.Result run(String... args) {
        return CliTest.runIn(dir.resolve("data"), args);
    }

    static void image(Path file, Scalar bgr) {
        try (Mat m = new Mat(20, 30, opencv_core.CV_8UC3, bgr)) {
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
    }

    @Test
    void importListRunEvalAndBench() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        CliTest.Result imported = run("teacher", "import", model.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported colours  #1  Classification");
        assertThat(run("teacher", "import", model.toString()).out()).startsWith("present  colours  #1");
        assertThat(run("teacher", "list").out()).contains("#1", "colours", "Classification");

        Path green = dir.resolve("green.png");
        image(green, new Scalar(10, 220, 10, 0));
        CliTest.Result r = run("teacher", "run", "--model", "colours", "--image", green.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"label\":\"green\"");

        Path images = Files.createDirectories(dir.resolve("eval/red"));
        image(images.resolve("a.png"), new Scalar(0, 0, 250, 0));
        image(images.resolve("b.png"), new Scalar(20, 30, 200, 0));
        Files.createDirectories(dir.resolve("eval/blue"));
        image(dir.resolve("eval/blue/c.png"), new Scalar(240, 10, 10, 0));
        Files.writeString(dir.resolve("eval/broken.png"), "not an image");
        CliTest.Result e = run("teacher", "eval", "--model", "1", "--images", dir.resolve("eval").toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("top-1 1.000", "on 3 images", "1 unreadable skipped");

        Path md = dir.resolve("bench.md");
        CliTest.Result b = run("bench", "teacher", "--model", "colours", "--threads", "1", "--write", md.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("colours: p50").contains("reference");
        assertThat(Files.readString(md)).contains(BenchCommand.BEGIN, "| colours | Classification | 32x32 |",
                BenchCommand.END);
    }

    @Test
    void aRefusedFileIsOneLineAndExitCode1() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.onnx"), "<html>404</html>");
        CliTest.Result r = run("teacher", "import", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.onnx is not an ONNX model").doesNotContain("\tat ");
        assertThat(run("teacher", "list").out()).contains("No teachers yet");
    }

    @Test
    void unknownModelNamesTheWayOut() {
        CliTest.Result r = run("teacher", "run", "--model", "nothing", "--image", "x.png");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("No teacher \"nothing\"").contains("teacher list");
    }
}
