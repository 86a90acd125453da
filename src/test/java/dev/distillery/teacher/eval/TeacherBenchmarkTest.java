package dev.distillery.teacher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.Preprocessing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class TeacherBenchmarkTest {
    static final Preprocessing REF = new Preprocessing(224, 224, Preprocessing.Layout.NCHW,
            Preprocessing.ChannelOrder.RGB, 1, Preprocessing.ZERO, Preprocessing.ONE,
            Preprocessing.ResizeMode.STRETCH, 1, 0, 0, "float");

    @Test
    void measuresLatencyThroughputMemoryAndBaseline() {
        List<Double> progress = new ArrayList<>();
        BenchResult r = new TeacherBenchmark(1, 1, 5, 2)
                .run(ReferenceModel.bytes(), ReferenceModel.INPUT, REF, (f, p) -> progress.add(f), () -> false);
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.latencyBatch()).isEqualTo(1);
        assertThat(r.throughputBatch()).isEqualTo(8);
        assertThat(r.latencyRuns()).isEqualTo(5);
        assertThat(r.p50Ms()).isPositive();
        assertThat(r.p95Ms()).isGreaterThanOrEqualTo(r.p50Ms());
        assertThat(r.imagesPerSecond()).isPositive();
        assertThat(r.peakRssMb()).isGreaterThan(50);
        assertThat(r.baselineP50Ms()).isPositive();
        assertThat(progress).isSorted().last().isEqualTo(1.0);
    }

    @Test
    void fixedBatchModelsAreMeasuredAtTheirBatch() {
        Preprocessing fixed16 = new Preprocessing(224, 224, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB, 1,
                Preprocessing.ZERO, Preprocessing.ONE, Preprocessing.ResizeMode.STRETCH, 1, 0, 2, "float");
        BenchResult r = new TeacherBenchmark(1, 0, 2, 1).run(ReferenceModel.bytes(), ReferenceModel.INPUT, fixed16, null, null);
        assertThat(r.latencyBatch()).isEqualTo(2);
        assertThat(r.throughputBatch()).isEqualTo(2);
    }

    @Test
    void cancelStopsTheRun() {
        assertThatThrownBy(() -> new TeacherBenchmark(1, 0, 50, 1)
                .run(ReferenceModel.bytes(), ReferenceModel.INPUT, REF, null, () -> true))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void percentileIsNearestRank() {
        double[] s = {5, 1, 4, 2, 3, 10, 6, 7, 9, 8};
        assertThat(TeacherBenchmark.percentile(s, 50)).isEqualTo(5);
        assertThat(TeacherBenchmark.percentile(s, 95)).isEqualTo(10);
        assertThat(TeacherBenchmark.percentile(new double[] {3}, 95)).isEqualTo(3);
    }
}
