package dev.distillery.teacher.library;

/** Passes progress on at most every 100 ms (and always the first and the final call). */
final class ProgressThrottle {
    private static final long INTERVAL_NANOS = 100_000_000L;

    private final DownloadListener listener;
    private final long startNanos = System.nanoTime();
    private long lastNanos;
    private boolean first = true;
    private long bytesThisSession;

    ProgressThrottle(DownloadListener listener) {
        this.listener = listener == null ? DownloadListener.NONE : listener;
    }

    /** Counts bytes actually transferred now (for the speed), excluding resumed ones. */
    void transferred(long n) {
        bytesThisSession += n;
    }

    void report(long done, long total, boolean force) {
        long now = System.nanoTime();
        if (!force && !first && now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        first = false;
        lastNanos = now;
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        listener.progress(done, total, bytesThisSession / seconds);
    }
}
