package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;

import dev.distillery.model.TeacherException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading image files, good and bad. */
class ImagesTest {
    @TempDir
    Path dir;

    static byte[] encode(Mat m, String ext) {
        try (BytePointer buf = new BytePointer()) {
            assertThat(opencv_imgcodecs.imencode(ext, m, buf)).isTrue();
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    static byte[] pixels(Mat m) {
        byte[] b = new byte[(int) (m.total() * m.channels())];
        m.data().get(b);
        return b;
    }

    @Test
    void pngRoundTrip() throws Exception {
        Path file = dir.resolve("round.png");
        try (Mat original = PreprocessorTest.synthetic()) {
            assertThat(opencv_imgcodecs.imwrite(file.toString(), original)).isTrue();
            try (Mat read = Images.read(file)) {
                assertThat(read.cols()).isEqualTo(4);
                assertThat(read.rows()).isEqualTo(2);
                assertThat(read.type()).isEqualTo(CV_8UC3);
                assertThat(pixels(read)).containsExactly(pixels(original));
            }
        }
    }

    @Test
    void grayAlphaAndSixteenBitBecomeEightBitBgr() throws Exception {
        Path rgba = Files.write(dir.resolve("alpha.png"), encode(new Mat(3, 5, CV_8UC4, new Scalar(1, 2, 3, 128)), ".png"));
        Path deep = Files.write(dir.resolve("deep.png"), encode(new Mat(3, 5, CV_16UC1, new Scalar(65535)), ".png"));
        try (Mat a = Images.read(rgba); Mat d = Images.read(deep)) {
            assertThat(a.type()).isEqualTo(CV_8UC3);
            assertThat(pixels(a)).startsWith((byte) 1, (byte) 2, (byte) 3);
            assertThat(d.type()).isEqualTo(CV_8UC3);
            assertThat(d.depth()).isEqualTo(CV_8U);
            assertThat(pixels(d)).containsOnly((byte) 255);
        }
    }

    @Test
    void nonAsciiFileName() throws Exception {
        Path file = dir.resolve("bild_ñ_图像 été.jpg");
        try (Mat m = new Mat(16, 24, CV_8UC3, new Scalar(0, 0, 255, 0))) {
            Files.write(file, encode(m, ".jpg"));
        }
        try (Mat read = Images.read(file)) {
            assertThat(read.cols()).isEqualTo(24);
            assertThat(opencv_core.mean(read).get(2)).isGreaterThan(240);
        }
    }

    @Test
    void corruptTextEmptyAndMissingFilesSayWhichFile() throws Exception {
        byte[] png;
        try (Mat m = new Mat(32, 32, CV_8UC3, new Scalar(9, 9, 9, 0))) {
            png = encode(m, ".png");
        }
        byte[] corrupt = Arrays.copyOf(png, png.length);
        for (int i = 16; i < corrupt.length; i++) {
            corrupt[i] = (byte) (i * 31);
        }
        Path bad = Files.write(dir.resolve("corrupt.png"), corrupt);
        Path text = Files.writeString(dir.resolve("notes.jpg"), "hello, not an image", StandardCharsets.UTF_8);
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path missing = dir.resolve("missing.png");
        for (Path p : new Path[] {bad, text, empty, missing, dir}) {
            assertThatThrownBy(() -> Images.read(p).close())
                    .isInstanceOf(TeacherException.class)
                    .hasMessageStartingWith("Cannot read image ")
                    .hasMessageContaining(p.getFileName().toString());
        }
        assertThatThrownBy(() -> Images.read(missing)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Images.read(empty)).hasMessageContaining("empty");
    }
}
