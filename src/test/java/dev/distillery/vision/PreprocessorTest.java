package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exact numerics and geometry of the OpenCV preprocessing. */
class PreprocessorTest {
    private final Preprocessor pre = new Preprocessor();

    @AfterEach
    void close() {
        pre.close();
    }

    /** A 4×2 BGR image: pixel i = y·4 + x has B = 10i, G = 10i + 1, R = 10i + 2. */
    static Mat synthetic() {
        Mat m = new Mat(2, 4, CV_8UC3);
        byte[] data = new byte[24];
        for (int i = 0; i < 8; i++) {
            data[3 * i] = (byte) (10 * i);
            data[3 * i + 1] = (byte) (10 * i + 1);
            data[3 * i + 2] = (byte) (10 * i + 2);
        }
        m.data().put(data);
        return m;
    }

    static Preprocessing spec(int w, int h, Layout layout, ChannelOrder order, double scale, List<Double> mean,
                              List<Double> std, ResizeMode resize, double crop, int pad, String type) {
        return new Preprocessing(w, h, layout, order, scale, mean, std, resize, crop, pad, 0, type);
    }

    static Preprocessing raw(int w, int h, Layout layout, ChannelOrder order, ResizeMode resize) {
        return spec(w, h, layout, order, 1, Preprocessing.ZERO, Preprocessing.ONE, resize, 1, 114, "float");
    }

    @Test
    void nchwRgbGivesRedGreenBluePlanes() {
        try (Mat img = synthetic()) {
            float[] out = pre.prepare(img, raw(4, 2, Layout.NCHW, ChannelOrder.RGB, ResizeMode.STRETCH)).floats();
            assertThat(out).containsExactly(
                    2, 12, 22, 32, 42, 52, 62, 72,
                    1, 11, 21, 31, 41, 51, 61, 71,
                    0, 10, 20, 30, 40, 50, 60, 70);
        }
    }

    @Test
    void nchwBgrKeepsOpenCvOrder() {
        try (Mat img = synthetic()) {
            float[] out = pre.prepare(img, raw(4, 2, Layout.NCHW, ChannelOrder.BGR, ResizeMode.STRETCH)).floats();
            assertThat(out).startsWith(0, 10, 20, 30, 40, 50, 60, 70, 1, 11).endsWith(52, 62, 72);
        }
    }

    @Test
    void nhwcInterleavesPixels() {
        try (Mat img = synthetic()) {
            float[] bgr = pre.prepare(img, raw(4, 2, Layout.NHWC, ChannelOrder.BGR, ResizeMode.STRETCH)).floats();
            assertThat(bgr).startsWith(0, 1, 2, 10, 11, 12, 20, 21, 22).endsWith(70, 71, 72).hasSize(24);
            float[] rgb = pre.prepare(img, raw(4, 2, Layout.NHWC, ChannelOrder.RGB, ResizeMode.STRETCH)).floats();
            assertThat(rgb).startsWith(2, 1, 0, 12, 11, 10).endsWith(72, 71, 70);
        }
    }

