package dev.distillery.distill.quant;

import static dev.distillery.distill.quant.QuantFixtures.count;
import static dev.distillery.distill.quant.QuantFixtures.inputsOf;
import static dev.distillery.distill.quant.QuantFixtures.producer;
import static dev.distillery.distill.quant.QuantFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.onnx.OnnxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static int8 QDQ quantization of exported students: structure, size, agreement with float, errors. */
class Int8QuantizerTest {
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

    /** A small but real classifier: trained on a colour task, top-1 of int8 must follow the float model. */
    @Test
    void trainedClassifierKeepsItsTop1Answers() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(32);
        QuantFixtures.Task task = QuantFixtures.colourTask(32, spec.outputs(), 320 + 200, 5);
        Path floatFile = QuantFixtures.trainAndExport(spec, task, 320, new KdTrainer.Config(3, 32, 1e-2f, 1e-4f, 2f, 3),
                dir.resolve("cls.onnx"));
        List<float[]> calibration = task.inputs().subList(0, 32);
        List<float[]> validation = task.inputs().subList(320, 520);
        Path out = dir.resolve("out").resolve("cls-int8.onnx");

        QuantReport rep = new Int8Quantizer(5, 40).quantize(floatFile, calibration, validation, out);
        System.out.println("cls-tiny@32 trained: " + rep.summary());

