package dev.distillery.vision;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A deterministic demo scene: a coloured rectangle and a circle moving over a plain background, with the
 * frame number written in the top-left corner. Frame {@code i} depends only on the size, the seed and
 * {@code i}, so the same seed gives identical pixels on every run, and {@link #frame(long)} can render any
 * frame directly. Handy for tests and for demos without a camera.
 *
 * <p>The rectangle bounces horizontally, the circle vertically; both move several pixels per frame, so
 * consecutive frames always differ.
 */
public final class SyntheticSource implements FrameSource {
    private final int width;
    private final int height;
    private final long frameCount;
    private final SourceInfo info;
    private final Scalar background;
    private final Scalar rectColor;
    private final Scalar circleColor;
    private final int rectW;
    private final int rectH;
    private final int radius;
    private final double phaseX;
    private final double phaseY;
    private long next;
    private boolean closed;

    /** An endless 640×480 scene at 30 frames/s with seed 0. */
    public SyntheticSource() {
        this(640, 480, 30, 0, -1);
    }

    /**
     * @param width      frame width, at least 32
     * @param height     frame height, at least 32
     * @param fps        nominal frame rate reported in {@link #info()}
     * @param seed       picks the colours, sizes and starting positions
     * @param frameCount frames before the end, or -1 for an endless source
     */
    public SyntheticSource(int width, int height, double fps, long seed, long frameCount) {
        if (width < 32 || height < 32) {
            throw new IllegalArgumentException("Synthetic frames must be at least 32x32, got " + width + "x" + height);
        }
        if (frameCount == 0 || frameCount < -1) {
            throw new IllegalArgumentException("frameCount must be positive or -1 (endless), got " + frameCount);
        }
        this.width = width;
        this.height = height;
        this.frameCount = frameCount;
        SplittableRandom random = new SplittableRandom(seed);
        background = colour(random, 20, 90);
        rectColor = colour(random, 150, 255);
        circleColor = colour(random, 150, 255);
        rectW = width / 5 + random.nextInt(width / 10 + 1);
        rectH = height / 5 + random.nextInt(height / 10 + 1);
        radius = Math.min(width, height) / 8 + random.nextInt(Math.min(width, height) / 16 + 1);
        phaseX = random.nextDouble();
        phaseY = random.nextDouble();
        info = new SourceInfo(String.format("Synthetic scene %dx%d (seed %d)", width, height, seed), width, height,
                fps, frameCount, false, true);
    }

    private static Scalar colour(SplittableRandom random, int lo, int hi) {
        return new Scalar(random.nextInt(lo, hi + 1), random.nextInt(lo, hi + 1), random.nextInt(lo, hi + 1), 0);
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public Mat grab() {
        if (frameCount > 0 && next >= frameCount) {
            return null;
        }
        return frame(next++);
    }

    @Override
    public void seek(long frameIndex) {
        if (frameIndex < 0 || (frameCount > 0 && frameIndex >= frameCount)) {
            throw new IllegalArgumentException("Frame " + frameIndex + " is outside the synthetic scene");
        }
        next = frameIndex;
    }

    /** Renders frame {@code index} (a new Mat the caller owns) without moving the read position. */
    public Mat frame(long index) {
        if (closed) {
            throw new IllegalStateException("The synthetic source is closed");
        }
        Mat img = new Mat(height, width, CV_8UC3, background);
        try (PointerScope scope = new PointerScope()) {
            draw(img, index);
        }
        return img;
    }

    private void draw(Mat img, long index) {
        int rx = bounce(index, 7, width - rectW, phaseX);
        int ry = (height - rectH) / 3;
        opencv_imgproc.rectangle(img, new Point(rx, ry), new Point(rx + rectW - 1, ry + rectH - 1), rectColor,
                FILLED, LINE_8, 0);
        int cx = width - radius - 1 - width / 6;
        int cy = radius + bounce(index, 5, height - 2 * radius - 1, phaseY);
        opencv_imgproc.circle(img, new Point(cx, cy), radius, circleColor, FILLED, LINE_8, 0);
        double scale = Math.max(0.4, height / 480.0);
        opencv_imgproc.putText(img, "#" + index, new Point(4, (int) Math.round(24 * scale)), FONT_HERSHEY_SIMPLEX,
                scale * 0.8, new Scalar(255, 255, 255, 0), Math.max(1, (int) Math.round(scale * 2)), LINE_8, false);
    }

    /** Position in [0, range] moving {@code speed} pixels per frame and reflecting at both ends. */
    private static int bounce(long index, int speed, int range, double phase) {
        if (range <= 0) {
            return 0;
        }
        long period = 2L * range;
        long p = Math.floorMod(Math.round(phase * period) + index * speed, period);
        return (int) (p <= range ? p : period - p);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            background.close();
            rectColor.close();
            circleColor.close();
        }
    }
}
