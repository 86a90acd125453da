package dev.distillery.core;

import java.time.Duration;

/**
 * Work the user is waiting for on this machine (a training run), which background work of the app yields to: the
 * embedded devnet's validators wait before an evaluation while a run trains, so training gets the cores and the
 * evaluation's latency figure is not measured on a machine busy with training (which once failed honest students'
 * latency gate). Process-wide; thread-safe.
 */
public final class Foreground {
    private static final Object LOCK = new Object();
    private static int active;

    private Foreground() {
    }

    /** Ends the foreground work it was returned for. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** Marks foreground work as running until the returned handle is closed (closing twice is harmless). */
    public static Handle begin() {
        synchronized (LOCK) {
            active++;
        }
        boolean[] closed = new boolean[1];
        return () -> {
            synchronized (LOCK) {
                if (!closed[0]) {
                    closed[0] = true;
                    active--;
                    LOCK.notifyAll();
                }
            }
        };
    }

    public static boolean busy() {
        synchronized (LOCK) {
            return active > 0;
        }
    }

    /**
     * Waits until no foreground work runs, at most {@code max}.
     *
     * @return true when idle, false when the wait ran out
     */
    public static boolean awaitIdle(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        synchronized (LOCK) {
            while (active > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LOCK.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
