package dev.distillery.core;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Time left for a job from the rate its progress moved at recently (the last {@link #WINDOW_SECONDS}), not from
 * the average since it began: set-up time spent at 0 % and phases of different speed would otherwise skew the
 * estimate (a benchmark that loads its model for seconds first said 23 s for a 10 s job). Not thread-safe: one
 * thread observes and asks.
 */
public final class RateEta {
    /** How much recent progress the rate is taken from. */
    public static final double WINDOW_SECONDS = 4;
    /** Before this much time has seen progress move, no estimate is given. */
    static final double MIN_SPAN_SECONDS = 0.5;

    private record Sample(long nanos, double fraction) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records the job's progress (0..1) at a time (System.nanoTime()). */
    public void observe(long nanos, double fraction) {
        if (!(fraction >= 0)) {
            return;
        }
        Sample last = samples.peekLast();
        if (last != null && fraction < last.fraction()) {
            samples.clear(); // went back (a restarted phase): the old rate means nothing now
        }
        samples.addLast(new Sample(nanos, fraction));
        while (samples.size() > 2 && (nanos - samples.peekFirst().nanos()) / 1e9 > WINDOW_SECONDS
                && (nanos - secondOf(samples).nanos()) / 1e9 >= WINDOW_SECONDS) {
            samples.removeFirst();
        }
    }

    private static Sample secondOf(Deque<Sample> d) {
        var it = d.iterator();
        it.next();
        return it.next();
    }

    /** Seconds left at the recent rate; NaN until progress has moved over at least half a second. */
    public double secondsLeft(long nanos) {
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        if (first == null || last == null || last.fraction() >= 1) {
            return Double.NaN;
        }
        // the window starts at the first sample whose progress is above the one before it: a long wait at 0 %
        // (loading) before the first step is not part of the rate
        Sample start = first;
        for (Sample s : samples) {
            if (s.fraction() > first.fraction()) {
                break;
            }
            start = s;
        }
        double span = (nanos - start.nanos()) / 1e9;
        double moved = last.fraction() - start.fraction();
        if (span < MIN_SPAN_SECONDS || moved <= 0) {
            return Double.NaN;
        }
        return (1 - last.fraction()) * span / moved;
    }

    /** "about 12 s left" or "about 3 min 05 s left"; empty without an estimate. */
    public static String text(double secondsLeft) {
        if (!Double.isFinite(secondsLeft)) {
            return "";
        }
        long left = Math.round(secondsLeft);
        return left < 60 ? "about " + Math.max(1, left) + " s left"
                : String.format(java.util.Locale.ROOT, "about %d min %02d s left", left / 60, left % 60);
    }
}
