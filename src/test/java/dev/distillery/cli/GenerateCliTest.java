package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.vision.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery generate}: layout, sizes, repeatability, bad options. */
class GenerateCliTest {
    @TempDir
    Path dir;

    static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    @Test
    void linesGoHalfUprightHalfUpsideDownAndRepeatWithTheSeed() throws Exception {
        CliTest.Result r = CliTest.run("generate", "--kind", "lines", "--count", "5", "--seed", "3", "--out",
                dir.resolve("a").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote 5 text lines", "3 upright in 0/", "2 upside down in 180/");
        assertThat(files(dir.resolve("a"))).containsExactly("0/line-00000.png", "0/line-00002.png",
                "0/line-00004.png", "180/line-00001.png", "180/line-00003.png");
        try (Mat m = Images.read(dir.resolve("a/180/line-00001.png"))) {
            assertThat(m.cols()).isEqualTo(192);
            assertThat(m.rows()).isEqualTo(48);
        }

        assertThat(CliTest.run("generate", "--kind", "LINES", "--count", "5", "--seed", "3", "--out",
                dir.resolve("b").toString()).code()).isZero();
        assertThat(CliTest.run("generate", "--kind", "lines", "--count", "5", "--seed", "4", "--out",
                dir.resolve("c").toString()).code()).isZero();
        for (String f : files(dir.resolve("a"))) {
            assertThat(bytes(dir.resolve("b").resolve(f))).as(f).isEqualTo(bytes(dir.resolve("a").resolve(f)));
        }
        assertThat(bytes(dir.resolve("c/0/line-00000.png"))).isNotEqualTo(bytes(dir.resolve("a/0/line-00000.png")));
    }

    @Test
    void scenesAtTheGivenSize() throws Exception {
        CliTest.Result r = CliTest.run("generate", "--kind", "scenes", "--count", "3", "--seed", "1", "--size", "64",
                "--out", dir.resolve("s").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote 3 scenes (64×64)");
        assertThat(files(dir.resolve("s"))).containsExactly("scene-00000.png", "scene-00001.png", "scene-00002.png");
        try (Mat m = Images.read(dir.resolve("s/scene-00002.png"))) {
            assertThat(m.cols()).isEqualTo(64);
            assertThat(m.rows()).isEqualTo(64);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliTest.Result r = CliTest.run("generate", "--kind", "faces", "--count", "3", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--kind must be scenes or lines");
        r = CliTest.run("generate", "--kind", "scenes", "--count", "0", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--count must be at least 1");
        r = CliTest.run("generate", "--kind", "scenes", "--count", "2", "--size", "8", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--size must be at least 32");
        assertThat(dir.resolve("scene-00000.png")).doesNotExist();
    }

    @Test
    void aClipAndJpegScenes() throws Exception {
        CliTest.Result r = CliTest.run("generate", "--kind", "clip", "--seed", "3", "--size", "160x96", "--seconds", "1",
                "--fps", "10", "--out", dir.resolve("clip/c.mp4").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote a 160×96 clip of 10 frames (1.0 s at 10 fps)");
        try (dev.distillery.vision.VideoFileSource v = new dev.distillery.vision.VideoFileSource(dir.resolve("clip/c.mp4"))) {
            assertThat(v.containerFrameCount()).isEqualTo(10);
            assertThat(v.info().width()).isEqualTo(160);
        }
        r = CliTest.run("generate", "--kind", "clip", "--size", "320", "--out", dir.resolve("d.mp4").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("WxH");

        r = CliTest.run("generate", "--kind", "scenes", "--count", "2", "--size", "96x64", "--format", "jpg", "--out",
                dir.resolve("j").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(files(dir.resolve("j"))).containsExactly("scene-00000.jpg", "scene-00001.jpg");
        try (Mat m = Images.read(dir.resolve("j/scene-00001.jpg"))) {
            assertThat(m.cols()).isEqualTo(96);
            assertThat(m.rows()).isEqualTo(64);
        }
        r = CliTest.run("generate", "--kind", "scenes", "--count", "2", "--format", "gif", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format must be png or jpg");
    }
}
