package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Student zoo, DJL blocks, KD training and ONNX export with its parity check. */
class DistillSpikeTest {
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
        // Every preset, plus rectangular inputs (text lines are 4:1).
        return Stream.concat(StudentZoo.presets().stream(), Stream.of(
                StudentZoo.preset("cls-tiny").withInput(192, 48), StudentZoo.preset("dense-tiny").withInput(160, 96)));
    }

    /** A block for {@code spec}, seeded, initialised in its own sub-manager of {@code scope}. */
    static SequentialBlock initialised(StudentSpec spec, NDManager scope, int seed) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        SequentialBlock block = StudentBuilder.build(spec);
        block.initialize(scope, DataType.FLOAT32, StudentBuilder.inputShape(spec, 1));
        return block;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetEstimatesMatchTheBuiltBlock(StudentSpec spec) {
        System.out.println(spec.summary());
        try (NDManager scope = manager.newSubManager()) {
            SequentialBlock block = initialised(spec, scope, 1);
            long count = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                count += p.getValue().getArray().size();
            }
            assertThat(count).isEqualTo(spec.parameterCount());
            Shape out = block.getOutputShapes(new Shape[] {StudentBuilder.inputShape(spec, 2)})[0];
            long[] expected = new long[spec.outputShape().length + 1];
            expected[0] = 2;
            System.arraycopy(spec.outputShape(), 0, expected, 1, spec.outputShape().length);
            assertThat(out.getShape()).containsExactly(expected);
        }
        switch (spec.name()) {
            case "cls-tiny" -> assertThat(spec.parameterCount()).isBetween(20_000L, 40_000L);
            case "cls-small" -> assertThat(spec.parameterCount()).isBetween(150_000L, 250_000L);
            case "cls-base" -> assertThat(spec.parameterCount()).isBetween(800_000L, 1_200_000L);
            case "dense-tiny", "dense-small", "dense-fast" -> assertThat(spec.parameterCount()).isLessThanOrEqualTo(100_000L);
            default -> { }
        }
        assertThat(spec.flops()).isPositive();
        if (spec.headStride() == 2) { // the only full-resolution layer is the upsampling of the logit map
            List<StudentLayer> layers = spec.layers();
            assertThat(layers.get(layers.size() - 1)).isInstanceOf(StudentLayer.UpsampleNearest2x.class);
            assertThat(layers.get(layers.size() - 2)).isEqualTo(new StudentLayer.Conv(8, spec.outputs(), 3, 1, 1, true));
            StudentSpec full = spec.withHeadStride("full", 1);
            assertThat(spec.flops()).isLessThan(full.flops());
            assertThat(spec.parameterCount()).isEqualTo(full.parameterCount());
        }
    }

    @Test
    void aHalfResolutionHeadIsOnlyForDenseStudents() {
        assertThatThrownBy(() -> StudentZoo.preset("cls-tiny").withHeadStride("x", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head stride 2");
        assertThatThrownBy(() -> StudentZoo.preset("dense-tiny").withHeadStride("x", 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The key test: random weights, non-trivial BatchNorm (random affine, running statistics moved by
     * training-mode passes), export, ONNX Runtime vs DJL inference within 1e-4.
     */
    @ParameterizedTest
    @MethodSource("presets")
    void exportMatchesDjlInOnnxRuntime(StudentSpec spec) throws Exception {
        try (NDManager scope = manager.newSubManager()) {
            SequentialBlock block = initialised(spec, scope, 7);
            Random r = new Random(3);
            randomiseBatchNorm(block, r);
            // Training-mode passes move the running statistics the way DJL/PyTorch really do.
            ParameterStore ps = new ParameterStore(scope, false);
            for (int i = 0; i < 3; i++) {
                NDArray x = scope.randomUniform(-1f, 2f, StudentBuilder.inputShape(spec, 4));
                block.forward(ps, new NDList(x), true);
            }
            StudentWeights w = StudentWeights.from(spec, block);
            assertThat(w.count()).isEqualTo(spec.parameterCount());
            assertThat(w.get(1, "runningVar").data()[0]).isNotEqualTo(1f);
            assertThat(w.get(1, "runningMean").data()[0]).isNotEqualTo(0f);

            NDArray samples = scope.randomUniform(0f, 1f, StudentBuilder.inputShape(spec, 3));
            Path file = dir.resolve(spec.name() + ".onnx");
            OnnxExporter.ExportResult res = OnnxExporter.export(spec, block, List.of(), Map.of("note", "test"),
                    samples, file);
            System.out.printf("%s: parity max |diff| %.2e, %,d bytes (expected ~%,d)%n", spec.name(),
                    res.maxAbsDiff(), res.bytes(), spec.expectedOnnxBytes());
            assertThat(res.maxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(file).exists();
            assertThat((double) Files.size(file)).isCloseTo(spec.expectedOnnxBytes(),
                    org.assertj.core.data.Percentage.withPercentage(10));
            try (OrtSession s = OrtEnvironment.getEnvironment().createSession(file.toString())) {
                assertThat(s.getMetadata().getCustomMetadata()).containsEntry("distillery.preset", spec.name())
                        .containsEntry("note", "test");
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).containsExactly(file);
            }
        }
    }

    /**
     * DJL's BatchNorm momentum is the weight of the OLD running value (MXNet style, 0.9 = slow), and
     * inference mode really uses the running statistics (not the batch's).
     */
    @Test
    void batchNormSemanticsInThePyTorchEngine() {
        try (NDManager scope = manager.newSubManager()) {
            Block bn = StudentBuilder.block(new StudentLayer.BatchNorm(1, StudentSpec.BN_EPSILON));
            bn.initialize(scope, DataType.FLOAT32, new Shape(2, 1, 2, 2));
            NDArray x = scope.create(new float[] {3, 3, 3, 3, 5, 5, 5, 5}, new Shape(2, 1, 2, 2));
            ParameterStore ps = new ParameterStore(scope, false);
            float[] train = bn.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            float mean = bn.getParameters().get("runningMean").getArray().getFloat(0);
            float[] infer = bn.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            System.out.printf("BN: running mean after one pass on mean-4 data %.3f; train out %.3f, eval out %.3f%n",
                    mean, train[0], infer[0]);
            assertThat(mean).isCloseTo(0.4f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(train[0]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-3f));
            float var = bn.getParameters().get("runningVar").getArray().getFloat(0);
            assertThat(infer[0]).isCloseTo((float) ((3 - mean) / Math.sqrt(var + 1e-5)),
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    /** Throughput at the presets' real sizes, for information only (no timing assertions). */
    @Test
    void reportsTrainingThroughputAtPresetSizes() {
        for (String name : List.of("cls-mini", "dense-tiny")) {
            StudentSpec spec = StudentZoo.preset(name);
            int batch = spec.kind() == StudentTask.CLASSIFICATION ? 64 : 8;
            int n = batch * 3;
            int px = spec.inputSize() * spec.inputSize();
            Random r = new Random(1);
            float[] x = new float[n * 3 * px];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            float[] t = new float[(int) (n * new Shape(spec.outputShape()).size())];
            for (int i = 0; i < t.length; i++) {
                t[i] = spec.kind() == StudentTask.CLASSIFICATION ? (float) r.nextGaussian() : r.nextInt(2);
            }
            if (spec.kind() == StudentTask.CLASSIFICATION) {
                int k = spec.outputs();
                for (int i = 0; i < n; i++) {
                    float[] row = java.util.Arrays.copyOfRange(t, i * k, (i + 1) * k);
                    System.arraycopy(dev.distillery.teacher.run.ClassificationDecoder.softmax(row), 0, t, i * k, k);
                }
            }
            try (KdTrainer trainer = new KdTrainer(spec, new KdTrainer.Config(2, batch, 1e-3f, 1e-4f, 2f, 1))) {
                KdTrainer.Report rep = trainer.train(x, t, n);
                System.out.printf("%s: %.0f samples/s training at %d×%d, batch %d (%d threads)%n", name,
                        rep.samplesPerSecond(), spec.inputSize(), spec.inputSize(), batch,
                        Runtime.getRuntime().availableProcessors());
                assertThat(rep.epochLosses()).allSatisfy(l -> assertThat(l).isFinite());
            }
        }
    }

    static void randomiseBatchNorm(Block block, Random r) {
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof BatchNorm bn) {
                for (Pair<String, Parameter> p : bn.getParameters()) {
                    NDArray a = p.getValue().getArray();
                    float[] v = new float[(int) a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = switch (p.getValue().getName()) {
                            case "gamma" -> 0.5f + r.nextFloat();
                            case "runningVar" -> 0.5f + r.nextFloat();
                            default -> (float) r.nextGaussian() * 0.2f;
                        };
                    }
                    a.set(v);
                }
            }
        }
    }

    @Test
    void exporterRefusesMismatchedParametersAndSavesNothing() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-tiny");
        try (NDManager scope = manager.newSubManager()) {
            SequentialBlock a = initialised(spec, scope, 1);
            SequentialBlock b = initialised(spec, scope, 2);
            NDArray samples = scope.randomUniform(0f, 1f, StudentBuilder.inputShape(spec, 2));
            Path file = dir.resolve("bad.onnx");
            assertThatThrownBy(() -> OnnxExporter.export(spec, StudentWeights.from(spec, a), b, List.of(), Map.of(),
                    samples, file))
                    .isInstanceOf(ParityException.class)
                    .hasMessageContaining("not saved");
            assertThat(file).doesNotExist();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    /**
     * Teacher: a fixed random linear map of each image's colour statistics to 10 logits. The student
     * sees noisy images and must reproduce the teacher's soft outputs.
     */
    @Test
    void classifierLearnsFromSoftTeacherTargets() throws Exception {
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(32);
        int k = spec.outputs();
        Random r = new Random(11);
        float[][] teacherW = new float[k][3];
        float[] teacherB = new float[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < 3; j++) {
                teacherW[c][j] = (float) r.nextGaussian() * 8f;
            }
            teacherB[c] = (float) r.nextGaussian();
        }
        int n = 1024;
        int test = 256;
        float[][] data = colourImages(spec, n + test, r);
        float[] x = data[0];
        float[] t = new float[(n + test) * k];
        float[] means = data[1];
        for (int i = 0; i < n + test; i++) {
            for (int c = 0; c < k; c++) {
                float v = teacherB[c];
                for (int j = 0; j < 3; j++) {
                    v += teacherW[c][j] * (means[i * 3 + j] - 0.5f);
                }
                t[i * k + c] = v;
            }
        }
        int sz = 3 * spec.inputSize() * spec.inputSize();
        float[] trainX = java.util.Arrays.copyOf(x, n * sz);
        // The loss takes the teacher's probabilities at the temperature (T = 2), not its logits.
        float[] trainT = java.util.Arrays.copyOf(t, n * k);
        for (int i = 0; i < n; i++) {
            float[] row = java.util.Arrays.copyOfRange(trainT, i * k, (i + 1) * k);
            for (int c = 0; c < k; c++) {
                row[c] /= 2f;
            }
            System.arraycopy(dev.distillery.teacher.run.ClassificationDecoder.softmax(row), 0, trainT, i * k, k);
        }
        float[] testX = java.util.Arrays.copyOfRange(x, n * sz, (n + test) * sz);
        float[] testT = java.util.Arrays.copyOfRange(t, n * k, (n + test) * k);

        KdTrainer.Config config = new KdTrainer.Config(4, 32, 1e-2f, 1e-4f, 2f, 5);
        try (KdTrainer trainer = new KdTrainer(spec, config)) {
            double before = agreement(trainer.predict(testX, test), testT, k);
            KdTrainer.Report first = trainer.train(trainX, trainT, n);
            int arrays = trainer.manager().getManagedArrays().size();
            KdTrainer.Report report = trainer.train(trainX, trainT, n);
            // Per-step arrays are freed with their scope: only parameters, gradients and optimizer state remain.
            assertThat(trainer.manager().getManagedArrays()).hasSize(arrays);
            double after = agreement(trainer.predict(testX, test), testT, k);
            double majority = majorityShare(testT, k);
            System.out.printf("cls KD: losses %s %s, agreement %.2f -> %.2f (majority class %.2f), %.0f samples/s,"
                    + " %d live arrays%n", first.epochLosses(), report.epochLosses(), before, after, majority,
                    report.samplesPerSecond(), arrays);
            List<Float> l = report.epochLosses();
            assertThat(l.get(l.size() - 1)).isLessThan(first.epochLosses().get(0) * 0.5f);
            assertThat(after).isGreaterThan(Math.max(0.6, majority + 0.2));

            // The trained student (real BatchNorm statistics) exports with parity.
            try (NDManager scope = trainer.manager().newSubManager()) {
                NDArray samples = scope.create(java.util.Arrays.copyOf(testX, 4 * sz),
                        StudentBuilder.inputShape(spec, 4));
                OnnxExporter.ExportResult res = OnnxExporter.export(spec, trainer.block(), labels(k), Map.of(),
                        samples, dir.resolve("trained.onnx"));
                assertThat(res.maxAbsDiff()).isLessThanOrEqualTo(1e-4);
                try (OrtSession os = OrtEnvironment.getEnvironment().createSession(res.file().toString())) {
                    assertThat(os.getMetadata().getCustomMetadata())
                            .containsEntry("labels", dev.distillery.teacher.library.Json.write(labels(k)))
                            .containsEntry("distillery.kind", "CLASSIFIER");
                }
            }
        }
    }

    /** Dense target: a brightness threshold map of images made of random bright rectangles. */
    @Test
    void denseStudentLearnsABrightnessMap() {
        StudentSpec spec = StudentZoo.preset("dense-tiny").withInputSize(64);
        int s = spec.inputSize();
        int n = 256;
        int test = 32;
        Random r = new Random(21);
        float[] x = new float[(n + test) * 3 * s * s];
        float[] y = new float[(n + test) * s * s];
        for (int i = 0; i < n + test; i++) {
            float[][] plane = new float[s][s];
            for (int q = 0; q < 3; q++) {
                int x0 = r.nextInt(s - 8);
                int y0 = r.nextInt(s - 8);
                int w = 8 + r.nextInt(s / 2);
                int h = 8 + r.nextInt(s / 2);
                for (int yy = y0; yy < Math.min(s, y0 + h); yy++) {
                    for (int xx = x0; xx < Math.min(s, x0 + w); xx++) {
                        plane[yy][xx] = 0.6f + 0.4f * r.nextFloat();
                    }
                }
            }
            for (int yy = 0; yy < s; yy++) {
                for (int xx = 0; xx < s; xx++) {
                    float b = plane[yy][xx] > 0 ? plane[yy][xx] : 0.3f * r.nextFloat();
                    for (int c = 0; c < 3; c++) {
                        x[((i * 3 + c) * s + yy) * s + xx] = Math.min(1f, b + 0.1f * (float) r.nextGaussian());
                    }
                    y[(i * s + yy) * s + xx] = b > 0.45f ? 1f : 0f;
                }
            }
        }
        int px = s * s;
        float[] testX = java.util.Arrays.copyOfRange(x, n * 3 * px, (n + test) * 3 * px);
        float[] testY = java.util.Arrays.copyOfRange(y, n * px, (n + test) * px);
        KdTrainer.Config config = new KdTrainer.Config(6, 16, 1e-2f, 1e-4f, 1f, 9);
        try (KdTrainer trainer = new KdTrainer(spec, config)) {
            KdTrainer.Report report = trainer.train(java.util.Arrays.copyOf(x, n * 3 * px),
                    java.util.Arrays.copyOf(y, n * px), n);
            float[] logits = trainer.predict(testX, test);
            int right = 0;
            int ones = 0;
            for (int i = 0; i < logits.length; i++) {
                right += (logits[i] > 0) == (testY[i] > 0.5f) ? 1 : 0;
                ones += testY[i] > 0.5f ? 1 : 0;
            }
            double acc = right / (double) logits.length;
            double base = Math.max(ones, logits.length - ones) / (double) logits.length;
            System.out.printf("dense KD: losses %s, pixel accuracy %.3f (majority %.3f), %.0f samples/s at %d×%d%n",
                    report.epochLosses(), acc, base, report.samplesPerSecond(), s, s);
            List<Float> l = report.epochLosses();
            assertThat(l.get(l.size() - 1)).isLessThan(l.get(0) * 0.7f);
            assertThat(acc).isGreaterThan(Math.min(0.97, base + 0.15));
        }
    }

    /** Images of one random colour each plus noise; returns {pixels, per-image channel means}. */
    static float[][] colourImages(StudentSpec spec, int n, Random r) {
        int s = spec.inputSize();
        float[] x = new float[n * 3 * s * s];
        float[] means = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float m = r.nextFloat();
                means[i * 3 + c] = m;
                int base = (i * 3 + c) * s * s;
                for (int p = 0; p < s * s; p++) {
                    x[base + p] = m + 0.15f * (float) r.nextGaussian();
                }
            }
        }
        return new float[][] {x, means};
    }

    static double agreement(float[] student, float[] teacher, int k) {
        int n = teacher.length / k;
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += argmax(student, i * k, k) == argmax(teacher, i * k, k) ? 1 : 0;
        }
        return same / (double) n;
    }

    static double majorityShare(float[] teacher, int k) {
        int n = teacher.length / k;
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            counts[argmax(teacher, i * k, k)]++;
        }
        return java.util.Arrays.stream(counts).max().orElse(0) / (double) n;
    }

    static int argmax(float[] a, int from, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (a[from + c] > a[from + best]) {
                best = c;
            }
        }
        return best;
    }

    static List<String> labels(int k) {
        return java.util.stream.IntStream.range(0, k).mapToObj(i -> "class" + i).toList();
    }
}
