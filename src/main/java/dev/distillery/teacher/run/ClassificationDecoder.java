package dev.distillery.teacher.run;

import dev.distillery.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Class scores of one image → the top-k classes with probabilities. A pure function. */
public final class ClassificationDecoder {
    /** How many classes a prediction lists unless told otherwise. */
    public static final int DEFAULT_TOP_K = 5;

    private ClassificationDecoder() {
    }

    /**
     * @param scores              one score per class (logits, or probabilities)
     * @param outputIsProbability true when {@code scores} are already probabilities; otherwise softmax is applied
     * @param k                   how many classes to return (clamped to the class count)
     * @param label               the label of class i
     * @return the k best classes, best first (ties: lower index first), with every class's probability
     */
    public static Prediction.Classification decode(float[] scores, boolean outputIsProbability, int k,
                                                   IntFunction<String> label) {
        float[] p = outputIsProbability ? scores : softmax(scores);
        int n = Math.min(Math.max(k, 0), p.length);
        boolean[] taken = new boolean[p.length];
        List<Prediction.Scored> top = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!taken[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Prediction.Scored(best, label.apply(best), p[best]));
        }
        return new Prediction.Classification(top, p);
    }

    /** Numerically stable softmax (computed in double). */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (e[i] / sum);
        }
        return out;
    }
}