        assertThat(rep.metric()).isEqualTo(Agreement.Metric.TOP1);
        assertThat(rep.agreement()).isGreaterThanOrEqualTo(0.9);
        assertThat(rep.validationSamples()).isEqualTo(200);
        assertThat(rep.foldedBatchNorms()).isEqualTo(7);
        assertThat(rep.bnFoldMaxAbsDiff()).isLessThan(1e-4);
        assertThat(rep.floatOps()).isEmpty();
        assertThat(rep.int8Bytes()).isEqualTo(Files.size(out)).isLessThan(rep.floatBytes());
        assertThat(rep.floatBytes()).isEqualTo(Files.size(floatFile));
        assertThat(rep.floatP50Millis()).isPositive();
        assertThat(rep.int8P50Millis()).isPositive();
        assertQdqStudent(read(floatFile), out);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out); // written via temp file + move, nothing left over
        }
    }

    /** A dense student trained on a brightness map: the int8 maps must overlap the float ones (IoU). */
    @Test
    void trainedDenseStudentKeepsItsMaps() throws Exception {
        StudentSpec spec = StudentZoo.preset("dense-tiny").withInputSize(48);
        QuantFixtures.Task task = QuantFixtures.rectangleTask(48, 160 + 48, 21);
        Path floatFile = QuantFixtures.trainAndExport(spec, task, 160, new KdTrainer.Config(3, 16, 1e-2f, 1e-4f, 1f, 9),
                dir.resolve("dense.onnx"));
        List<float[]> calibration = task.inputs().subList(0, 32);
        List<float[]> validation = task.inputs().subList(160, 208);
        Path out = dir.resolve("dense-int8.onnx");

        QuantReport rep = new Int8Quantizer(5, 40).quantize(floatFile, calibration, validation, out);
        System.out.println("dense-tiny@48 trained: " + rep.summary());

        assertThat(rep.metric()).isEqualTo(Agreement.Metric.MEAN_IOU);
        assertThat(rep.agreement()).isGreaterThanOrEqualTo(0.8);
        assertThat(rep.foldedBatchNorms()).isEqualTo(15);
        assertThat(rep.bnFoldMaxAbsDiff()).isLessThan(1e-4);
        // the output Sigmoid (dense students give probability maps) stays float, and is reported as such
        assertThat(rep.floatOps()).containsExactly("Sigmoid");
        ModelProto q = assertQdqStudent(read(floatFile), out);
        assertThat(count(q, "Resize")).isEqualTo(4);
        // The head Conv keeps float logits and the Sigmoid float probabilities: nothing quantizes the output.
        NodeProto sigmoid = producer(q, "logits");
        assertThat(sigmoid.getOpType()).isEqualTo("Sigmoid");
        assertThat(producer(q, sigmoid.getInput(0)).getOpType()).isEqualTo("Conv");
    }

    /**
     * A weight-heavy preset at its real size, untrained but with random BatchNorm statistics: the file
     * must shrink below half, and folding alone (checked here independently in ONNX Runtime) must not
     * move the float outputs.
     */
    @Test
    void weightHeavyPresetShrinksBelowHalfAndFoldsExactly() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-mini");
        Path floatFile = QuantFixtures.initialiseAndExport(spec, manager, 17, dir.resolve("mini.onnx"));
        List<float[]> calibration = QuantFixtures.uniform(16, QuantFixtures.sampleSize(spec), 1);
        Path out = dir.resolve("mini-int8.onnx");

        Int8Quantizer.Quantized q = new Int8Quantizer().quantize(floatFile, calibration, out);
        long before = Files.size(floatFile);
        long after = Files.size(out);
        System.out.printf("cls-mini@64: %,d -> %,d bytes (%.2fx), fold diff %.2e%n", before, after,
                after / (double) before, q.bnFoldMaxAbsDiff());
        assertThat(after).isLessThan(before / 2);
        assertThat(q.quantizedNodes()).isEqualTo(10); // stem, 4 × (depthwise + pointwise), Gemm
        assertQdqStudent(read(floatFile), out);

        ModelProto original = read(floatFile);
        BatchNormFolder.Folded folded = BatchNormFolder.fold(original);
        assertThat(folded.folded()).isEqualTo(9);
        assertThat(folded.leftAlone()).isZero();
        assertThat(count(folded.model(), "BatchNormalization")).isZero();
        List<float[]> samples = QuantFixtures.uniform(6, QuantFixtures.sampleSize(spec), 2);
        long[] shape = QuantFixtures.sampleShape(spec);
        try (OrtRunner a = new OrtRunner(original.toByteArray(), "input", shape, 1);
             OrtRunner b = new OrtRunner(folded.model().toByteArray(), "input", shape, 1)) {
            List<float[]> fa = a.outputs(samples);
            double diff = QuantFixtures.maxAbsDiff(fa, b.outputs(samples));
            System.out.printf("BN folding: max |diff| %.2e on outputs like %s%n", diff, QuantFixtures.describe(fa.get(0)));
            assertThat(diff).isLessThan(1e-4);
        }
    }

    @Test
    void emptyCalibrationIsRefusedWithAReadableMessageAndWritesNothing() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(16);
        Path floatFile = QuantFixtures.initialiseAndExport(spec, manager, 1, dir.resolve("t.onnx"));
        Path out = dir.resolve("t-int8.onnx");
        Int8Quantizer quantizer = new Int8Quantizer();
        assertThatThrownBy(() -> quantizer.quantize(floatFile, List.of(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no calibration inputs");
        assertThatThrownBy(() -> quantizer.quantize(floatFile, List.of(new float[10]), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calibration sample 0 has 10 values")
                .hasMessageContaining("needs " + QuantFixtures.sampleSize(spec));
        List<float[]> ok = QuantFixtures.uniform(2, QuantFixtures.sampleSize(spec), 1);
        assertThatThrownBy(() -> quantizer.quantize(floatFile, ok, List.of(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no validation inputs");
        assertThatThrownBy(() -> quantizer.quantize(floatFile, ok, List.of(new float[3]), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation sample 0 has 3 values");
        assertThatThrownBy(() -> quantizer.quantize(new byte[] {1, 2, 3}, ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        assertThat(out).doesNotExist();
    }

    /** An op it does not know (Sigmoid here) stays float and is reported; the Convs around it are quantized. */
    @Test
    void unknownOpStaysFloatAndIsReported() throws Exception {
        OnnxBuilder b = new OnnxBuilder("odd").opset(13);
        b.input("x", TensorProto.DataType.FLOAT, "N", 2, 8, 8);
        java.util.Random r = new java.util.Random(4);
        b.initializer("w1", randn(r, 4 * 2 * 9), 4, 2, 3, 3);
        b.initializer("w2", randn(r, 3 * 4), 3, 4, 1, 1);
        b.initializer("b2", randn(r, 3), 3);
        b.node("Conv", List.of("x", "w1"), List.of("c1")).attr("pads", 1L, 1L, 1L, 1L);
        b.node("Sigmoid", List.of("c1"), List.of("s1"));
        b.node("Conv", List.of("s1", "w2", "b2"), List.of("c2"));
        b.node("GlobalAveragePool", List.of("c2"), List.of("g"));
        b.node("Flatten", List.of("g"), List.of("y")).attr("axis", 1L);
        b.output("y", TensorProto.DataType.FLOAT, "N", 3);
        b.metadata("keep", "me");
        List<float[]> calibration = QuantFixtures.uniform(8, 2 * 64, 5);

        Int8Quantizer.Quantized q = new Int8Quantizer().quantize(b.toBytes(), calibration);

        assertThat(q.floatOps()).containsExactly("Sigmoid");
        assertThat(q.quantizedNodes()).isEqualTo(2);
        assertThat(q.foldedBatchNorms()).isZero();
        ModelProto m = ModelProto.parseFrom(q.onnx());
        assertThat(count(m, "Sigmoid")).isEqualTo(1);
        assertThat(metadata(m)).containsEntry("keep", "me").containsEntry("distillery.quantization", "int8-qdq");
        // Both as written (the QDQ arithmetic literally) and as ONNX Runtime fuses it into integer kernels.
        for (boolean optimize : new boolean[] {false, true}) {
            try (OrtRunner f = new OrtRunner(b.toBytes(), "x", new long[] {2, 8, 8}, 1);
                 OrtRunner i8 = new OrtRunner(q.onnx(), "x", new long[] {2, 8, 8}, 1, optimize)) {
                List<float[]> expected = f.outputs(calibration);
                double diff = QuantFixtures.maxAbsDiff(expected, i8.outputs(calibration));
                double range = QuantFixtures.maxAbsDiff(expected, expected.stream().map(v -> new float[v.length]).toList());
                System.out.printf("odd model (ORT %s): int8 vs float max |diff| %.3g of max |y| %.3g%n",
                        optimize ? "fused" : "as written", diff, range);
                assertThat(diff).isLessThan(0.02 * range);
            }
        }
    }

    /** Activation parameters: uint8, zero point 0 for non-negative tensors, the range always covers 0. */
    @Test
    void activationParametersCoverTheCalibratedRange() {
        float[] relu = Int8Quantizer.activationParams(0f, 5.1f);
        assertThat(relu[0]).isEqualTo(0.02f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(relu[1]).isZero();
        float[] both = Int8Quantizer.activationParams(-1f, 3f);
        assertThat(both[0]).isEqualTo(4f / 255, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(both[1]).isEqualTo(64f); // round(1 / (4/255)) = round(63.75)
        float[] positiveOnly = Int8Quantizer.activationParams(2f, 4f);
        assertThat(positiveOnly[0]).isEqualTo(4f / 255, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(positiveOnly[1]).isZero();
        float[] constant = Int8Quantizer.activationParams(0f, 0f);
        assertThat(constant[0]).isPositive();

        float[] scales = new float[2];
        byte[] q = Int8Quantizer.quantizeSymmetric(new float[] {0.6f, -1f, 0.25f, 2f, 0f, -2f}, 2, scales);
        // 7-bit weights (±63): u8×s8 pair sums fit int16 on CPUs without VNNI
        assertThat(scales).containsExactly(1f / 63, 2f / 63);
        assertThat(q).containsExactly(38, -63, 16, 63, 0, -63); // round(37.8), round(15.75)
    }

    static float[] randn(java.util.Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.5f;
        }
        return v;
    }

    static Map<String, String> metadata(ModelProto m) {
        return m.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    }

    /**
     * Checks the shape of a quantized student: ORT loads it; no BatchNormalization; every Conv and Gemm
     * reads its input and weight through DequantizeLinear, weights from int8 initializers (per channel for
     * Conv) and biases from int32; outputs and their float type as before; metadata kept plus the marker.
     */
    static ModelProto assertQdqStudent(ModelProto original, Path file) throws Exception {
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(file.toString())) {
            assertThat(s.getMetadata().getCustomMetadata()).containsEntry("distillery.quantization", "int8-qdq");
        }
        ModelProto q = read(file);
        assertThat(count(q, "QuantizeLinear")).isPositive();
        assertThat(count(q, "DequantizeLinear")).isPositive();
        assertThat(count(q, "BatchNormalization")).isZero();
        assertThat(count(q, "Relu")).as("Relu after Conv is taken over by zero-point-0 QuantizeLinear").isZero();
        Map<String, TensorProto> inits = q.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, t -> t));
        assertThat(QuantFixtures.initializersOfType(q, TensorProto.DataType.INT8)).isNotEmpty();
        for (String op : List.of("Conv", "Gemm")) {
            for (NodeProto n : q.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList()) {
                NodeProto in = producer(q, n.getInput(0));
                assertThat(in).as(op + " input").isNotNull();
                assertThat(in.getOpType()).isEqualTo("DequantizeLinear");
                NodeProto w = producer(q, n.getInput(1));
                assertThat(w.getOpType()).isEqualTo("DequantizeLinear");
                TensorProto wq = inits.get(w.getInput(0));
                assertThat(wq.getDataType()).isEqualTo(TensorProto.DataType.INT8.getNumber());
                if (op.equals("Conv")) {
                    assertThat(inits.get(w.getInput(1)).getDims(0)).as("per-channel scales").isEqualTo(wq.getDims(0));
                }
                if (n.getInputCount() > 2) {
                    NodeProto bdq = producer(q, n.getInput(2));
                    TensorProto bq = inits.get(bdq.getInput(0));
                    assertThat(bq.getDataType()).isEqualTo(TensorProto.DataType.INT32.getNumber());
                    // bias scale = input scale × weight scale (per output channel): what QLinearConv assumes
                    float inScale = Tensors.floats(inits.get(in.getInput(1)))[0];
                    float[] ws = Tensors.floats(inits.get(w.getInput(1)));
                    float[] bs = Tensors.floats(inits.get(bdq.getInput(1)));
                    assertThat(bs).hasSize((int) bq.getDims(0));
                    for (int o = 0; o < bs.length; o++) {
                        assertThat(bs[o]).isEqualTo(inScale * ws[ws.length == 1 ? 0 : o]);
                    }
                }
            }
        }
        // No float weight matrices are left: the only float initializers are scales (1-D or scalars), and a detector's
        // box decode constants (det.*: the distance-to-box matrix and the cell centres, which are not weights).
        assertThat(QuantFixtures.initializersOfType(q, TensorProto.DataType.FLOAT))
                .filteredOn(t -> !t.getName().startsWith("det."))
                .allSatisfy(t -> assertThat(t.getDimsCount()).isLessThanOrEqualTo(1));
        assertThat(q.getGraph().getOutputList()).isEqualTo(original.getGraph().getOutputList());
        Map<String, String> meta = metadata(q);
        assertThat(meta).containsAllEntriesOf(metadata(original)).containsEntry("note", "quant-test")
                .containsEntry("distillery.quantization", "int8-qdq");
        Set<String> names = new HashSet<>();
        q.getGraph().getNodeList().forEach(n -> assertThat(names.add(n.getName())).as("unique node name").isTrue());
        assertThat(inputsOf(q, "QuantizeLinear", 0)).doesNotHaveDuplicates();
        return q;
    }
}
