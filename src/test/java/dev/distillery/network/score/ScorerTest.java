package dev.distillery.network.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scoring rule of DESIGN.md §4, checked against numbers worked out by hand. */
class ScorerTest {
    private final Challenge devnet = Challenge.devnetDefault();

    @Test
    void scoreIsTheWeightedSumOfQualitySpeedAndSize() {
        // speed = (10 − 4.6) / (10 − 1) = 0.6; size = (1 500 000 − 240 000) / (1 500 000 − 100 000) = 0.9
        // score = 0.8·0.6 + 0.1·0.6 + 0.1·0.9 = 0.48 + 0.06 + 0.09 = 0.63
        Scorer.Verdict v = Scorer.score(new Scorer.Measurement(0.6, 4.6, 240_000, "f"), devnet);
        assertThat(v.scored()).isTrue();
        assertThat(v.reason()).isNull();
        assertThat(v.speedTerm()).isCloseTo(0.6, within(1e-12));
        assertThat(v.sizeTerm()).isCloseTo(0.9, within(1e-12));
        assertThat(v.score()).isCloseTo(0.63, within(1e-12));
    }

    @Test
    void termsAreClampedAtTheFloors() {
        // faster than the 1 ms floor and smaller than the 100 kB floor: both terms 1; 0.8·1 + 0.1 + 0.1 = 1
        Scorer.Verdict v = Scorer.score(new Scorer.Measurement(1.0, 0.4, 5_000, "f"), devnet);
        assertThat(v.speedTerm()).isEqualTo(1.0);
        assertThat(v.sizeTerm()).isEqualTo(1.0);
        assertThat(v.score()).isCloseTo(1.0, within(1e-12));
        // exactly at the budget and the cap: both terms 0, score = 0.8·0.5 = 0.4
        Scorer.Verdict edge = Scorer.score(new Scorer.Measurement(0.5, 10.0, 1_500_000, "f"), devnet);
        assertThat(edge.scored()).isTrue();
        assertThat(edge.score()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void gatesGiveZeroWithAReason() {
        Scorer.Verdict slow = Scorer.score(new Scorer.Measurement(0.9, 10.5, 100, "f"), devnet);
        assertThat(slow.scored()).isFalse();
        assertThat(slow.score()).isZero();
        assertThat(slow.reason()).contains("over the latency budget", "10.50 ms", "10.00 ms");
        Scorer.Verdict big = Scorer.score(new Scorer.Measurement(0.9, 2, 1_500_001, "f"), devnet);
        assertThat(big.scored()).isFalse();
        assertThat(big.reason()).contains("over the size cap", "1,500,001");
        assertThat(Scorer.score(new Scorer.Measurement(Double.NaN, 2, 10, "f"), devnet).scored()).isFalse();
    }

    @Test
    void laterIdenticalOutputsAreCopiesOfTheEarliestCommit() {
        Scorer.Verdict a = Scorer.score(new Scorer.Measurement(0.6, 4.6, 240_000, "same"), devnet);
        Scorer.Verdict b = Scorer.score(new Scorer.Measurement(0.5, 4.6, 240_000, "other"), devnet);
        List<Scorer.Verdict> out = Scorer.rejectCopies(List.of(
                new Scorer.Commit(5, 12, a), new Scorer.Commit(3, 10, a), new Scorer.Commit(1, 12, b),
                new Scorer.Commit(7, 12, a)));
        assertThat(out.get(0).scored()).isFalse();
        assertThat(out.get(0).reason()).isEqualTo("copy of uid 3");
        assertThat(out.get(0).score()).isZero();
        assertThat(out.get(1).score()).isCloseTo(0.63, within(1e-12));
        assertThat(out.get(2).scored()).isTrue();
        assertThat(out.get(3).reason()).isEqualTo("copy of uid 3");
    }

    @Test
    void aCopyOverTheLatencyBudgetIsStillNamedACopy() {
        Scorer.Verdict original = Scorer.score(new Scorer.Measurement(0.6, 4.6, 240_000, "same"), devnet);
        Scorer.Verdict slowCopy = Scorer.score(new Scorer.Measurement(0.6, 40, 240_000, "same"), devnet);
        Scorer.Verdict slowOther = Scorer.score(new Scorer.Measurement(0.6, 40, 240_000, "other"), devnet);
        assertThat(slowCopy.reason()).startsWith("over the latency budget");
        List<Scorer.Verdict> out = Scorer.rejectCopies(List.of(new Scorer.Commit(1, 10, original),
                new Scorer.Commit(2, 11, slowCopy), new Scorer.Commit(3, 12, slowOther)));
        assertThat(out.get(1).reason()).isEqualTo("copy of uid 1");
        assertThat(out.get(2).reason()).as("not a copy: its own reason stays").startsWith("over the latency budget");
    }

    @Test
    void weightsAreASoftmaxAtTauTwoHundredths() {
        // exp(0) = 1 and exp(−0.02/0.02) = e^−1: w = 1/(1 + e^−1) = 0.731059 and 0.268941; 0.53 → e^−5
        double[] w = Scorer.weights(new double[] {0.63, 0.61, 0.53});
        double e1 = Math.exp(-1);
        double e5 = Math.exp(-5);
        double sum = 1 + e1 + e5;
        assertThat(w[0]).isCloseTo(1 / sum, within(1e-12));
        assertThat(w[1]).isCloseTo(e1 / sum, within(1e-12));
        assertThat(w[2]).isCloseTo(e5 / sum, within(1e-12));
        assertThat(w[0]).isCloseTo(0.7275, within(1e-4));
        assertThat(Scorer.weights(new double[] {0.4, 0.4})).containsExactly(0.5, 0.5);
        assertThat(Scorer.weights(new double[0])).isEmpty();
    }
}
