package dev.distillery.distill.quant;

import dev.distillery.metrics.ClassMapping;
import dev.distillery.metrics.ConfusionMatrix;
import dev.distillery.metrics.MapIou;
import java.util.List;

/**
 * How closely the int8 model's outputs agree with the float model's, with the figures of
 * {@link dev.distillery.metrics}: top-1 agreement for classifiers, mean per-sample IoU of the binarized maps for
 * dense models (at the student's {@code distillery.map_threshold}, else {@link MapIou#DEFAULT_THRESHOLD}).
 */
public final class Agreement {
    public enum Metric {
        TOP1("top-1 agreement"), MEAN_IOU("mean IoU");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private Agreement() {
    }

    /** Rank 2 output [N, K] → top-1; rank 4 [N, K, H, W] → IoU; anything else is refused. */
    public static Metric metricFor(long[] outputShape) {
        return switch (outputShape.length) {
            case 2 -> Metric.TOP1;
            case 4 -> Metric.MEAN_IOU;
            default -> throw new IllegalArgumentException("no agreement metric for output rank " + outputShape.length
                    + " (expected 2 for a classifier or 4 for a dense map)");
        };
    }

    /**
     * @param probabilities dense maps are already probabilities (the model ends in Sigmoid), not logits
     * @param threshold     dense maps are binarized at this probability
     */
    public static double of(Metric metric, List<float[]> reference, List<float[]> candidate, boolean probabilities,
                            double threshold) {
        if (reference.size() != candidate.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("need the same, non-zero number of outputs: " + reference.size()
                    + " vs " + candidate.size());
        }
        if (metric == Metric.TOP1) {
            ConfusionMatrix m = new ConfusionMatrix(reference.get(0).length);
            for (int i = 0; i < reference.size(); i++) {
                m.add(ClassMapping.argmax(reference.get(i)), ClassMapping.argmax(candidate.get(i)));
            }
            return m.agreement();
        }
        MapIou.Accumulator acc = new MapIou.Accumulator(threshold);
        for (int i = 0; i < reference.size(); i++) {
            acc.add(probabilities(reference.get(i), probabilities), probabilities(candidate.get(i), probabilities));
        }
        return acc.mean();
    }

    private static float[] probabilities(float[] v, boolean already) {
        if (already) {
            return v;
        }
        float[] p = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-v[i])));
        }
        return p;
    }
}
