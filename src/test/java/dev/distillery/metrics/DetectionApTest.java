package dev.distillery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.distillery.metrics.BoxMatching.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COCO-style average precision, checked against values worked out by hand. */
class DetectionApTest {
    private static Box box(float x1, float y1, float x2, float y2, int c, float score) {
        return new Box(x1, y1, x2, y2, c, score);
    }

    private static final Box TRUTH_1 = box(0, 0, 10, 10, 0, 1);
    private static final Box TRUTH_2 = box(20, 20, 30, 30, 0, 1);

    @Test
    void theSameBoxesScoreOne() {
        DetectionAp.Result r = DetectionAp.accumulator().add(List.of(TRUTH_1, TRUTH_2), List.of(TRUTH_1, TRUTH_2))
                .result();
        assertThat(r.map50()).isEqualTo(1.0);
        assertThat(r.map50to95()).isEqualTo(1.0);
        assertThat(r.truthPerFrame()).isEqualTo(2.0);
        assertThat(r.predictedPerFrame()).isEqualTo(2.0);
    }

    /**
     * Two truth boxes; predictions in score order: a hit at IoU 0.82, a miss, a hit at IoU 0.62. At t ≤ 0.6 the
     * curve is (recall, precision) = (.5, 1), (.5, .5), (1, 2/3): 51 recall points at precision 1 and 50 at 2/3. At
     * 0.65 ≤ t ≤ 0.8 only the first hit counts: 51 points at 1. Above 0.8 nothing counts.
     */
    @Test
    void aHandWorkedCurve() {
        List<Box> predicted = List.of(
                box(0, 0, 10, 8.2f, 0, 0.9f),      // IoU 0.82 with the first
                box(50, 50, 60, 60, 0, 0.8f),      // nothing there
                box(20, 20, 30, 26.2f, 0, 0.7f));  // IoU 0.62 with the second
        DetectionAp.Result r = DetectionAp.accumulator().add(List.of(TRUTH_1, TRUTH_2), predicted).result();
        double low = (51 + 50 * 2.0 / 3) / 101;
        double mid = 51.0 / 101;
        assertThat(r.map50()).isCloseTo(low, within(1e-9));
        assertThat(r.map50to95()).isCloseTo((3 * low + 4 * mid) / 10, within(1e-9));
        assertThat(r.perClass()).singleElement().satisfies(c -> {
            assertThat(c.truthBoxes()).isEqualTo(2);
            assertThat(c.ap50()).isCloseTo(low, within(1e-9));
        });
    }

    @Test
    void scoresOrderThePredictionsAcrossFrames() {
        // the miss scores highest this time: precision 0 at the first point, then 1/2, then 2/3
        DetectionAp.Accumulator a = DetectionAp.accumulator();
        a.add(List.of(TRUTH_1), List.of(box(0, 0, 10, 10, 0, 0.5f)));
        a.add(List.of(), List.of(box(0, 0, 10, 10, 0, 0.95f))); // a box where this frame has none
        a.add(List.of(TRUTH_2), List.of(box(20, 20, 30, 30, 0, 0.4f)));
        DetectionAp.Result r = a.result();
        // recall .5 at precision 1/2, recall 1 at 2/3; non-increasing from the right: 2/3 everywhere
        assertThat(r.map50()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.frames()).isEqualTo(3);
        assertThat(r.truthPerFrame()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.predictedPerFrame()).isEqualTo(1.0);
        assertThat(r.confidentPerFrame()).isEqualTo(1.0);
    }

    @Test
    void boxesPerFrameCountOnlyTheConfidentOnesWhileApRanksThemAll() {
        DetectionAp.Accumulator a = DetectionAp.accumulator();
        a.add(List.of(TRUTH_1), List.of(box(0, 0, 10, 10, 0, 0.9f), box(40, 40, 50, 50, 0, 0.1f),
                box(60, 60, 70, 70, 0, 0.05f)));
        a.add(List.of(TRUTH_2), List.of(box(20, 20, 30, 30, 0, (float) DetectionAp.CONFIDENT)));
        DetectionAp.Result r = a.result();
        assertThat(r.predictedPerFrame()).isEqualTo(2.0);
        assertThat(r.confidentPerFrame()).isEqualTo(1.0);
        assertThat(r.map50()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aBoxOfTheWrongClassOrFrameMatchesNothing() {
        DetectionAp.Accumulator a = DetectionAp.accumulator();
        a.add(List.of(TRUTH_1), List.of(box(0, 0, 10, 10, 1, 0.9f)));   // right place, wrong class
        a.add(List.of(), List.of(box(20, 20, 30, 30, 0, 0.9f)));       // truth 2 is in the next frame
        a.add(List.of(TRUTH_2), List.of());
        DetectionAp.Result r = a.result();
        assertThat(r.map50()).isZero();
        assertThat(r.perClass()).extracting(DetectionAp.ClassAp::classIndex)
                .as("class 1 had no truth box: left out of the mean").containsExactly(0);
    }

    @Test
    void oneTruthBoxTakesOnePrediction() {
        // two predictions on the same truth box: the higher-scored one matches, the other is a false positive
        DetectionAp.Result r = DetectionAp.accumulator().add(List.of(TRUTH_1),
                List.of(box(0, 0, 10, 10, 0, 0.6f), box(0, 0, 10, 9.5f, 0, 0.9f))).result();
        // recall 1 reached at the first prediction with precision 1
        assertThat(r.map50()).isEqualTo(1.0);
        assertThat(r.perClass().get(0).ap50to95()).as("at 0.95 the 0.9-scored box (IoU 0.95) still matches")
                .isEqualTo(1.0);
    }

    @Test
    void withoutTruthBoxesThereIsNoFigure() {
        DetectionAp.Result r = DetectionAp.accumulator().add(List.of(), List.of(TRUTH_1)).result();
        assertThat(r.map50()).isNaN();
        assertThat(r.map50to95()).isNaN();
        assertThat(r.perClass()).isEmpty();
        assertThat(DetectionAp.accumulator().result().frames()).isZero();
    }
}
