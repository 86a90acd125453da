package dev.distillery.live;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.distillery.vision.FrameSource;
import dev.distillery.vision.SourceException;
import dev.distillery.vision.SourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A test source of solid red, green, blue frames in turn. It remembers every Mat it handed out, so a test can
 * count the ones not yet released, and can be told to end or to break after some frames.
 */
final class ColourSource implements FrameSource {
    static final Scalar[] COLOURS = {new Scalar(0, 0, 255, 0), new Scalar(0, 255, 0, 0), new Scalar(255, 0, 0, 0)};

    private final int width;
    private final int height;
    private final double fps;
    private final long endAfter;
    private final long breakAfter;
    private final List<Mat> handedOut = new ArrayList<>();
    final AtomicInteger grabs = new AtomicInteger();
    volatile boolean closed;

    /**
     * @param endAfter   frames before grab returns null (-1 = endless)
     * @param breakAfter frames before grab throws a SourceException (-1 = never)
     */
    ColourSource(int width, int height, double fps, long endAfter, long breakAfter) {
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.endAfter = endAfter;
        this.breakAfter = breakAfter;
    }

    static ColourSource endless() {
        return new ColourSource(160, 120, 0, -1, -1);
    }

    @Override
    public SourceInfo info() {
        return new SourceInfo("Colour test source", width, height, fps, endAfter, false, false);
    }

    @Override
    public Mat grab() {
        int n = grabs.get();
        if (breakAfter >= 0 && n >= breakAfter) {
            throw new SourceException("Camera 0 was unplugged: reconnect it and press Start");
        }
        if (endAfter >= 0 && n >= endAfter) {
            return null;
        }
        grabs.incrementAndGet();
        Mat m = new Mat(height, width, CV_8UC3, COLOURS[n % COLOURS.length]);
        synchronized (handedOut) {
            handedOut.add(m);
        }
        return m;
    }

    /** Frames handed out and not released yet. */
    int alive() {
        synchronized (handedOut) {
            int n = 0;
            for (Mat m : handedOut) {
                if (!m.isNull()) {
                    n++;
                }
            }
            handedOut.removeIf(m -> m.isNull());
            return n;
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
