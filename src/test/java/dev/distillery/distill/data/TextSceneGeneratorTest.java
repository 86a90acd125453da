package dev.distillery.distill.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSceneGeneratorTest {
    @TempDir
    Path dir;

    static byte[] png(Mat m) {
        try (BytePointer buf = new BytePointer()) {
            opencv_imgcodecs.imencode(".png", m, buf);
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            return b;
        }
    }

    /** Fraction of pixels where a and b differ in any channel. */
    static double differing(Mat a, Mat b) {
        try (Mat diff = new Mat(); Mat grey = new Mat()) {
            opencv_core.absdiff(a, b, diff);
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(diff, grey,
                    org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
            return (double) opencv_core.countNonZero(grey) / (a.rows() * a.cols());
        }
    }

    @Test
    void sameSeedGivesIdenticalScenes() {
        TextSceneGenerator g1 = new TextSceneGenerator(42);
        TextSceneGenerator g2 = new TextSceneGenerator(42);
        for (long i : new long[] {0, 7, 123456789L}) {
            try (Mat a = g1.scene(i); Mat b = g2.scene(i)) {
                assertThat(a.cols()).isEqualTo(320);
                assertThat(a.rows()).isEqualTo(320);
                assertThat(a.type()).isEqualTo(opencv_core.CV_8UC3);
                assertThat(png(a)).isEqualTo(png(b));
            }
        }
        try (Mat a = g1.scene(1); Mat other = new TextSceneGenerator(43).scene(1); Mat next = g1.scene(2)) {
            assertThat(png(a)).isNotEqualTo(png(other));
            assertThat(png(a)).isNotEqualTo(png(next));
        }
    }

    @Test
    void textIsActuallyDrawn() {
        TextSceneGenerator g = new TextSceneGenerator(7, 320, 240);
        double sum = 0;
        for (int i = 0; i < 20; i++) {
            try (Mat scene = g.scene(i); Mat background = g.background(i)) {
                double f = differing(scene, background);
                assertThat(f).as("ink fraction of scene %d", i).isBetween(0.001, 0.6);
                sum += f;
            }
        }
        assertThat(sum / 20).as("mean ink fraction").isBetween(0.01, 0.3);
    }

    @Test
    void upsideDownLineIsTheUprightLineTurnedBy180Degrees() {
        TextSceneGenerator g = new TextSceneGenerator(3);
        for (int i = 0; i < 10; i++) {
            try (Mat up = g.line(i, false); Mat down = g.line(i, true); Mat turned = new Mat()) {
                assertThat(up.rows()).isEqualTo(TextSceneGenerator.LINE_HEIGHT);
                assertThat(up.cols()).isEqualTo(TextSceneGenerator.LINE_WIDTH);
                opencv_core.flip(up, turned, -1);
                assertThat(png(down)).isEqualTo(png(turned));
                assertThat(differing(up, down)).as("a text line is not symmetric under rotation").isGreaterThan(0.01);
            }
        }
    }

    @Test
    void userBackgroundsAndWritingToAFolder() throws Exception {
        Path photos = dir.resolve("photos");
        DatasetBuilderTest.writeImage(photos.resolve("p.png"), DatasetBuilderTest.noise(9, 100, 60));
        TextSceneGenerator g = new TextSceneGenerator(11, 96, 64).withBackgrounds(photos);
        List<Path> files = g.writeTo(dir.resolve("out"), 12);
        assertThat(files).hasSize(12).allSatisfy(f -> assertThat(f).exists());
        try (Mat back = dev.distillery.vision.Images.read(files.get(3)); Mat direct = g.scene(3)) {
            assertThat(back.cols()).isEqualTo(96);
            assertThat(back.rows()).isEqualTo(64);
            assertThat(differing(back, direct)).as("PNG is lossless").isZero();
        }
        assertThat(TextSceneGenerator.words()).hasSizeGreaterThan(50).doesNotContain("");
    }
}
