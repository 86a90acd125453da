package dev.distillery.metrics;

import java.util.Locale;

/**
 * Whether a classifier student learnt more than "always answer the most frequent class".
 *
 * <p>It FAILS when its agreement is at most the majority baseline plus {@value #BASELINE_MARGIN} (two points),
 * or its Cohen's kappa is at most {@value #KAPPA_FLOOR} (no more than slight agreement beyond chance), or the
 * reference holds a single class (then nothing can show that it tells classes apart). Otherwise it PASSES. The
 * margin absorbs the noise of a few hundred validation images; the kappa floor catches a student that answers
 * the two or three biggest classes and nothing else, which can sit a little above the baseline.
 *
 * @param failed whether the student is no better than the majority answer
 * @param reason one sentence with the figures behind a failure; empty when it passes
 */
public record Verdict(boolean failed, String reason) {
    public static final double BASELINE_MARGIN = 0.02;
    public static final double KAPPA_FLOOR = 0.1;
    /** What to try after a failure. */
    public static final String ADVICE = "Try more or more varied frames, a longer budget (--minutes), "
            + "or a bigger preset (cls-small/cls-base).";

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";

    /** The verdict on these figures; see the class comment. */
    public static Verdict of(ClassMetrics m) {
        if (m.total() == 0) {
            return new Verdict(true, "No images were compared.");
        }
        if (m.classesPresent() < 2) {
            return new Verdict(true, "The teacher saw a single class on these images, so agreement cannot show "
                    + "that the student tells classes apart.");
        }
        if (m.agreement() <= m.majorityBaseline() + BASELINE_MARGIN) {
            return new Verdict(true, String.format(Locale.ROOT, "Agreement %.3f is no better than always answering "
                    + "the most frequent class (baseline %.3f).", m.agreement(), m.majorityBaseline()));
        }
        if (m.kappa() <= KAPPA_FLOOR) {
            return new Verdict(true, String.format(Locale.ROOT, "Cohen's kappa %.3f: barely better than chance "
                    + "given how often each class occurs.", m.kappa()));
        }
        return new Verdict(false, "");
    }

    /** {@value #PASSED} or {@value #FAILED}. */
    public String label() {
        return failed ? FAILED : PASSED;
    }

    /** What to try next, or empty when it passed. */
    public String advice() {
        return failed ? ADVICE : "";
    }
}
