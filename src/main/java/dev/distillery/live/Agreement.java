package dev.distillery.live;

import dev.distillery.model.Prediction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much two models agree, per frame and as a rolling rate over their last {@link #WINDOW} commonly
 * processed frames.
 *
 * <ul>
 *   <li>classification: 1 when the top-1 classes are the same, else 0;</li>
 *   <li>dense: 1 when the IoU of the binarized maps (p &gt; 0.5) is at least 0.5, else 0 (two empty masks
 *       agree);</li>
 *   <li>detection: boxes matched greedily (same class, IoU ≥ 0.5, best score first) divided by the union count
 *       {@code a + b − matched}; two empty lists agree fully.</li>
 * </ul>
 * Predictions of different kinds, and embeddings, have no agreement ({@code NaN}) and are not counted.
 *
 * <p><b>Thread-safety:</b> the static methods are pure; an instance is thread-safe (synchronized), so both
 * workers can {@link #record} into it.
 */
public final class Agreement {
    /** Common frames the rolling rate covers. */
    public static final int WINDOW = 100;
    /** Predictions kept per model while waiting for the other model to reach the same frame. */
    private static final int PENDING = 64;

    private final List<Map<Long, Object>> recent = List.of(lru(), lru());
    private final double[] window = new double[WINDOW];
    private int size;
    private int next;
    private double sum;

    private static Map<Long, Object> lru() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
                return size() > PENDING;
            }
        };
    }

    /** Records model {@code model}'s (0 or 1) answer on a frame; scores it when the other model has one too. */
    public synchronized void record(int model, long frameNumber, Prediction prediction) {
        Object mine = compact(prediction);
        Object theirs = recent.get(1 - model).remove(frameNumber);
        if (theirs == null) {
            recent.get(model).put(frameNumber, mine);
            return;
        }
        double score = scoreCompact(mine, theirs);
        if (Double.isNaN(score)) {
            return;
        }
        if (size == WINDOW) {
            sum -= window[next];
        } else {
            size++;
        }
        window[next] = score;
        sum += score;
        next = (next + 1) % WINDOW;
    }

    /** The rolling agreement rate in [0, 1], or NaN before the first common frame. */
    public synchronized double rate() {
        return size == 0 ? Double.NaN : sum / size;
    }

    /** Common frames behind {@link #rate()}. */
    public synchronized int samples() {
        return size;
    }

    /** The agreement of two predictions on the same frame, in [0, 1], or NaN when not comparable. */
    public static double score(Prediction a, Prediction b) {
        return scoreCompact(compact(a), compact(b));
    }

    /** A binarized dense map: small to keep, enough to compare. */
    private record Mask(int width, int height, BitSet on) {
    }

    /** Keeps only what agreement needs, so waiting predictions stay small (a dense map becomes bits). */
    private static Object compact(Prediction p) {
        if (p instanceof Prediction.DenseMap d) {
            BitSet on = new BitSet(d.values().length);
            float[] v = d.values();
            for (int i = 0; i < v.length; i++) {
                if (v[i] > 0.5f) {
                    on.set(i);
                }
            }
            return new Mask(d.width(), d.height(), on);
        }
        return p;
    }

    private static double scoreCompact(Object a, Object b) {
        if (a instanceof Prediction.Classification ca && b instanceof Prediction.Classification cb) {
            if (ca.top().isEmpty() || cb.top().isEmpty()) {
                return ca.top().isEmpty() == cb.top().isEmpty() ? 1 : 0;
            }
            return ca.top().get(0).classIndex() == cb.top().get(0).classIndex() ? 1 : 0;
        }
        if (a instanceof Mask ma && b instanceof Mask mb) {
            if (ma.width() != mb.width() || ma.height() != mb.height()) {
                return 0;
            }
            BitSet inter = (BitSet) ma.on().clone();
            inter.and(mb.on());
            BitSet union = (BitSet) ma.on().clone();
            union.or(mb.on());
            double iou = union.isEmpty() ? 1 : (double) inter.cardinality() / union.cardinality();
            return iou >= 0.5 ? 1 : 0;
        }
        if (a instanceof Prediction.Detections da && b instanceof Prediction.Detections db) {
            return boxAgreement(da.boxes(), db.boxes());
        }
        return Double.NaN;
    }

    private static double boxAgreement(List<Prediction.Box> a, List<Prediction.Box> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        List<Prediction.Box> sortedA = new ArrayList<>(a);
        sortedA.sort((x, y) -> Float.compare(y.score(), x.score()));
        boolean[] used = new boolean[b.size()];
        int matched = 0;
        for (Prediction.Box x : sortedA) {
            int best = -1;
            double bestIou = 0.5;
            for (int j = 0; j < b.size(); j++) {
                Prediction.Box y = b.get(j);
                if (!used[j] && y.classIndex() == x.classIndex()) {
                    double iou = iou(x, y);
                    if (iou >= bestIou) {
                        bestIou = iou;
                        best = j;
                    }
                }
            }
            if (best >= 0) {
                used[best] = true;
                matched++;
            }
        }
        return (double) matched / (a.size() + b.size() - matched);
    }

    /** Intersection over union of two boxes; 0 when both are empty. */
    public static double iou(Prediction.Box a, Prediction.Box b) {
        float w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        float h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        double inter = w > 0 && h > 0 ? (double) w * h : 0;
        double union = a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
