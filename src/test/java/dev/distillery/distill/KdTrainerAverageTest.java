package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running average of the weights: what validation and export see, without disturbing training. */
class KdTrainerAverageTest {
    @TempDir
    Path dir;

    @Test
    void theAverageLagsTheTrainedWeightsAndSwapsBackCleanly() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(32);
        int n = 8;
        Random r = new Random(11);
        float[] x = new float[n * spec.inputValues()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] y = new float[n * spec.outputs()];
        for (int i = 0; i < n; i++) {
            y[i * spec.outputs() + r.nextInt(spec.outputs())] = 1f;
        }
        try (KdTrainer trainer = new KdTrainer(spec, new KdTrainer.Config(1, n, 1e-2f, 1e-4f, 1f, 5))) {
            try (KdTrainer.Swap none = trainer.withAverage()) {
                assertThat(trainer.predict(x, n)).as("no average kept: nothing swapped").isNotNull();
            }
            trainer.averageWeights(0.99f);
            float[] start = trainer.predict(x, n);
            for (int i = 0; i < 30; i++) {
                trainer.step(x, y, n);
            }
            float[] trained = trainer.predict(x, n);
            float[] averaged;
            try (KdTrainer.Swap avg = trainer.withAverage()) {
                averaged = trainer.predict(x, n);
                trainer.saveParameters(dir.resolve("avg.params"));
            }
            assertThat(averaged).as("the average is not the last step's weights").isNotEqualTo(trained);
            assertThat(distance(averaged, start)).as("it has moved from the start")
                    .isGreaterThan(0.05 * distance(trained, start));
            assertThat(trainer.predict(x, n)).as("the trained weights are back").isEqualTo(trained);

            trainer.step(x, y, n);
            trainer.loadParameters(dir.resolve("avg.params"));
            assertThat(trainer.predict(x, n)).as("a checkpoint written inside holds the average")
                    .isEqualTo(averaged);
        }
    }

    @Test
    void aDecayOutsideTheOpenUnitIntervalIsRefused() {
        try (KdTrainer trainer = new KdTrainer(StudentZoo.preset("cls-tiny").withInputSize(32),
                new KdTrainer.Config(1, 2, 1e-2f, 1e-4f, 1f, 5))) {
            assertThatThrownBy(() -> trainer.averageWeights(1f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> trainer.averageWeights(0f)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
