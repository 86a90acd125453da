package dev.distillery.distill.quant;

import java.util.List;

/** How closely two models' outputs agree, as validators score it: top-1 for classifiers, IoU for maps. */
public final class Agreement {
    /** Probability at which dense maps are binarized (sigmoid of the logits). */
    public static final double DENSE_THRESHOLD = 0.3;

    public enum Metric {
        TOP1("top-1 agreement"), MEAN_IOU("mean IoU@0.3");

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

    public static double of(Metric metric, List<float[]> reference, List<float[]> candidate) {
        return of(metric, reference, candidate, false);
    }

    /** {@code probabilities}: dense maps are already probabilities (the model ends in Sigmoid), not logits. */
    public static double of(Metric metric, List<float[]> reference, List<float[]> candidate, boolean probabilities) {
        if (reference.size() != candidate.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("need the same, non-zero number of outputs: " + reference.size()
                    + " vs " + candidate.size());
        }
        double sum = 0;
        for (int i = 0; i < reference.size(); i++) {
            sum += metric == Metric.TOP1 ? (argmax(reference.get(i)) == argmax(candidate.get(i)) ? 1 : 0)
                    : iou(reference.get(i), candidate.get(i), probabilities);
        }
        return sum / reference.size();
    }

    /** IoU of two logit maps binarized at sigmoid ≥ {@link #DENSE_THRESHOLD}; two empty maps agree fully (1). */
    public static double iou(float[] a, float[] b) {
        return iou(a, b, false);
    }

    /** As {@link #iou(float[], float[])}, on probability maps when {@code probabilities}. */
    public static double iou(float[] a, float[] b, boolean probabilities) {
        double logit = probabilities ? DENSE_THRESHOLD : Math.log(DENSE_THRESHOLD / (1 - DENSE_THRESHOLD));
        long inter = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] >= logit;
            boolean y = b[i] >= logit;
            inter += x && y ? 1 : 0;
            union += x || y ? 1 : 0;
        }
        return union == 0 ? 1.0 : inter / (double) union;
    }

    static int argmax(float[] v) {
        return dev.distillery.distill.target.Target.argmax(v);
    }
}
