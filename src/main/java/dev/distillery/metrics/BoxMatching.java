package dev.distillery.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Agreement of two detectors on one frame: boxes are matched greedily (the first list's boxes by descending score,
 * each to the unmatched box of the same class in the second list with the highest IoU, if that IoU is at least
 * {@value #MATCH_IOU}), then F1 = 2·matched / (|first| + |second|). Two empty lists agree fully (1).
 */
public final class BoxMatching {
    public static final double MATCH_IOU = 0.5;

    /** A box in pixels: left, top, right, bottom. */
    public record Box(float x1, float y1, float x2, float y2, int classIndex, float score) {
        public double area() {
            return (double) Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        }
    }

    private BoxMatching() {
    }

    /** Intersection over union of two boxes; 0 when both are empty. */
    public static double iou(Box a, Box b) {
        float w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        float h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        double inter = w > 0 && h > 0 ? (double) w * h : 0;
        double union = a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Number of greedy same-class matches at IoU ≥ {@value #MATCH_IOU}. */
    public static int matches(List<Box> first, List<Box> second) {
        List<Box> sorted = new ArrayList<>(first);
        sorted.sort((x, y) -> Float.compare(y.score(), x.score()));
        boolean[] used = new boolean[second.size()];
        int matched = 0;
        for (Box x : sorted) {
            int best = -1;
            double bestIou = MATCH_IOU;
            for (int j = 0; j < second.size(); j++) {
                Box y = second.get(j);
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
        return matched;
    }

    /** F1 of the matching; 1 when both lists are empty. */
    public static double f1(List<Box> first, List<Box> second) {
        if (first.isEmpty() && second.isEmpty()) {
            return 1;
        }
        return 2.0 * matches(first, second) / (first.size() + second.size());
    }
}
