package dev.distillery.live;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Per-model counters behind {@link LiveStats.ModelStats}: completions over a sliding two-second window for
 * FPS, the last {@value #LATENCIES} latencies for percentiles, and dropped frames. Thread-safe
 * (synchronized): the worker writes, any thread reads.
 */
final class ModelMeter {
    static final int LATENCIES = 100;
    static final long FPS_WINDOW_NANOS = 2_000_000_000L;

    private final String name;
    private final ArrayDeque<Long> completions = new ArrayDeque<>();
    private final double[] latencies = new double[LATENCIES];
    private int latencyCount;
    private int latencyNext;
    private long frames;
    private long dropped;
    private long firstStart = -1;
    private long firstEnd = -1;
    private long lastEnd = -1;
    private double busyMs;

    ModelMeter(String name) {
        this.name = name;
    }

    synchronized void completed(long startNanos, long endNanos, double latencyMs) {
        frames++;
        busyMs += latencyMs;
        if (firstStart < 0) {
            firstStart = startNanos;
            firstEnd = endNanos;
        }
        lastEnd = endNanos;
        completions.addLast(endNanos);
        trim(endNanos);
        latencies[latencyNext] = latencyMs;
        latencyNext = (latencyNext + 1) % LATENCIES;
        latencyCount = Math.min(LATENCIES, latencyCount + 1);
    }

    synchronized void dropped(long n) {
        dropped += n;
    }

    synchronized long frames() {
        return frames;
    }

    /**
     * Wall time per completed frame, in ms, from the end of the first frame (a warm-up) to the end of the last;
     * NaN with fewer than two frames.
     */
    synchronized double wallMsPerFrame() {
        return frames < 2 ? Double.NaN : (lastEnd - firstEnd) / 1e6 / (frames - 1);
    }

    /** Completed frames per second over the whole run (first frame excluded as warm-up). */
    synchronized double overallFps() {
        return frames < 2 || lastEnd <= firstEnd ? 0 : (frames - 1) * 1e9 / (lastEnd - firstEnd);
    }

    private void trim(long now) {
        while (!completions.isEmpty() && now - completions.peekFirst() > FPS_WINDOW_NANOS) {
            completions.removeFirst();
        }
    }

    synchronized LiveStats.ModelStats snapshot(long now) {
        trim(now);
        double fps;
        if (completions.isEmpty() || firstStart < 0) {
            fps = 0;
        } else {
            // Before two seconds have passed, divide by the time actually covered.
            double span = Math.min(FPS_WINDOW_NANOS, Math.max(1, now - firstStart)) / 1e9;
            fps = completions.size() / span;
        }
        double p50 = Double.NaN;
        double p95 = Double.NaN;
        if (latencyCount > 0) {
            double[] sorted = Arrays.copyOf(latencies, latencyCount);
            Arrays.sort(sorted);
            p50 = percentile(sorted, 0.50);
            p95 = percentile(sorted, 0.95);
        }
        return new LiveStats.ModelStats(name, frames, fps, p50, p95, dropped);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
