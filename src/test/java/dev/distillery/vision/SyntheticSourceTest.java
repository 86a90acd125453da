package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {
    private static double diff(Mat a, Mat b) {
        return opencv_core.norm(a, b, opencv_core.NORM_L1, null);
    }

    @Test
    void sameSeedSameFrames() {
        try (SyntheticSource a = new SyntheticSource(320, 240, 30, 42, -1);
             SyntheticSource b = new SyntheticSource(320, 240, 30, 42, -1)) {
            for (int i = 0; i < 20; i++) {
                try (Mat x = a.grab(); Mat y = b.grab()) {
                    assertThat(x.type()).isEqualTo(opencv_core.CV_8UC3);
                    assertThat(x.cols()).isEqualTo(320);
                    assertThat(x.rows()).isEqualTo(240);
                    assertThat(diff(x, y)).as("frame %d", i).isZero();
                }
            }
            // random access renders the same pixels as sequential reading
            a.seek(7);
            try (Mat x = a.grab(); Mat y = b.frame(7)) {
                assertThat(diff(x, y)).isZero();
            }
        }
    }

    @Test
    void differentSeedDifferentScene() {
        try (SyntheticSource a = new SyntheticSource(320, 240, 30, 1, -1);
             SyntheticSource b = new SyntheticSource(320, 240, 30, 2, -1);
             Mat x = a.frame(0); Mat y = b.frame(0)) {
            assertThat(diff(x, y)).isPositive();
        }
    }

    @Test
    void consecutiveFramesMove() {
        try (SyntheticSource s = new SyntheticSource(160, 120, 30, 3, -1)) {
            Mat previous = s.grab();
            for (int i = 1; i < 200; i++) {
                Mat next = s.grab();
                // more than the digits of the counter change: the shapes move several pixels a frame
                try (Mat below = previous.rowRange(40, 120); Mat nextBelow = next.rowRange(40, 120)) {
                    assertThat(diff(below, nextBelow)).as("motion between %d and %d", i - 1, i).isGreaterThan(1000);
                }
                previous.close();
                previous = next;
            }
            previous.close();
        }
    }

    @Test
    void finiteSourceEnds() {
        try (SyntheticSource s = new SyntheticSource(64, 48, 10, 0, 3)) {
            assertThat(s.info().frameCount()).isEqualTo(3);
            assertThat(s.info().seekable()).isTrue();
            assertThat(s.info().live()).isFalse();
            for (int i = 0; i < 3; i++) {
                try (Mat m = s.grab()) {
                    assertThat(m).isNotNull();
                }
            }
            assertThat(s.grab()).isNull();
            assertThatThrownBy(() -> s.seek(3)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
