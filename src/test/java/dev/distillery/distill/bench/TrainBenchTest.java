package dev.distillery.distill.bench;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-over to the Python reference and its plumbing; no timing is asserted. */
class TrainBenchTest {
    /** The presets the PyTorch reference can train: classifiers and dense maps (no detector loss there). */
    static Stream<StudentSpec> presets() {
        return StudentZoo.presets().stream().filter(s -> s.kind() != StudentTask.DETECTION);
    }

    @Test
    void aDetectorIsRefusedWithTheReason() {
        StudentSpec det = StudentZoo.preset("det-tiny");
        assertThatThrownBy(() -> StudentJson.job(det, KdTrainer.Config.defaults(), 8, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detector");
    }

    @ParameterizedTest
    @MethodSource("presets")
    void theJobCarriesEveryLayerAndSettingOfTheStudent(StudentSpec spec) throws Exception {
        KdTrainer.Config config = new KdTrainer.Config(1, 16, 3e-3f, 1e-4f, 2f, 7);
        String json = StudentJson.job(spec, config, 64, 2, 3.5);

        assertThat(StudentJson.layers(json)).isEqualTo(spec.layers());
        JsonNode j = new ObjectMapper().readTree(json);
        assertThat(j.get("kind").asText()).isEqualTo(spec.kind() == StudentTask.CLASSIFICATION ? "classifier" : "dense");
        assertThat(j.get("input_shape").toString())
                .isEqualTo("[" + spec.inputChannels() + "," + spec.inputSize() + "," + spec.inputSize() + "]");
        assertThat(new ObjectMapper().convertValue(j.get("output_shape"), long[].class)).containsExactly(spec.outputShape());
        assertThat(j.get("batch").asInt()).isEqualTo(16);
        assertThat(j.get("samples").asInt()).isEqualTo(64);
        assertThat(j.get("threads").asInt()).isEqualTo(2);
        assertThat(j.get("interop_threads").asInt()).isEqualTo(1);
        assertThat(j.get("learning_rate").asDouble()).isEqualTo(0.003);
        assertThat(j.get("weight_decay").asDouble()).isEqualTo(0.0001);
        assertThat(j.get("temperature").asDouble()).isEqualTo(2.0);
        assertThat(j.get("seconds").asDouble()).isEqualTo(3.5);
        assertThat(j.get("params").asLong()).isEqualTo(spec.parameterCount());
        // DJL's BatchNorm momentum 0.9 keeps 90 % of the running value: PyTorch's momentum 0.1.
        assertThat(j.get("layers").findValues("momentum")).allSatisfy(m -> assertThat(m.asDouble()).isEqualTo(0.1));
    }

    @Test
    void anUnknownLayerTypeIsRejected() {
        assertThatThrownBy(() -> StudentJson.layers("{\"layers\":[{\"type\":\"lstm\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lstm");
    }

    @ParameterizedTest
    @MethodSource("presets")
    void defaultSamplesAreWholeBatchesOfBoundedSize(StudentSpec spec) {
        int n = TrainBenchmark.defaultSamples(spec, 32);
        assertThat(n % 32).isZero();
        assertThat(n).isBetween(4 * 32, TrainBenchmark.MAX_DEFAULT_SAMPLES);
        long[] f = TrainBenchmark.sampleFloats(spec);
        assertThat(n * 4 * (f[0] + f[1])).isLessThanOrEqualTo(Math.max(TrainBenchmark.DEFAULT_DATA_BYTES,
                4L * 32 * 4 * (f[0] + f[1])));
    }

    @Test
    void dataHasTheShapesOfTheStudent() {
        StudentSpec dense = StudentZoo.preset("dense-tiny").withInputSize(32);
        float[][] d = TrainBenchmark.data(dense, 3, 1);
        assertThat(d[0]).hasSize(3 * 3 * 32 * 32);
        assertThat(d[1]).hasSize(3 * 32 * 32);
        for (float v : d[1]) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void theScriptIsPackagedNextToTheClasses() throws Exception {
        Path p = TorchReference.extractScript();
        try {
            assertThat(Files.readString(p)).contains("def build(layers)", "set_num_interop_threads");
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void aMissingPythonIsReportedNotThrown() {
        TorchReference.Interpreter i = TorchReference.find(List.of("/nonexistent/python3"));
        assertThat(i.available()).isFalse();
        assertThat(i.problem()).contains("/nonexistent/python3");
    }

    /** When a Python with torch is here, its network must hold exactly the values the Java student holds. */
    @ParameterizedTest
    @MethodSource("presets")
    void theReferenceBuildsTheSameNetwork(StudentSpec preset) throws Exception {
        TorchReference.Interpreter python = TorchReference.find(TorchReference.DEFAULT_PYTHONS);
        Assumptions.assumeTrue(python.available(), "no Python with torch: " + python.problem());
        StudentSpec spec = preset.withInputSize(preset.kind() == StudentTask.DENSE ? 1 << (preset.channels().size() + 1) : 16);
        KdTrainer.Config config = new KdTrainer.Config(1, 4, 3e-3f, 1e-4f, 2f, 1);
        TorchReference.Result r = TorchReference.run(python, StudentJson.job(spec, config, 8, 1, 0), 0);
        assertThat(r.params()).isEqualTo(spec.parameterCount());
        assertThat(r.samples()).isEqualTo(8);
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.interopThreads()).isEqualTo(1);
    }
}
