package dev.distillery.metrics;

import java.util.BitSet;

/**
 * IoU of two probability maps binarized at one threshold: a pixel is marked when its probability is at least the
 * threshold. An image where neither map marks anything counts as IoU 1 (both agree there is nothing).
 *
 * <p>Over several images: <b>pooled</b> IoU is Σ intersections / Σ unions (large regions weigh more; 1 when
 * nothing is marked anywhere), <b>mean</b> IoU the average of the per-image IoUs. Pooled is what training
 * validation, the distill report and validators use; compare shows both.
 *
 * <p>The threshold is the student's {@code distillery.map_threshold} or the challenge's {@code mapThreshold};
 * {@link #DEFAULT_THRESHOLD} only when neither says.
 */
public final class MapIou {
    /** Threshold when neither the student's metadata nor the challenge gives one. */
    public static final double DEFAULT_THRESHOLD = 0.3;

    private MapIou() {
    }

    /** The threshold written in metadata, or {@link #DEFAULT_THRESHOLD} when absent, unreadable or not in (0, 1). */
    public static double threshold(String metadataValue) {
        if (metadataValue == null) {
            return DEFAULT_THRESHOLD;
        }
        try {
            double t = Double.parseDouble(metadataValue.strip());
            return t > 0 && t < 1 ? t : DEFAULT_THRESHOLD;
        } catch (NumberFormatException e) {
            return DEFAULT_THRESHOLD;
        }
    }

    /** Pixel counts of one image. */
    public record Counts(long intersection, long union, long firstMarked, long secondMarked, long pixels) {
        /** intersection / union, 1 when the union is empty. */
        public double iou() {
            return union == 0 ? 1 : intersection / (double) union;
        }
    }

    /** Counts for two probability maps of the same size. */
    public static Counts count(float[] a, float[] b, double threshold) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("The maps differ in size: " + a.length + " and " + b.length);
        }
        long inter = 0;
        long union = 0;
        long on1 = 0;
        long on2 = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] >= threshold;
            boolean y = b[i] >= threshold;
            inter += x && y ? 1 : 0;
            union += x || y ? 1 : 0;
            on1 += x ? 1 : 0;
            on2 += y ? 1 : 0;
        }
        return new Counts(inter, union, on1, on2, a.length);
    }

    /** Per-image IoU of two probability maps. */
    public static double iou(float[] a, float[] b, double threshold) {
        return count(a, b, threshold).iou();
    }

    /** The marked pixels of a probability map (compact, to keep while waiting for another model's map). */
    public static BitSet binarize(float[] probabilities, double threshold) {
        BitSet on = new BitSet(probabilities.length);
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] >= threshold) {
                on.set(i);
            }
        }
        return on;
    }

    /** IoU of two binarized maps of the same size; 1 when both are empty. */
    public static double iou(BitSet a, BitSet b) {
        BitSet inter = (BitSet) a.clone();
        inter.and(b);
        BitSet union = (BitSet) a.clone();
        union.or(b);
        return union.isEmpty() ? 1 : inter.cardinality() / (double) union.cardinality();
    }

    /** Sums over images: pooled and mean IoU, and the marked fractions. Not thread-safe. */
    public static final class Accumulator {
        private final double threshold;
        private long intersection;
        private long union;
        private long firstMarked;
        private long secondMarked;
        private long pixels;
        private double iouSum;
        private int images;

        public Accumulator(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("The threshold must be between 0 and 1, got " + threshold);
            }
            this.threshold = threshold;
        }

        public double threshold() {
            return threshold;
        }

        /** Adds one image's maps (probabilities); returns its counts. */
        public Counts add(float[] first, float[] second) {
            Counts c = count(first, second, threshold);
            add(c);
            return c;
        }

        public void add(Counts c) {
            intersection += c.intersection();
            union += c.union();
            firstMarked += c.firstMarked();
            secondMarked += c.secondMarked();
            pixels += c.pixels();
            iouSum += c.iou();
            images++;
        }

        public int images() {
            return images;
        }

        /** Σ∩ / Σ∪; 1 when nothing was marked (or nothing added). */
        public double pooled() {
            return union == 0 ? 1 : intersection / (double) union;
        }

        /** Mean per-image IoU; 0 with no image. */
        public double mean() {
            return images == 0 ? 0 : iouSum / images;
        }

        /** Fraction of pixels the first map marks. */
        public double firstMarkedFraction() {
            return pixels == 0 ? 0 : firstMarked / (double) pixels;
        }

        public double secondMarkedFraction() {
            return pixels == 0 ? 0 : secondMarked / (double) pixels;
        }
    }
}
