package dev.distillery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxMatchingTest {
    private static BoxMatching.Box box(float x, float y, float w, float h, int cls, float score) {
        return new BoxMatching.Box(x, y, x + w, y + h, cls, score);
    }

    @Test
    void f1CountsSameClassMatchesAtIouHalf() {
        List<BoxMatching.Box> a = List.of(box(0, 0, 10, 10, 0, 0.9f), box(50, 50, 10, 10, 1, 0.8f),
                box(100, 0, 10, 10, 0, 0.7f));
        List<BoxMatching.Box> b = List.of(box(1, 0, 10, 10, 0, 0.9f), // IoU 90/110 with a[0]: a match
                box(50, 50, 10, 10, 2, 0.9f)); // same place, other class: no match
        assertThat(BoxMatching.matches(a, b)).isEqualTo(1);
        // F1 = 2·1 / (3 + 2)
        assertThat(BoxMatching.f1(a, b)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void belowHalfIouIsNoMatchAndEmptyListsAgree() {
        // overlap 5×10 = 50, union 150: IoU 1/3
        assertThat(BoxMatching.f1(List.of(box(0, 0, 10, 10, 0, 1)), List.of(box(5, 0, 10, 10, 0, 1)))).isZero();
        assertThat(BoxMatching.iou(box(0, 0, 10, 10, 0, 1), box(5, 0, 10, 10, 0, 1))).isCloseTo(1 / 3.0,
                within(1e-9));
        assertThat(BoxMatching.f1(List.of(), List.of())).isEqualTo(1.0);
        assertThat(BoxMatching.f1(List.of(box(0, 0, 1, 1, 0, 1)), List.of())).isZero();
    }

    @Test
    void eachBoxMatchesOnceBestScoreFirst() {
        BoxMatching.Box target = box(0, 0, 10, 10, 0, 1);
        List<BoxMatching.Box> a = List.of(box(0, 0, 10, 10, 0, 0.5f), box(0, 0, 10, 10, 0, 0.9f));
        assertThat(BoxMatching.matches(a, List.of(target))).isEqualTo(1);
        assertThat(BoxMatching.f1(a, List.of(target))).isCloseTo(2 / 3.0, within(1e-12));
    }
}
