package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.distillery.metrics.ClassMapping;
import dev.distillery.model.Prediction;
import dev.distillery.model.Prediction.Box;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {
    static Prediction.Classification top1(int cls) {
        return new Prediction.Classification(List.of(new Prediction.Scored(cls, "c" + cls, 0.8f),
                new Prediction.Scored(cls + 1, "c" + (cls + 1), 0.1f)));
    }

    static Prediction.DenseMap map(int w, int h, int fromX, int toX) {
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = fromX; x < toX; x++) {
                v[y * w + x] = 0.9f;
            }
        }
        return new Prediction.DenseMap(w, h, v);
    }

    static Box box(float x, float y, float size, int cls) {
        return new Box(x, y, x + size, y + size, cls, "c" + cls, 0.9f);
    }

    @Test
    void classificationAgreesOnTheSameTop1Only() {
        assertThat(Agreement.score(top1(3), top1(3))).isEqualTo(1.0);
        assertThat(Agreement.score(top1(3), top1(4))).isEqualTo(0.0);
    }

    @Test
    void denseMapsScoreTheirIouAtTheThreshold() {
        // Columns [0,10) vs [0,6): IoU 0.6; [0,10) vs [6,16): IoU 4/16.
        assertThat(Agreement.score(map(20, 5, 0, 10), map(20, 5, 0, 6))).isCloseTo(0.6, within(1e-9));
        assertThat(Agreement.score(map(20, 5, 0, 10), map(20, 5, 6, 16))).isCloseTo(0.25, within(1e-9));
        assertThat(Agreement.score(map(20, 5, 0, 0), map(20, 5, 0, 0))).as("both empty").isEqualTo(1.0);
        // 0.4 is marked at the default threshold 0.3, not at a student's 0.5
        float[] faint = new float[100];
        Arrays.fill(faint, 0.4f);
        assertThat(Agreement.score(new Prediction.DenseMap(10, 10, faint), map(10, 10, 0, 10))).isEqualTo(1.0);
        Agreement strict = new Agreement(new Agreement.Setup(-1, null, 0.5));
        strict.record(0, 1, new Prediction.DenseMap(10, 10, faint));
        strict.record(1, 1, map(10, 10, 0, 10));
        assertThat(strict.rate()).isEqualTo(0.0);
    }

    @Test
    void aGroupedDetectorsTeacherBoxesAreMappedToItsClassesAndOthersDropped() {
        // teacher classes person, car, ball; the student finds balls only (ball=2): teacher ball → student 0,
        // person and car are "other" and their boxes do not count
        ClassMapping groups = ClassMapping.of(new int[] {1, 1, 0}, List.of("ball", "other"));
        Agreement a = new Agreement(new Agreement.Setup(0, groups, 0.3));
        a.record(0, 1, new Prediction.Detections(List.of(box(10, 10, 20, 2), box(50, 50, 20, 0))));
        a.record(1, 1, new Prediction.Detections(List.of(box(10, 10, 20, 0))));
        assertThat(a.rate()).isEqualTo(1.0);
        // without the mapping the same frames disagree: ball is class 2 for the teacher and the person counts
        assertThat(Agreement.score(new Prediction.Detections(List.of(box(10, 10, 20, 2), box(50, 50, 20, 0))),
                new Prediction.Detections(List.of(box(10, 10, 20, 0))))).isZero();
    }

    @Test
    void aGroupedStudentIsComparedWithTheTeachersGroupedProbabilities() {
        // teacher classes red, green, blue; student warm = {red}, cool = {green, blue}
        ClassMapping groups = ClassMapping.of(new int[] {0, 1, 1}, List.of("warm", "cool"));
        Agreement a = new Agreement(new Agreement.Setup(1, groups, 0.3));
        // the teacher's top class is red (warm), but green + blue outweigh it: the teacher's student class is cool
        Prediction.Classification teacher = new Prediction.Classification(List.of(
                new Prediction.Scored(0, "red", 0.4f)), new float[] {0.4f, 0.3f, 0.3f});
        Prediction.Classification saysCool = new Prediction.Classification(List.of(
                new Prediction.Scored(1, "cool", 0.9f)));
        a.record(1, 1, teacher);
        a.record(0, 1, saysCool);
        assertThat(a.rate()).isEqualTo(1.0);
        // teacher index 2 (blue) is student class 1 (cool): raw indices would never be compared
        a.record(0, 2, saysCool);
        a.record(1, 2, new Prediction.Classification(List.of(new Prediction.Scored(2, "blue", 0.9f)),
                new float[] {0.05f, 0.05f, 0.9f}));
        assertThat(a.rate()).isEqualTo(1.0);
        a.record(0, 3, saysCool);
        a.record(1, 3, new Prediction.Classification(List.of(new Prediction.Scored(0, "red", 0.9f)),
                new float[] {0.9f, 0.05f, 0.05f}));
        assertThat(a.rate()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void detectionsScoreTheF1OfMatchedBoxes() {
        List<Box> a = List.of(box(0, 0, 10, 1), box(50, 50, 10, 2), box(100, 100, 10, 3));
        // One exact match, one shifted by 1 px (IoU 0.68), one of another class, and one extra box.
        List<Box> b = List.of(box(0, 0, 10, 1), box(51, 50, 10, 2), box(100, 100, 10, 4), box(200, 200, 5, 1));
        // matched 2: F1 = 2·2 / (3 + 4)
        assertThat(Agreement.score(new Prediction.Detections(a), new Prediction.Detections(b)))
                .isCloseTo(4 / 7.0, within(1e-9));
        assertThat(Agreement.score(new Prediction.Detections(List.of()), new Prediction.Detections(List.of())))
                .isEqualTo(1.0);
        // A box matches at most once.
        assertThat(Agreement.score(new Prediction.Detections(List.of(box(0, 0, 10, 1), box(0, 0, 10, 1))),
                new Prediction.Detections(List.of(box(0, 0, 10, 1))))).isCloseTo(2 / 3.0, within(1e-9));
    }

    @Test
    void differentKindsAreNotComparable() {
        assertThat(Agreement.score(top1(1), new Prediction.Detections(List.of()))).isNaN();
    }

    @Test
    void theRollingRateCoversCommonFramesOnly() {
        Agreement a = new Agreement();
        assertThat(a.rate()).isNaN();
        a.record(0, 1, top1(1));
        a.record(0, 2, top1(1));
        a.record(1, 2, top1(1)); // common frame 2: agree
        a.record(1, 3, top1(2)); // model 0 never saw frame 3
        a.record(0, 4, top1(1));
        a.record(1, 4, top1(2)); // common frame 4: disagree
        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.rate()).isEqualTo(0.5);
        for (int f = 10; f < 10 + Agreement.WINDOW; f++) {
            a.record(0, f, top1(7));
            a.record(1, f, top1(7));
        }
        assertThat(a.samples()).isEqualTo(Agreement.WINDOW);
        assertThat(a.rate()).as("old frames leave the window").isEqualTo(1.0);
    }
}
