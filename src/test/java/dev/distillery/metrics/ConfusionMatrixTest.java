package dev.distillery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void kappaOfAKnownTwoByTwoMatrix() {
        // reference 0: 20 right, 5 called 1; reference 1: 10 called 0, 15 right
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(0, 0, 20);
        m.add(0, 1, 5);
        m.add(1, 0, 10);
        m.add(1, 1, 15);
        // po = 35/50 = 0.7; pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
        assertThat(m.agreement()).isCloseTo(0.7, within(1e-12));
        assertThat(m.kappa()).isCloseTo(0.4, within(1e-12));
        assertThat(m.majorityBaseline()).isCloseTo(0.5, within(1e-12));
        assertThat(m.recall(0)).isCloseTo(0.8, within(1e-12));
        assertThat(m.recall(1)).isCloseTo(0.6, within(1e-12));
        assertThat(m.balancedAgreement()).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void aMajorityOnlyStudentHasKappaZeroAndMacroOneOverK() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0, 6);
        m.add(1, 0, 3);
        m.add(2, 0, 1);
        ClassMetrics s = m.summary();
        assertThat(s.agreement()).isCloseTo(0.6, within(1e-12));
        assertThat(s.majorityBaseline()).isCloseTo(0.6, within(1e-12));
        assertThat(s.majorityClass()).isZero();
        assertThat(s.balancedAgreement()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(s.kappa()).isCloseTo(0, within(1e-12));
        assertThat(s.perClass()).extracting(ConfusionMatrix.ClassRecall::count).containsExactly(6L, 3L, 1L);
        assertThat(s.perClass()).extracting(ConfusionMatrix.ClassRecall::recall).containsExactly(1.0, 0.0, 0.0);
        assertThat(s.verdict().failed()).isTrue();
        assertThat(s.verdict().label()).isEqualTo("FAILED");
        assertThat(s.verdict().advice()).contains("--minutes").contains("cls-small/cls-base");
    }

    @Test
    void balancedAgreementIgnoresClassesAbsentFromTheReference() {
        ConfusionMatrix m = new ConfusionMatrix(4);
        m.add(0, 0, 3);
        m.add(1, 1, 1);
        m.add(1, 3, 1);
        // classes 2 and 3 never occur in the reference: mean of recall(0) = 1 and recall(1) = 0.5
        assertThat(m.balancedAgreement()).isCloseTo(0.75, within(1e-12));
        assertThat(m.recall(2)).isNaN();
        assertThat(m.classesPresent()).isEqualTo(2);
    }

    @Test
    void perfectAgreementHasKappaOne() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0, 4);
        m.add(1, 1, 2);
        m.add(2, 2, 1);
        assertThat(m.kappa()).isCloseTo(1, within(1e-12));
        assertThat(m.summary().verdict().failed()).isFalse();
        assertThat(m.summary().verdict().label()).isEqualTo("PASSED");
    }

    @Test
    void aSingleReferenceClassIsUndefinedKappaReportedAsZeroAndFails() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(1, 1, 5);
        assertThat(m.agreement()).isEqualTo(1.0);
        assertThat(m.kappa()).isZero();
        assertThat(m.summary().verdict().failed()).isTrue();
        assertThat(m.summary().verdict().reason()).contains("single class");
    }

    @Test
    void slightlyAboveTheBaselineButNoBetterThanChanceFailsOnKappa() {
        // 90 % class 0; the student answers 0 except on 10 images where it is right about class 1 once
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(0, 0, 85);
        m.add(0, 1, 5);
        m.add(1, 0, 5);
        m.add(1, 1, 5);
        // agreement 0.90 ≤ baseline 0.90 + 0.02 → failed by the margin
        assertThat(m.summary().verdict().failed()).isTrue();
        ConfusionMatrix better = new ConfusionMatrix(2);
        better.add(0, 0, 89);
        better.add(0, 1, 1);
        better.add(1, 0, 3);
        better.add(1, 1, 7);
        // agreement 0.96, kappa = (0.96 − (0.9·0.92 + 0.1·0.08)) / (1 − 0.836) = 0.124 / 0.164
        assertThat(better.kappa()).isCloseTo(0.124 / 0.164, within(1e-9));
        assertThat(better.summary().verdict().failed()).isFalse();
    }

    @Test
    void emptyMatrixGivesZerosAndRejectsOutOfRangeClasses() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        assertThat(m.agreement()).isZero();
        assertThat(m.kappa()).isZero();
        assertThat(m.balancedAgreement()).isZero();
        assertThat(m.summary().verdict().failed()).isTrue();
        assertThatThrownBy(() -> m.add(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groundTruthUsesTheSameAccumulator() {
        int[] truth = {0, 0, 1, 1, 1};
        int[] student = {0, 1, 1, 1, 0};
        ConfusionMatrix m = new ConfusionMatrix(2);
        for (int i = 0; i < truth.length; i++) {
            m.add(truth[i], student[i]);
        }
        assertThat(m.agreement()).isCloseTo(0.6, within(1e-12));
        assertThat(m.balancedAgreement()).isCloseTo((0.5 + 2 / 3.0) / 2, within(1e-12));
    }
}
