package dev.distillery.ui.live;

import dev.distillery.live.LiveFrame;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The newest rendered frames of the two models, handed to the painter. Each at its own pace, every pane shows its
 * newest frame. Synced, the panes show a pair: the newest frame number both models have finished, so the two
 * panes always show the same frame even when one model is a frame ahead. Workers {@link #offer}; the FX thread
 * {@link #take}s.
 */
final class FramePairs {
    /** Frames kept per model while waiting for the other's; synced models are at most a frame or two apart. */
    private static final int KEEP = 4;

    /** What to paint now; either may be null (nothing new for that pane). */
    record Paint(LiveFrame a, LiveFrame b) {
    }

    private final Deque<LiveFrame> a = new ArrayDeque<>();
    private final Deque<LiveFrame> b = new ArrayDeque<>();
    private long shownA = -1;
    private long shownB = -1;

    synchronized void offer(LiveFrame f) {
        Deque<LiveFrame> q = f.model() == 0 ? a : b;
        q.addLast(f);
        while (q.size() > KEEP) {
            q.removeFirst();
        }
    }

    /**
     * @param synced  pair the frames by number (two models running)
     * @param twoModels whether a second model runs; with one, model 0's newest frame is shown
     */
    synchronized Paint take(boolean synced, boolean twoModels) {
        if (!synced || !twoModels) {
            LiveFrame na = newest(a, shownA);
            LiveFrame nb = newest(b, shownB);
            shownA = na == null ? shownA : na.frameNumber();
            shownB = nb == null ? shownB : nb.frameNumber();
            return new Paint(na, nb);
        }
        LiveFrame bestA = null;
        LiveFrame bestB = null;
        for (LiveFrame fa : a) {
            for (LiveFrame fb : b) {
                if (fa.frameNumber() == fb.frameNumber() && (bestA == null || fa.frameNumber() > bestA.frameNumber())) {
                    bestA = fa;
                    bestB = fb;
                }
            }
        }
        if (bestA == null || (shownA == shownB && bestA.frameNumber() <= shownA)) {
            return new Paint(null, null);
        }
        shownA = bestA.frameNumber();
        shownB = bestB.frameNumber();
        return new Paint(bestA, bestB);
    }

    private static LiveFrame newest(Deque<LiveFrame> q, long shown) {
        LiveFrame f = q.peekLast();
        return f == null || f.frameNumber() == shown ? null : f;
    }

    synchronized void clear() {
        a.clear();
        b.clear();
        shownA = -1;
        shownB = -1;
    }
}
