package dev.distillery.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of (reference class, predicted class) pairs over K classes. The reference is the teacher's class (or the
 * ground truth), the prediction the student's. Not thread-safe.
 *
 * <p>Figures, over the N pairs added:
 * <ul>
 *   <li><b>agreement</b>: the diagonal over N (accuracy against the reference);</li>
 *   <li><b>majority baseline</b>: the share of the most frequent reference class, what a student that always
 *       gives that class would score;</li>
 *   <li><b>balanced agreement</b>: the mean recall over the classes present in the reference (macro recall), so a
 *       constant answer scores 1 / (classes present);</li>
 *   <li><b>Cohen's kappa</b>: (p<sub>o</sub> − p<sub>e</sub>) / (1 − p<sub>e</sub>), p<sub>o</sub> the agreement and
 *       p<sub>e</sub> = Σ<sub>c</sub> (reference share of c)·(prediction share of c), the agreement expected by
 *       chance from the two marginals; 0 for a constant answer, 1 for perfect agreement. When p<sub>e</sub> = 1
 *       (both sides a single, same class) kappa is undefined and reported as 0: nothing was shown beyond
 *       chance;</li>
 *   <li><b>per-class recall</b>: of the pairs whose reference is c, the share predicted c (NaN when c is absent).</li>
 * </ul>
 * With no pairs every figure is 0.
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final long[] referenceTotals;
    private final long[] predictionTotals;
    private long total;
    private long agreed;

    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("A confusion matrix needs at least one class, got " + classes);
        }
        counts = new long[classes][classes];
        referenceTotals = new long[classes];
        predictionTotals = new long[classes];
    }

    /** Adds one pair. */
    public void add(int reference, int predicted) {
        add(reference, predicted, 1);
    }

    /** Adds {@code n} identical pairs. */
    public void add(int reference, int predicted, long n) {
        check(reference, "reference");
        check(predicted, "predicted");
        if (n < 0) {
            throw new IllegalArgumentException("A count cannot be negative: " + n);
        }
        counts[reference][predicted] += n;
        referenceTotals[reference] += n;
        predictionTotals[predicted] += n;
        total += n;
        if (reference == predicted) {
            agreed += n;
        }
    }

    private void check(int c, String what) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException("The " + what + " class " + c + " is outside 0-" + (counts.length - 1));
        }
    }

    public int classes() {
        return counts.length;
    }

    public long total() {
        return total;
    }

    public long agreed() {
        return agreed;
    }

    /** Pairs with this reference and this prediction. */
    public long count(int reference, int predicted) {
        return counts[reference][predicted];
    }

    /** Pairs whose reference is {@code c}. */
    public long referenceCount(int c) {
        return referenceTotals[c];
    }

    /** Pairs whose prediction is {@code c}. */
    public long predictionCount(int c) {
        return predictionTotals[c];
    }

    public double agreement() {
        return total == 0 ? 0 : agreed / (double) total;
    }

    /** The most frequent reference class (the lowest index on ties). */
    public int majorityClass() {
        int best = 0;
        for (int c = 1; c < referenceTotals.length; c++) {
            if (referenceTotals[c] > referenceTotals[best]) {
                best = c;
            }
        }
        return best;
    }

    public double majorityBaseline() {
        return total == 0 ? 0 : referenceTotals[majorityClass()] / (double) total;
    }

    /** Classes that occur in the reference. */
    public int classesPresent() {
        int n = 0;
        for (long t : referenceTotals) {
            n += t > 0 ? 1 : 0;
        }
        return n;
    }

    /** Recall of class {@code c}; NaN when the reference never has it. */
    public double recall(int c) {
        return referenceTotals[c] == 0 ? Double.NaN : counts[c][c] / (double) referenceTotals[c];
    }

    /** Mean recall over the classes present in the reference. */
    public double balancedAgreement() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < counts.length; c++) {
            if (referenceTotals[c] > 0) {
                sum += recall(c);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    public double kappa() {
        if (total == 0) {
            return 0;
        }
        double n = total;
        double expected = 0;
        for (int c = 0; c < counts.length; c++) {
            expected += (referenceTotals[c] / n) * (predictionTotals[c] / n);
        }
        if (expected >= 1 - 1e-12) {
            return 0;
        }
        return (agreement() - expected) / (1 - expected);
    }

    /** One row per class, in class order (absent classes included, with count 0 and recall NaN). */
    public List<ClassRecall> perClass() {
        List<ClassRecall> out = new ArrayList<>(counts.length);
        for (int c = 0; c < counts.length; c++) {
            out.add(new ClassRecall(c, referenceTotals[c], counts[c][c], recall(c)));
        }
        return out;
    }

    /** Every figure at once. */
    public ClassMetrics summary() {
        return new ClassMetrics(total, agreed, agreement(), majorityClass(), majorityBaseline(), balancedAgreement(),
                kappa(), classesPresent(), perClass());
    }

    /**
     * One class's row.
     *
     * @param index  the class
     * @param count  pairs whose reference is this class
     * @param agreed of those, the ones predicted as this class
     * @param recall agreed / count; NaN when count is 0
     */
    public record ClassRecall(int index, long count, long agreed, double recall) {
    }
}
