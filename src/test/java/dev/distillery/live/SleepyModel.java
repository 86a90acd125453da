package dev.distillery.live;

import dev.distillery.model.Prediction;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A test model that takes {@code sleepMs} per frame, standing in for a network of that cost, and answers the
 * frame's dominant colour; optionally fails on the n-th frame.
 */
final class SleepyModel implements FrameModel {
    private final String name;
    private final long sleepMs;
    private final int failAt;
    final AtomicInteger calls = new AtomicInteger();

    SleepyModel(String name, long sleepMs) {
        this(name, sleepMs, -1);
    }

    SleepyModel(String name, long sleepMs, int failAt) {
        this.name = name;
        this.sleepMs = sleepMs;
        this.failAt = failAt;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prediction predict(Mat bgr) {
        int n = calls.incrementAndGet();
        if (n == failAt) {
            throw new IllegalStateException("out of memory in layer 7");
        }
        if (sleepMs > 0) {
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        org.bytedeco.opencv.opencv_core.Scalar s = org.bytedeco.opencv.global.opencv_core.mean(bgr);
        double[] mean = {s.get(0), s.get(1), s.get(2)};
        int cls = mean[2] >= mean[1] && mean[2] >= mean[0] ? 0 : mean[1] >= mean[0] ? 1 : 2;
        String[] labels = {"red", "green", "blue"};
        return new Prediction.Classification(List.of(new Prediction.Scored(cls, labels[cls], 0.9f)));
    }

    @Override
    public void close() {
    }
}
