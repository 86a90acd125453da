package dev.distillery.live;

/**
 * Receives what a {@link LivePipeline} produces. All methods are called on pipeline threads (never the FX
 * thread), so they must be cheap and must not block: hand the value to the UI (e.g. set an
 * {@code AtomicReference} and schedule one {@code Platform.runLater} if none is pending) and return. A slow
 * listener slows the worker that calls it, nothing else.
 */
public interface LiveListener {
    /** A model finished a frame; called on that model's worker thread. */
    default void onFrame(LiveFrame frame) {
    }

    /** The pipeline stops because of a failure (source broke, model failed); called at most once. */
    default void onError(String message) {
    }

    /** All pipeline threads have ended (end of source, error, or {@link LivePipeline#stop()}); called once. */
    default void onStopped() {
    }
}
