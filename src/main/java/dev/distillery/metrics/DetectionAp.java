package dev.distillery.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Average precision of one detector's boxes against another's (the teacher's boxes above its confidence threshold
 * taken as ground truth), COCO-style:
 * <ul>
 *   <li>per frame and IoU threshold t, the predictions in descending score each take the unmatched truth box of
 *       the same class with the highest IoU, if that IoU is at least t;</li>
 *   <li>per class, all frames' predictions in descending score (ties in the order they were added) give a
 *       precision/recall curve; precision is made non-increasing from the right, and AP is its mean at the 101
 *       recalls 0, 0.01, …, 1 (0 where the recall is never reached);</li>
 *   <li>mAP@0.5 averages the classes' AP at t = 0.5; mAP@0.5:0.95 averages over t = 0.50, 0.55, …, 0.95 and the
 *       classes. Classes without truth boxes are left out of the means (their predictions are only counted in the
 *       boxes per frame); with no truth box at all, both are undefined (NaN).</li>
 * </ul>
 * Not thread-safe: one accumulator per measurement.
 */
public final class DetectionAp {
    /** IoU thresholds 0.50, 0.55, …, 0.95. */
    static final double[] THRESHOLDS = {0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95};
    private static final int RECALL_POINTS = 101;

    /** One class: its AP at 0.5 and over 0.5:0.95, and how many truth boxes it had. */
    public record ClassAp(int classIndex, int truthBoxes, double ap50, double ap50to95) {
    }

    /**
     * @param map50         mAP at IoU 0.5 (NaN without any truth box)
     * @param map50to95     mAP averaged over IoU 0.50:0.05:0.95 (NaN without any truth box)
     * @param truthPerFrame mean truth boxes per frame
     * @param predictedPerFrame mean predicted boxes per frame (all given, however unsure: AP ranks them all)
     * @param confidentPerFrame mean predicted boxes per frame with a score of at least {@link #CONFIDENT}: the boxes
     *                          a user sees drawn, and what "boxes per image" means wherever it is shown
     */
    public record Result(double map50, double map50to95, List<ClassAp> perClass, int frames, double truthPerFrame,
                         double predictedPerFrame, double confidentPerFrame) {
    }

    /** The score from which a predicted box is shown (and counted in {@link Result#confidentPerFrame}). */
    public static final double CONFIDENT = 0.25;

    private DetectionAp() {
    }

    /** A fresh accumulator. */
    public static Accumulator accumulator() {
        return new Accumulator();
    }

    /** Adds frames one at a time; {@link #result} may be read at any point. */
    public static final class Accumulator {
        /** Per prediction: class, score, and whether it matched at each threshold. */
        private record Scored(int classIndex, float score, long order, boolean[] matched) {
        }

        private final List<Scored> predictions = new ArrayList<>();
        private final Map<Integer, Integer> truthCounts = new TreeMap<>();
        private int frames;
        private long truthBoxes;
        private long confident;

        private Accumulator() {
        }

        /** One frame: the truth boxes (their scores are ignored) and the predicted boxes with their scores. */
        public Accumulator add(List<BoxMatching.Box> truth, List<BoxMatching.Box> predicted) {
            frames++;
            truthBoxes += truth.size();
            for (BoxMatching.Box t : truth) {
                truthCounts.merge(t.classIndex(), 1, Integer::sum);
            }
            List<BoxMatching.Box> sorted = new ArrayList<>(predicted);
            sorted.sort(Comparator.comparingDouble((BoxMatching.Box b) -> b.score()).reversed()); // stable
            double[][] iou = new double[sorted.size()][truth.size()];
            for (int i = 0; i < sorted.size(); i++) {
                for (int j = 0; j < truth.size(); j++) {
                    iou[i][j] = sorted.get(i).classIndex() == truth.get(j).classIndex()
                            ? BoxMatching.iou(sorted.get(i), truth.get(j)) : -1;
                }
            }
            boolean[][] matched = new boolean[sorted.size()][THRESHOLDS.length];
            for (int k = 0; k < THRESHOLDS.length; k++) {
                boolean[] used = new boolean[truth.size()];
                for (int i = 0; i < sorted.size(); i++) {
                    int best = -1;
                    double bestIou = THRESHOLDS[k];
                    for (int j = 0; j < truth.size(); j++) {
                        if (!used[j] && iou[i][j] >= bestIou) {
                            bestIou = iou[i][j];
                            best = j;
                        }
                    }
                    if (best >= 0) {
                        used[best] = true;
                        matched[i][k] = true;
                    }
                }
            }
            for (BoxMatching.Box b : predicted) {
                confident += b.score() >= CONFIDENT ? 1 : 0;
            }
            for (int i = 0; i < sorted.size(); i++) {
                predictions.add(new Scored(sorted.get(i).classIndex(), sorted.get(i).score(), predictions.size(),
                        matched[i]));
            }
            return this;
        }

        public Result result() {
            List<ClassAp> perClass = new ArrayList<>();
            double sum50 = 0;
            double sumAll = 0;
            for (Map.Entry<Integer, Integer> e : truthCounts.entrySet()) {
                int c = e.getKey();
                int truth = e.getValue();
                List<Scored> mine = new ArrayList<>();
                for (Scored p : predictions) {
                    if (p.classIndex() == c) {
                        mine.add(p);
                    }
                }
                mine.sort(Comparator.comparingDouble((Scored p) -> p.score()).reversed()
                        .thenComparingLong(Scored::order));
                double[] ap = new double[THRESHOLDS.length];
                for (int k = 0; k < THRESHOLDS.length; k++) {
                    ap[k] = averagePrecision(mine, k, truth);
                }
                double all = Arrays.stream(ap).average().orElse(0);
                perClass.add(new ClassAp(c, truth, ap[0], all));
                sum50 += ap[0];
                sumAll += all;
            }
            int n = perClass.size();
            return new Result(n == 0 ? Double.NaN : sum50 / n, n == 0 ? Double.NaN : sumAll / n, List.copyOf(perClass),
                    frames, frames == 0 ? 0 : (double) truthBoxes / frames,
                    frames == 0 ? 0 : (double) predictions.size() / frames,
                    frames == 0 ? 0 : (double) confident / frames);
        }

        /** 101-point interpolated AP of one class's predictions (sorted) at threshold index k. */
        private static double averagePrecision(List<Scored> sorted, int k, int truth) {
            int n = sorted.size();
            double[] precision = new double[n];
            double[] recall = new double[n];
            int tp = 0;
            for (int i = 0; i < n; i++) {
                tp += sorted.get(i).matched()[k] ? 1 : 0;
                precision[i] = (double) tp / (i + 1);
                recall[i] = (double) tp / truth;
            }
            for (int i = n - 2; i >= 0; i--) {
                precision[i] = Math.max(precision[i], precision[i + 1]);
            }
            double sum = 0;
            int i = 0;
            for (int r = 0; r < RECALL_POINTS; r++) {
                double level = r / (double) (RECALL_POINTS - 1);
                while (i < n && recall[i] < level) {
                    i++;
                }
                if (i < n) {
                    sum += precision[i];
                }
            }
            return sum / RECALL_POINTS;
        }
    }
}
