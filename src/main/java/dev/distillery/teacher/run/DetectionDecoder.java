package dev.distillery.teacher.run;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherException;
import dev.distillery.vision.Transform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * YOLO-style detection output of one image → boxes in original-image pixels, after a score threshold and
 * class-aware non-maximum suppression. Immutable and thread-safe; {@link #decode} is a pure function.
 *
 * <p>Confidence is objectness × best class score for the rows layouts and the best class score for
 * {@link DetectionLayout#COLUMNS}. {@link DetectionLayout#ROWS_GRID} boxes are decoded as documented there,
 * with grid cells row-major per stride level and levels in increasing stride order.
 *
 * @param scoreThreshold keep boxes with confidence ≥ this
 * @param iouThreshold   suppress a box whose IoU with a better box of the same class exceeds this
 * @param maxBoxes       keep at most this many boxes
 */
public record DetectionDecoder(float scoreThreshold, float iouThreshold, int maxBoxes) {
    public static final float DEFAULT_SCORE_THRESHOLD = (float) dev.distillery.metrics.DetectionAp.CONFIDENT;
    public static final float DEFAULT_IOU_THRESHOLD = 0.45f;
    public static final int DEFAULT_MAX_BOXES = 100;
    private static final List<Integer> DEFAULT_STRIDES = List.of(8, 16, 32);

    /** Threshold 0.25, IoU 0.45, at most 100 boxes. */
    public static DetectionDecoder defaults() {
        return new DetectionDecoder(DEFAULT_SCORE_THRESHOLD, DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_BOXES);
    }

    /** The same decoder with another score threshold. */
    public DetectionDecoder withScoreThreshold(float threshold) {
        return new DetectionDecoder(threshold, iouThreshold, maxBoxes);
    }

    /**
     * @param out     the output values of one image, row-major
     * @param dim0    first axis of the per-image output: the number of predictions (rows layouts) or 4 + C
     *                (COLUMNS)
     * @param dim1    second axis: 5 + C (rows layouts) or the number of predictions (COLUMNS)
     * @param layout  the output layout
     * @param strides grid strides for ROWS_GRID (empty: 8, 16, 32)
     * @param t       how the image was preprocessed; its input size drives the grid decode
     * @param label   the label of class i
     */
    public Prediction.Detections decode(float[] out, int dim0, int dim1, DetectionLayout layout, List<Integer> strides,
                                        Transform t, IntFunction<String> label) {
        if ((long) dim0 * dim1 > out.length) {
            throw new TeacherException("Detection output has " + out.length + " values, expected " + dim0 + "×" + dim1);
        }
        boolean columns = layout == DetectionLayout.COLUMNS;
        int count = columns ? dim1 : dim0;
        int attrs = columns ? dim0 : dim1;
        int classes = attrs - (columns ? 4 : 5);
        if (classes < 1) {
            throw new TeacherException("Detection output has " + attrs + " values per box: too few for the "
                    + layout + " layout");
        }
        int[] levels = layout == DetectionLayout.ROWS_GRID ? levels(count, strides, t) : null;
        List<Prediction.Box> candidates = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            float obj = columns ? 1f : out[a * attrs + 4];
            if (obj < scoreThreshold) {
                continue;
            }
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            int first = columns ? 4 : 5;
            for (int c = 0; c < classes; c++) {
                float s = columns ? out[(first + c) * count + a] : out[a * attrs + first + c];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            float conf = obj * bestScore;
            if (conf < scoreThreshold) {
                continue;
            }
            float x = columns ? out[a] : out[a * attrs];
            float y = columns ? out[count + a] : out[a * attrs + 1];
            float w = columns ? out[2 * count + a] : out[a * attrs + 2];
            float h = columns ? out[3 * count + a] : out[a * attrs + 3];
            double cx = x;
            double cy = y;
            double bw = w;
            double bh = h;
            if (levels != null) {
                // Find the stride level of row a, then its cell (row-major within the level).
                int first0 = 0;
                int level = 0;
                int cells = (t.inputWidth() / levels[0]) * (t.inputHeight() / levels[0]);
                while (a >= first0 + cells) {
                    first0 += cells;
                    level++;
                    cells = (t.inputWidth() / levels[level]) * (t.inputHeight() / levels[level]);
                }
                int s = levels[level];
                int gw = t.inputWidth() / s;
                int cell = a - first0;
                cx = (x + cell % gw) * s;
                cy = (y + cell / gw) * s;
                bw = Math.exp(w) * s;
                bh = Math.exp(h) * s;
            }
            float x1 = clip(t.toSourceX(cx - bw / 2), t.sourceWidth());
            float y1 = clip(t.toSourceY(cy - bh / 2), t.sourceHeight());
            float x2 = clip(t.toSourceX(cx + bw / 2), t.sourceWidth());
            float y2 = clip(t.toSourceY(cy + bh / 2), t.sourceHeight());
            if (x2 > x1 && y2 > y1) {
                candidates.add(new Prediction.Box(x1, y1, x2, y2, best, label.apply(best), conf));
            }
        }
        return new Prediction.Detections(nms(candidates));
    }

    /** Greedy class-aware NMS: best first, at most {@link #maxBoxes}. */
    List<Prediction.Box> nms(List<Prediction.Box> candidates) {
        candidates.sort(Comparator.comparingDouble(Prediction.Box::score).reversed());
        List<Prediction.Box> kept = new ArrayList<>();
        for (Prediction.Box b : candidates) {
            if (kept.size() >= maxBoxes) {
                break;
            }
            boolean suppressed = false;
            for (Prediction.Box k : kept) {
                if (k.classIndex() == b.classIndex() && iou(k, b) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(b);
            }
        }
        return kept;
    }

    /** Intersection over union of two boxes (0 when both are empty). */
    public static float iou(Prediction.Box a, Prediction.Box b) {
        float iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        float ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (iw <= 0 || ih <= 0) {
            return 0f;
        }
        float inter = iw * ih;
        float union = a.area() + b.area() - inter;
        return union <= 0 ? 0f : inter / union;
    }

    /** The strides in increasing order, after checking that they account for every row. */
    private static int[] levels(int count, List<Integer> strides, Transform t) {
        List<Integer> levels = new ArrayList<>(strides == null || strides.isEmpty() ? DEFAULT_STRIDES : strides);
        levels.sort(Comparator.naturalOrder());
        int expected = 0;
        for (int s : levels) {
            if (s <= 0) {
                throw new TeacherException("Grid strides must be positive: " + levels);
            }
            expected += (t.inputWidth() / s) * (t.inputHeight() / s);
        }
        if (expected != count) {
            throw new TeacherException("The detection output has " + count + " rows but a " + t.inputWidth() + "×"
                    + t.inputHeight() + " input with strides " + levels + " gives " + expected
                    + ": check the input size and the strides");
        }
        return levels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float clip(double v, int max) {
        return (float) Math.max(0, Math.min(max, v));
    }
}
