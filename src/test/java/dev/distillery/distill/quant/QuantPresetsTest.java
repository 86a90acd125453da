package dev.distillery.distill.quant;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every preset at its real input size (untrained, random BatchNorm statistics): quantizes, folds exactly,
 * shrinks, and ONNX Runtime really turns the QDQ groups into integer kernels (QLinearConv). Sizes, latency
 * and agreement are printed for information; nothing is asserted about time.
 */
class QuantPresetsTest {
    static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<StudentSpec> presets() {
        return StudentZoo.presets().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetQuantizesIntoIntegerKernels(StudentSpec spec) throws Exception {
        Path floatFile = QuantFixtures.initialiseAndExport(spec, manager, 3, dir.resolve(spec.name() + ".onnx"));
        int size = QuantFixtures.sampleSize(spec);
        Path out = dir.resolve(spec.name() + "-int8.onnx");
        QuantReport rep = new Int8Quantizer(10, 100).quantize(floatFile, QuantFixtures.uniform(16, size, 1),
                QuantFixtures.uniform(32, size, 2), out);

        Path optimized = dir.resolve(spec.name() + "-ort.onnx");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizedModelFilePath(optimized.toString());
            OrtEnvironment.getEnvironment().createSession(out.toString(), o).close();
        }
        Map<String, Integer> ops = new TreeMap<>();
        ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList()
                .forEach(n -> ops.merge(n.getOpType(), 1, Integer::sum));
        System.out.printf("%s %d×%d: %s%n  ONNX Runtime runs: %s%n", spec.name(), spec.inputSize(), spec.inputSize(),
                rep.summary(), ops);

        long convs = spec.layers().stream().filter(l -> l instanceof dev.distillery.distill.StudentLayer.Conv).count();
        boolean dense = spec.kind() == StudentTask.DENSE;
        boolean detector = spec.kind() == StudentTask.DETECTION;
        // Every Conv followed by BN+Relu becomes QLinearConv; a dense student's or detector's head Conv keeps float
        // outputs.
        assertThat(ops.getOrDefault("QLinearConv", 0)).isEqualTo((int) (dense || detector ? convs - 1 : convs));
        assertThat(ops).doesNotContainKey("BatchNormalization");
        if (detector) {
            // measured on decoded boxes, e^logit · 8 pixels: an untrained head's logits with random BatchNorm
            // statistics reach e^20, where float rounding alone is millions of pixels (the fold itself is exact)
            assertThat(rep.bnFoldMaxAbsDiff()).isFinite();
        } else {
            assertThat(rep.bnFoldMaxAbsDiff()).isLessThan(1e-4);
        }
        if (dense) {
            assertThat(rep.floatOps()).containsExactly("Sigmoid"); // the probability-map output stays float
        } else if (detector) {
            // the box decode stays float
            assertThat(rep.floatOps()).contains("Sigmoid", "Exp", "MatMul", "Concat");
        } else {
            assertThat(rep.floatOps()).isEmpty();
        }
        assertThat(rep.metric()).isEqualTo(dense ? Agreement.Metric.MEAN_IOU
                : detector ? Agreement.Metric.BOX_F1 : Agreement.Metric.TOP1);
        assertThat(rep.agreement()).isBetween(0.0, 1.0);
        assertThat(rep.sizeRatio()).isLessThan(dense || detector ? 0.5 : 0.4);
        Int8QuantizerTest.assertQdqStudent(QuantFixtures.read(floatFile), out);
    }
}
