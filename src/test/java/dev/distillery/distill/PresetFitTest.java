package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PresetFitTest {
    private static PresetFit.Fit fit(String preset, double p95, double budget) {
        return new PresetFit.Fit(StudentZoo.preset(preset), p95, budget);
    }

    @Test
    void picksTheBiggestPresetWithRoomToSpare() {
        List<PresetFit.Fit> fits = List.of(fit("cls-tiny", 0.2, 10), fit("cls-small", 3, 10), fit("cls-base", 9, 10));
        // cls-base fits (9 ≤ 10) but without the margin validators' machines need
        assertThat(PresetFit.pick(fits).spec().name()).isEqualTo("cls-small");
        assertThat(fits.get(2).fits()).isTrue();
        assertThat(fits.get(2).comfortable()).isFalse();
    }

    @Test
    void withoutRoomToSpareTheBiggestThatFitsThenTheFastest() {
        assertThat(PresetFit.pick(List.of(fit("dense-tiny", 9.5, 10), fit("dense-small", 12, 10))).spec().name())
                .isEqualTo("dense-tiny");
        PresetFit.Fit none = PresetFit.pick(List.of(fit("dense-tiny", 21, 10), fit("dense-small", 25, 10)));
        assertThat(none.spec().name()).isEqualTo("dense-tiny");
        assertThat(none.fits()).isFalse();
        assertThat(none.describe()).contains("p95 21.0 ms", "over the 10 ms budget");
    }

    @Test
    void ofTwoEqualSizesTheHalfResolutionHeadIsPicked() {
        // dense-fast and dense-small hold the same weights; the half-resolution head trains ~6x faster on a
        // laptop CPU, so a default pick that fits both takes it
        assertThat(StudentZoo.preset("dense-fast").parameterCount())
                .isEqualTo(StudentZoo.preset("dense-small").parameterCount());
        assertThat(PresetFit.pick(List.of(fit("dense-tiny", 3, 10), fit("dense-fast", 2.7, 10),
                fit("dense-small", 3.9, 10))).spec().name()).isEqualTo("dense-fast");
        // where only the full-resolution one is comfortable (never on a real CPU, but the rule is by fit)
        assertThat(PresetFit.pick(List.of(fit("dense-fast", 9, 10), fit("dense-small", 4, 10))).spec().name())
                .isEqualTo("dense-small");
    }

    @Test
    void aRealPresetIsTimedWithTheValidatorsFigure() {
        double p95 = PresetFit.p95(StudentZoo.preset("cls-tiny"), 1);
        assertThat(p95).isPositive().isFinite();
        List<PresetFit.Fit> fits = PresetFit.measure(List.of(StudentZoo.preset("cls-tiny")), 1e6, 1, () -> false);
        assertThat(fits).singleElement().satisfies(f -> assertThat(f.fits()).isTrue());
        assertThat(PresetFit.measure(List.of(StudentZoo.preset("cls-tiny")), 10, 1, () -> true)).isEmpty();
    }
}
