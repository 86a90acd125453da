package dev.distillery.vision;

import dev.distillery.model.Preprocessing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Measures, on one thread, how fast a video decodes through {@link VideoFileSource} alone (the baseline)
 * and decodes plus {@link Preprocessor} to a 224×224 ImageNet float NCHW tensor (resize + centre crop),
 * and prints frames/s and their ratio. Also times preprocessing alone on one decoded frame.
 *
 * <p>Run: {@code java -cp target/classes:$(cat cp.txt) dev.distillery.vision.DecodeBenchmark [video] [rounds]};
 * the default video is OpenCV's {@code vtest.avi}.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    /** The preprocessing of a typical ImageNet classifier: 224×224 crop of a 256 resize, RGB, mean/std. */
    public static Preprocessing imagenet() {
        return new Preprocessing(224, 224, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB, 1 / 255.0,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, Preprocessing.ResizeMode.RESIZE_CENTER_CROP,
                0.875, 0, 1, "float");
    }

    /**
     * One run on one thread.
     *
     * @param frames            frames in the video
     * @param decodeFps         best decode-only rate (the same-run baseline)
     * @param decodePreFps      best decode + preprocess (224×224 ImageNet) rate
     * @param preprocessOnlyFps preprocessing alone, one decoded frame repeated
     */
    public record Result(Path video, long frames, double decodeFps, double decodePreFps, double preprocessOnlyFps) {
        public double ratio() {
            return decodePreFps / decodeFps;
        }
    }

    /** Entry point: {@code [video] [rounds]}. */
    public static void main(String[] args) {
        Path video = Path.of(args.length > 0 ? args[0] : "/usr/share/doc/opencv-doc/examples/data/vtest.avi");
        Result r = measure(video, args.length > 1 ? Integer.parseInt(args[1]) : 3);
        System.out.printf(Locale.ROOT, "%s: %d frames, one thread; decode-only %.0f frames/s, decode+preprocess %.0f "
                + "frames/s (%.2f of decode-only), preprocess-only %.0f frames/s%n", video.getFileName(), r.frames(),
                r.decodeFps(), r.decodePreFps(), r.ratio(), r.preprocessOnlyFps());
    }

    /** Decode-only vs decode + preprocess over {@code rounds} passes, best of each, on one thread. */
    public static Result measure(Path video, int rounds) {
        int before = opencv_core.getNumThreads();
        opencv_core.setNumThreads(1);
        Preprocessing p = imagenet();
        FloatBuffer tensor = ByteBuffer.allocateDirect(Preprocessor.elementsPerImage(p) * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        double bestDecode = 0;
        double bestBoth = 0;
        long frames = 0;
        try (Preprocessor pre = new Preprocessor()) {
            run(video, null, p, tensor); // warm-up: natives, caches
            for (int r = 0; r < Math.max(1, rounds); r++) {
                long[] d = run(video, null, p, tensor);
                long[] b = run(video, pre, p, tensor);
                frames = d[0];
                bestDecode = Math.max(bestDecode, d[0] * 1e9 / d[1]);
                bestBoth = Math.max(bestBoth, b[0] * 1e9 / b[1]);
            }
            return new Result(video, frames, bestDecode, bestBoth, preprocessOnly(video, pre, p, tensor));
        } finally {
            opencv_core.setNumThreads(before);
        }
    }

    /** Decodes the whole file (and preprocesses when {@code pre} is set); returns {frames, nanoseconds}. */
    private static long[] run(Path video, Preprocessor pre, Preprocessing p, FloatBuffer tensor) {
        long frames = 0;
        long start = System.nanoTime();
        try (VideoFileSource source = new VideoFileSource(video, false, 1)) {
            Mat m;
            while ((m = source.grab()) != null) {
                try (Mat owned = m) {
                    if (pre != null) {
                        pre.prepareInto(owned, p, tensor);
                    }
                }
                frames++;
            }
        }
        return new long[] {frames, System.nanoTime() - start};
    }

    private static double preprocessOnly(Path video, Preprocessor pre, Preprocessing p, FloatBuffer tensor) {
        try (VideoFileSource source = new VideoFileSource(video, false, 1); Mat frame = source.grab()) {
            return preprocessOnly(frame, pre, p, tensor);
        }
    }

    private static double preprocessOnly(Mat frame, Preprocessor pre, Preprocessing p, FloatBuffer tensor) {
        for (int i = 0; i < 200; i++) {
            pre.prepareInto(frame, p, tensor);
        }
        int n = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pre.prepareInto(frame, p, tensor);
        }
        return n * 1e9 / (System.nanoTime() - start);
    }
}
