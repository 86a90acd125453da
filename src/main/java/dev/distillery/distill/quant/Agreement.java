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
        TOP1("top-1 agreement"), MEAN_IOU("mean IoU"), BOX_F1("box F1 @ IoU 0.5");

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

    /**
     * Rank 2 output [N, K] → top-1; rank 3 [N, 4 + K, boxes] (a detector in YOLOv8's layout) → box F1; rank 4
     * [N, K, H, W] → IoU; anything else is refused.
     */
    public static Metric metricFor(long[] outputShape) {
        return switch (outputShape.length) {
            case 2 -> Metric.TOP1;
            case 3 -> Metric.BOX_F1;
            case 4 -> Metric.MEAN_IOU;
            default -> throw new IllegalArgumentException("no agreement metric for output rank " + outputShape.length
                    + " (expected 2 for a classifier, 3 for a detector or 4 for a dense map)");
        };
    }

    /**
     * Detectors in YOLOv8's column layout ({@code attributes} = 4 + classes per box): both decoded by the app's
     * decoder at its default confidence and NMS, then the F1 of boxes matched at IoU 0.5, averaged over samples (the
     * agreement Live and compare show).
     */
    public static double boxF1(List<float[]> reference, List<float[]> candidate, int attributes) {
        if (reference.size() != candidate.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("need the same, non-zero number of outputs: " + reference.size()
                    + " vs " + candidate.size());
        }
        var decoder = dev.distillery.teacher.run.DetectionDecoder.defaults();
        int anywhere = 1 << 16; // no clipping: boxes stay as the models give them
        double sum = 0;
        for (int i = 0; i < reference.size(); i++) {
            sum += dev.distillery.metrics.BoxMatching.f1(
                    dev.distillery.distill.target.Target.Boxes.columnBoxes(reference.get(i), attributes, decoder,
                            anywhere, anywhere),
                    dev.distillery.distill.target.Target.Boxes.columnBoxes(candidate.get(i), attributes, decoder,
                            anywhere, anywhere));
        }
        return sum / reference.size();
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
