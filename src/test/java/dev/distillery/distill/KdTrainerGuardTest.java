package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A training step whose gradients are not finite is not applied: the student survives it. */
class KdTrainerGuardTest {
    @Test
    void aStepWithNonFiniteGradientsDoesNotReachTheWeights() {
        StudentSpec spec = StudentZoo.preset("dense-tiny").withInputSize(32);
        int n = 4;
        int in = spec.inputValues();
        int px = 32 * 32;
        Random r = new Random(3);
        float[] x = new float[n * in];
        float[] y = new float[n * px];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
        try (KdTrainer trainer = new KdTrainer(spec, new KdTrainer.Config(1, n, 1e-2f, 1e-4f, 1f, 5))) {
            assertThat(trainer.step(x, y, n)).isFinite();
            int skippedBefore = trainer.skippedSteps();

            // a NaN target: the forward pass (and BatchNorm's running statistics) stay finite, the gradients do not
            float[] poisoned = y.clone();
            poisoned[7] = Float.NaN;
            assertThat(trainer.step(x, poisoned, n)).isNaN();

            assertThat(trainer.skippedSteps()).isGreaterThan(skippedBefore);
            assertThat(finite(trainer.predict(x, n))).as("no weight took the NaN gradient").isTrue();
            float[] before = trainer.predict(x, n);
            for (int i = 0; i < 3; i++) {
                assertThat(trainer.step(x, y, n)).isFinite();
            }
            float[] after = trainer.predict(x, n);
            assertThat(finite(after)).isTrue();
            assertThat(after).as("good steps train again").isNotEqualTo(before);
        }
    }

    /** Every step failing is an error, not a silent run of NaN. */
    @Test
    void aRunWhoseStepsAllFailStopsWithAClearError() {
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(32);
        int n = 4;
        float[] x = new float[n * spec.inputValues()];
        float[] y = new float[n * spec.outputs()];
        Arrays.fill(y, Float.NaN);
        try (KdTrainer trainer = new KdTrainer(spec, new KdTrainer.Config(1, n, 1e-2f, 1e-4f, 2f, 5))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                for (int i = 0; i < FiniteSteps.MAX_FAILED_IN_A_ROW; i++) {
                    trainer.step(x, y, n);
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("Training diverged");
        }
    }

    private static boolean finite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) {
                return false;
            }
        }
        return true;
    }
}
