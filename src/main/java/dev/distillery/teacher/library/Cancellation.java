package dev.distillery.teacher.library;

/**
 * A flag that a long operation (download, import) checks between chunks of work. One object per
 * operation; {@link #cancel()} may be called from any thread, e.g. the UI's Cancel button.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** A fresh, not yet cancelled flag. */
    public Cancellation() {
    }

    /** A flag nobody will ever set, for callers that do not offer cancelling. */
    public static Cancellation none() {
        return new Cancellation();
    }

    /** Asks the operation to stop at its next check. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Throws when cancelled, or when the current thread was interrupted (the interrupt is treated
     * as a cancel and the interrupt status is kept).
     *
     * @throws CancelledException naming {@code what} was cancelled
     */
    public void check(String what) {
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw new CancelledException(what + " was cancelled.");
        }
    }
}
