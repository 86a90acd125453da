package dev.distillery.metrics;

import java.util.List;

/**
 * A snapshot of a {@link ConfusionMatrix}: see there for the definitions.
 *
 * @param total             pairs counted
 * @param agreed            pairs where the prediction equals the reference
 * @param agreement         agreed / total
 * @param majorityClass     the most frequent reference class
 * @param majorityBaseline  its share: what always answering it scores
 * @param balancedAgreement mean per-class recall over the classes present in the reference
 * @param kappa             Cohen's kappa
 * @param classesPresent    classes that occur in the reference
 * @param perClass          per-class counts and recall, in class order
 */
public record ClassMetrics(long total, long agreed, double agreement, int majorityClass, double majorityBaseline,
                           double balancedAgreement, double kappa, int classesPresent,
                           List<ConfusionMatrix.ClassRecall> perClass) {
    public ClassMetrics {
        perClass = List.copyOf(perClass);
    }

    /** Whether the student learnt more than the majority answer; see {@link Verdict#of}. */
    public Verdict verdict() {
        return Verdict.of(this);
    }
}
