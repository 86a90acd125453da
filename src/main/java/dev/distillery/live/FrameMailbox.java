package dev.distillery.live;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A latest-wins hand-over of {@link LiveFrame}s from a pipeline worker to a slower consumer (the FX thread):
 * the worker {@link #offer}s every frame and never blocks; the consumer {@link #take}s the newest one, and
 * frames it was too slow for are simply replaced. {@code offer} returns true only when the consumer has taken
 * the previous frame, so the producer schedules at most one pending hand-over at a time:
 *
 * <pre>{@code
 * pipeline.addListener(new LiveListener() {
 *     public void onFrame(LiveFrame f) {
 *         if (mailbox.offer(f)) {
 *             Platform.runLater(() -> show(mailbox.take()));
 *         }
 *     }
 * });
 * }</pre>
 *
 * <p><b>Thread-safety:</b> lock-free and safe for any number of producers and consumers.
 */
public final class FrameMailbox {
    private final AtomicReference<LiveFrame> slot = new AtomicReference<>();

    /**
     * Puts the newest frame in, replacing an untaken one.
     *
     * @return true when the slot was empty, i.e. the consumer must be told (nothing is pending for it)
     */
    public boolean offer(LiveFrame frame) {
        return slot.getAndSet(frame) == null;
    }

    /** The newest frame, or null when there is none since the last take. */
    public LiveFrame take() {
        return slot.getAndSet(null);
    }
}
