package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateEtaTest {
    private static final long S = 1_000_000_000L;

    @Test
    void setUpTimeAtZeroDoesNotInflateTheEstimate() {
        // 5 s of loading at 0 %, then 10 s of steady work: 4 s into the work, 6 s are left
        RateEta eta = new RateEta();
        eta.observe(0, 0);
        eta.observe(5 * S, 0);
        for (int i = 1; i <= 40; i++) {
            eta.observe(5 * S + i * S / 10, i / 100.0);
        }
        long now = 9 * S;
        assertThat(eta.secondsLeft(now)).isCloseTo(6, within(0.3));
        double averageSinceStart = 9.0 * (1 - 0.4) / 0.4;
        assertThat(averageSinceStart).as("what the old average said").isGreaterThan(13);
    }

    @Test
    void aFasterPhaseIsFollowedWithinTheWindow() {
        RateEta eta = new RateEta();
        // 0 → 0.5 in 10 s, then twice as fast
        for (int i = 0; i <= 100; i++) {
            eta.observe(i * S / 10, i * 0.005);
        }
        for (int i = 1; i <= 40; i++) {
            eta.observe(10 * S + i * S / 10, 0.5 + i * 0.01);
        }
        // at 14 s: 0.9 done, 0.1 left at 0.1 per second (the whole-run average would say 1.6 s)
        assertThat(eta.secondsLeft(14 * S)).isCloseTo(1, within(0.15));
    }

    @Test
    void noEstimateBeforeProgressMovesOrAfterTheEnd() {
        RateEta eta = new RateEta();
        assertThat(eta.secondsLeft(0)).isNaN();
        eta.observe(0, 0);
        eta.observe(3 * S, 0);
        assertThat(eta.secondsLeft(3 * S)).isNaN();
        eta.observe(3 * S + S / 10, 0.1);
        assertThat(eta.secondsLeft(3 * S + S / 10)).as("too short a span").isNaN();
        eta.observe(4 * S, 1);
        assertThat(eta.secondsLeft(4 * S)).isNaN();
        assertThat(RateEta.text(Double.NaN)).isEmpty();
        assertThat(RateEta.text(125)).isEqualTo("about 2 min 05 s left");
        assertThat(RateEta.text(0.2)).isEqualTo("about 1 s left");
    }
}
