package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ModelMeterTest {
    static final long MS = 1_000_000L;

    @Test
    void fpsCountsTheLastTwoSecondsAndPercentilesTheLastHundredFrames() {
        ModelMeter m = new ModelMeter("m");
        long t = 10_000 * MS;
        // 300 frames, one every 10 ms (100 fps), latency 1..300 ms (only the last 100 count: 201..300).
        for (int i = 1; i <= 300; i++) {
            t += 10 * MS;
            m.completed(t - MS, t, i);
        }
        m.dropped(7);
        LiveStats.ModelStats s = m.snapshot(t);
        assertThat(s.frames()).isEqualTo(300);
        assertThat(s.fps()).isCloseTo(100, within(1.0));
        assertThat(s.p50Ms()).isEqualTo(250);
        assertThat(s.p95Ms()).isEqualTo(295);
        assertThat(s.dropped()).isEqualTo(7);
        // Nothing for 3 s: the rate falls to zero, the counts stay.
        LiveStats.ModelStats later = m.snapshot(t + 3000 * MS);
        assertThat(later.fps()).isZero();
        assertThat(later.frames()).isEqualTo(300);
        assertThat(m.wallMsPerFrame()).isCloseTo(10, within(1e-9));
    }

    @Test
    void beforeTwoSecondsTheRateUsesTheTimeCovered() {
        ModelMeter m = new ModelMeter("m");
        long t = 0;
        assertThat(m.snapshot(t).p50Ms()).isNaN();
        for (int i = 0; i < 50; i++) {
            long start = t;
            t += 20 * MS;
            m.completed(start, t, 20);
        }
        assertThat(m.snapshot(t).fps()).isCloseTo(50, within(1.0));
    }
}
