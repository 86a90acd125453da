package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
    @TempDir
    Path dir;

    /** Writes a solid image whose blue value is {@code value}. */
    private Path image(String name, int value) {
        Path file = dir.resolve(name);
        try (Mat m = new Mat(40, 60, CV_8UC3, new Scalar(value, 30, 200, 0))) {
            assertThat(opencv_imgcodecs.imwrite(file.toString(), m)).isTrue();
        }
        return file;
    }

    private static int blue(Mat m) {
        return (int) Math.round(org.bytedeco.opencv.global.opencv_core.mean(m).get(0));
    }

    private static List<Integer> blues(FrameSource source) {
        List<Integer> out = new ArrayList<>();
        Mat m;
        while ((m = source.grab()) != null) {
            try (Mat owned = m) {
                out.add(blue(owned));
            }
        }
        return out;
    }

    @Test
    void showsImagesSortedByName() throws Exception {
        image("c.png", 30);
        image("A.png", 10);
        image("b.bmp", 20);
        image("d.jpg", 40);
        image("e.webp", 50);
        Files.writeString(dir.resolve("readme.txt"), "not an image");
        Files.createDirectory(dir.resolve("sub.png"));
        try (ImageFolderSource source = new ImageFolderSource(dir)) {
            assertThat(source.files()).extracting(p -> p.getFileName().toString())
                    .containsExactly("A.png", "b.bmp", "c.png", "d.jpg", "e.webp");
            SourceInfo info = source.info();
            assertThat(info.width()).isEqualTo(60);
            assertThat(info.height()).isEqualTo(40);
            assertThat(info.frameCount()).isEqualTo(5);
            assertThat(info.seekable()).isTrue();
            List<Integer> values = blues(source);
            assertThat(values).hasSize(5);
            // lossy jpg/webp: within a few levels
            for (int i = 0; i < 5; i++) {
                assertThat(values.get(i)).isBetween(10 * (i + 1) - 3, 10 * (i + 1) + 3);
            }
            assertThat(source.skippedCount()).isZero();
        }
    }

    @Test
    void skipsAndCountsCorruptImages() throws Exception {
        image("1.png", 10);
        Path broken = dir.resolve("2.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        image("3.png", 30);
        try (ImageFolderSource source = new ImageFolderSource(dir)) {
            assertThat(blues(source)).containsExactly(10, 30);
            assertThat(source.skippedCount()).isEqualTo(1);
            assertThat(source.skippedFiles()).containsExactly(broken);
        }
    }

    @Test
    void loopsAndSeeks() {
        image("1.png", 10);
        image("2.png", 20);
        image("3.png", 30);
        try (ImageFolderSource source = new ImageFolderSource(dir, 2.0, true)) {
            assertThat(source.info().frameCount()).isEqualTo(-1);
            assertThat(source.info().fps()).isEqualTo(2.0);
            List<Integer> values = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                try (Mat m = source.grab()) {
                    values.add(blue(m));
                }
            }
            assertThat(values).containsExactly(10, 20, 30, 10, 20, 30, 10);
            source.seek(2);
            try (Mat m = source.grab()) {
                assertThat(blue(m)).isEqualTo(30);
            }
            assertThatThrownBy(() -> source.seek(3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void emptyFolderIsAClearError() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "no images here");
        assertThatThrownBy(() -> new ImageFolderSource(dir)).isInstanceOf(SourceException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("contains no images")
                .hasMessageContaining("jpg");
    }

    @Test
    void onlyCorruptImagesIsAClearError() throws Exception {
        Files.writeString(dir.resolve("a.jpg"), "not a jpeg");
        assertThatThrownBy(() -> new ImageFolderSource(dir)).isInstanceOf(SourceException.class)
                .hasMessageContaining("None of the 1 image files");
    }

    @Test
    void missingFolderIsAClearError() {
        Path missing = dir.resolve("gone");
        assertThatThrownBy(() -> new ImageFolderSource(missing)).isInstanceOf(SourceException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }
}
