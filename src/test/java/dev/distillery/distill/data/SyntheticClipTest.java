package dev.distillery.distill.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.vision.VideoFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated clip behind assets/samples: repeatable to the byte, decodable, and it moves. */
class SyntheticClipTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameBytesAndTheClipDecodes() throws Exception {
        Path a = dir.resolve("a.mp4");
        Path b = dir.resolve("b/b.mp4");
        assertThat(SyntheticClip.write(a, 7, 160, 96, 2, 25)).isEqualTo(50);
        SyntheticClip.write(b, 7, 160, 96, 2, 25);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        SyntheticClip.write(dir.resolve("c.mp4"), 8, 160, 96, 2, 25);
        assertThat(Files.readAllBytes(dir.resolve("c.mp4"))).isNotEqualTo(Files.readAllBytes(a));

        try (VideoFileSource v = new VideoFileSource(a)) {
            assertThat(v.codecName()).isEqualTo("mpeg4");
            assertThat(v.info().width()).isEqualTo(160);
            assertThat(v.info().height()).isEqualTo(96);
            Mat first = v.grab();
            Mat last = null;
            int frames = 1;
            Mat m;
            while ((m = v.grab()) != null) {
                if (last != null) {
                    last.close();
                }
                last = m;
                frames++;
            }
            assertThat(frames).isEqualTo(50);
            // the view pans: the first and the last frame show different scenes
            Mat end = last;
            try (first; end; Mat diff = new Mat()) {
                opencv_core.absdiff(first, end, diff);
                assertThat(opencv_core.sumElems(diff).get(0) / (160 * 96)).isGreaterThan(10);
            }
        }
    }

    @Test
    void motionJpegInAviToo() {
        Path avi = dir.resolve("clip.avi");
        SyntheticClip.write(avi, 1, 128, 72, 1, 10);
        try (VideoFileSource v = new VideoFileSource(avi)) {
            assertThat(v.codecName()).isEqualTo("mjpeg");
            assertThat(v.containerFrameCount()).isEqualTo(10);
        }
    }

    @Test
    void badSizesLengthsAndFileTypesAreRefused() {
        assertThatThrownBy(() -> SyntheticClip.write(dir.resolve("x.mkv"), 1, 160, 96, 2, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".mp4");
        assertThatThrownBy(() -> SyntheticClip.write(dir.resolve("x.mp4"), 1, 161, 96, 2, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
        assertThatThrownBy(() -> SyntheticClip.write(dir.resolve("x.mp4"), 1, 160, 96, 0.5, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThat(dir.resolve("x.mp4")).doesNotExist();
    }
}
