package dev.distillery.distill;

/**
 * Pause, resume and cancel for a running {@link Distiller}, from any thread. The training loop checks between
 * steps, so a pause or cancel takes effect within one step.
 */
public final class RunControl {
    private boolean paused;
    private volatile boolean cancelled;

    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** Stops the run after the current step; a paused run is woken to stop. */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Blocks while paused (and not cancelled).
     *
     * @return true when it did wait
     */
    public synchronized boolean awaitIfPaused() {
        boolean waited = false;
        while (paused && !cancelled) {
            waited = true;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
            }
        }
        return waited;
    }
}