    @Test
    void scaleMeanAndStdArePerChannelInModelOrder() {
        List<Double> mean = List.of(0.5, 0.25, 0.0);
        List<Double> std = List.of(0.5, 0.25, 2.0);
        for (Layout layout : Layout.values()) {
            Preprocessing p = spec(4, 2, layout, ChannelOrder.RGB, 1 / 255.0, mean, std, ResizeMode.STRETCH, 1, 0,
                    "float");
            try (Mat img = synthetic()) {
                float[] out = pre.prepare(img, p).floats();
                for (int i = 0; i < 8; i++) {
                    for (int c = 0; c < 3; c++) {
                        int pixel = 10 * i + (2 - c); // RGB: model channel 0 is R = 10i + 2
                        double expected = (pixel / 255.0 - mean.get(c)) / std.get(c);
                        int at = layout == Layout.NCHW ? c * 8 + i : i * 3 + c;
                        assertThat((double) out[at]).as("%s pixel %d channel %d", layout, i, c)
                                .isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void uint8ModelsGetBytes() {
        try (Mat img = synthetic()) {
            Preprocessor.Prepared nhwc = pre.prepare(img, spec(4, 2, Layout.NHWC, ChannelOrder.RGB, 1,
                    Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, "uint8"));
            assertThat(nhwc.floats()).isNull();
            assertThat(nhwc.bytes()).startsWith((byte) 2, (byte) 1, (byte) 0, (byte) 12).hasSize(24);
            Preprocessor.Prepared nchw = pre.prepare(img, spec(4, 2, Layout.NCHW, ChannelOrder.BGR, 1,
                    Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, "uint8"));
            assertThat(nchw.bytes()).startsWith((byte) 0, (byte) 10, (byte) 20).endsWith((byte) 62, (byte) 72);
        }
    }

    @Test
    void letterboxTopLeftPadsRightAndBottom() {
        try (Mat img = new Mat(2, 4, CV_8UC3, new Scalar(30, 60, 90, 0))) {
            Preprocessor.Prepared out = pre.prepare(img, raw(8, 8, Layout.NCHW, ChannelOrder.BGR,
                    ResizeMode.LETTERBOX_TOP_LEFT));
            Transform t = out.transform();
            assertThat(t.scaleX()).isEqualTo(2.0);
            assertThat(t.scaleY()).isEqualTo(2.0);
            assertThat(t.offsetX()).isZero();
            assertThat(t.offsetY()).isZero();
            float[] v = out.floats();
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float expectedBlue = y < 4 ? 30 : 114;
                    float expectedRed = y < 4 ? 90 : 114;
                    assertThat(v[y * 8 + x]).as("B at %d,%d", x, y).isEqualTo(expectedBlue);
                    assertThat(v[128 + y * 8 + x]).as("R at %d,%d", x, y).isEqualTo(expectedRed);
                }
            }
        }
    }

    @Test
    void letterboxCenterSplitsThePadding() {
        try (Mat img = new Mat(2, 4, CV_8UC3, new Scalar(30, 60, 90, 0))) {
            Preprocessing p = spec(8, 8, Layout.NHWC, ChannelOrder.BGR, 1, Preprocessing.ZERO, Preprocessing.ONE,
                    ResizeMode.LETTERBOX_CENTER, 1, 7, "float");
            Preprocessor.Prepared out = pre.prepare(img, p);
            assertThat(out.transform().offsetY()).isEqualTo(2.0);
            float[] v = out.floats();
            for (int y = 0; y < 8; y++) {
                float expectedGreen = y >= 2 && y < 6 ? 60 : 7;
                assertThat(v[(y * 8 + 5) * 3 + 1]).as("G in row %d", y).isEqualTo(expectedGreen);
            }
            // Model row 2 is the image's top edge, model x 8 its right edge.
            assertThat(out.transform().toSourceY(2)).isEqualTo(0.0);
            assertThat(out.transform().toSourceX(8)).isEqualTo(4.0);
        }
    }

    @Test
    void centerCropTakesTheMiddle() {
        // 8×4 image, pixel (x, y) has B = 10y + x; crop 2×2 with fraction 0.5 → short side 4 stays, take x 3–4, y 1–2.
        try (Mat img = new Mat(4, 8, CV_8UC3)) {
            byte[] data = new byte[96];
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 8; x++) {
                    data[(y * 8 + x) * 3] = (byte) (10 * y + x);
                }
            }
            img.data().put(data);
            Preprocessing p = spec(2, 2, Layout.NCHW, ChannelOrder.BGR, 1, Preprocessing.ZERO, Preprocessing.ONE,
                    ResizeMode.RESIZE_CENTER_CROP, 0.5, 0, "float");
            Preprocessor.Prepared out = pre.prepare(img, p);
            assertThat(out.floats()).startsWith(13, 14, 23, 24);
            assertThat(out.transform().offsetX()).isEqualTo(-3.0);
            assertThat(out.transform().offsetY()).isEqualTo(-1.0);
            assertThat(out.transform().toSourceX(0)).isEqualTo(3.0);
        }
    }

    @Test
    void centerCropOfImageNetSizes() {
        Preprocessing p = spec(224, 224, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0, Preprocessing.IMAGENET_MEAN,
                Preprocessing.IMAGENET_STD, ResizeMode.RESIZE_CENTER_CROP, 0.875, 0, "float");
        Transform t = Preprocessor.transformFor(500, 375, p);
        // Short side 375 → 256, long side 500 → 341; crop starts at (59, 16).
        assertThat(t.scaleY() * 375).isCloseTo(256, within(1e-9));
        assertThat(t.offsetX()).isEqualTo(-59.0);
        assertThat(t.offsetY()).isEqualTo(-16.0);
        assertThat(t.toSourceX(112)).isCloseTo(250, within(0.8));
    }

    @Test
    void transformRoundTripsThroughALetterbox() {
        Preprocessing p = raw(64, 64, Layout.NCHW, ChannelOrder.RGB, ResizeMode.LETTERBOX_CENTER);
        Transform t = Preprocessor.transformFor(100, 50, p);
        assertThat(t.offsetY()).isEqualTo(16.0);
        assertThat(t.toSourceX(32)).isCloseTo(50, within(1e-9));
        assertThat(t.toSourceY(16)).isCloseTo(0, within(1e-9));
        assertThat(t.toSourceY(48)).isCloseTo(50, within(1e-9));
        assertThat(t.toModelX(t.toSourceX(17.5))).isCloseTo(17.5, within(1e-9));
    }

    @Test
    void stretchResizesAndGrayIsConvertedToBgr() {
        try (Mat gray = new Mat(10, 20, org.bytedeco.opencv.global.opencv_core.CV_8UC1, new Scalar(200))) {
            Preprocessor.Prepared out = pre.prepare(gray, raw(5, 4, Layout.NCHW, ChannelOrder.RGB, ResizeMode.STRETCH));
            assertThat(out.floats()).hasSize(60).containsOnly(200f);
            assertThat(out.transform().scaleX()).isEqualTo(0.25);
            assertThat(out.transform().scaleY()).isEqualTo(0.4);
        }
    }

    @Test
    void prepareIntoWritesAtTheBufferPosition() {
        FloatBuffer buf = ByteBuffer.allocateDirect(2 * 24 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try (Mat img = synthetic()) {
            buf.position(24);
            pre.prepareInto(img, raw(4, 2, Layout.NCHW, ChannelOrder.RGB, ResizeMode.STRETCH), buf);
            assertThat(buf.position()).isEqualTo(24);
            assertThat(buf.get(0)).isZero();
            assertThat(buf.get(23)).isZero();
            assertThat(buf.get(24)).isEqualTo(2f);
            assertThat(buf.get(47)).isEqualTo(70f);
        }
    }

    @Test
    void thousandsOfFramesDoNotGrowNativeMemory() {
        Preprocessing p = spec(224, 224, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0, Preprocessing.IMAGENET_MEAN,
                Preprocessing.IMAGENET_STD, ResizeMode.RESIZE_CENTER_CROP, 0.875, 0, "float");
        FloatBuffer buf = ByteBuffer.allocateDirect(3 * 224 * 224 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try (Mat frame = new Mat(480, 640, CV_8UC3, new Scalar(10, 120, 240, 0))) {
            for (int i = 0; i < 200; i++) {
                pre.prepareInto(frame, p, buf);
            }
            long before = org.bytedeco.javacpp.Pointer.physicalBytes();
            long start = System.nanoTime();
            int frames = 2000;
            for (int i = 0; i < frames; i++) {
                pre.prepareInto(frame, p, buf);
            }
            double ms = (System.nanoTime() - start) / 1e6 / frames;
            long after = org.bytedeco.javacpp.Pointer.physicalBytes();
            System.out.printf("Preprocessor 640x480 -> 224x224 NCHW float: %.3f ms/frame (%.0f frames/s), RSS %+d KB%n",
                    ms, 1000 / ms, (after - before) / 1024);
            assertThat(after - before).as("resident memory growth over %d frames", frames).isLessThan(64L << 20);
            assertThat(buf.get(0)).isCloseTo((float) ((240 / 255.0 - 0.485) / 0.229), within(1e-4f));
        }
    }
}
