package dev.distillery.distill.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.OnnxExporter;
import dev.distillery.distill.StudentBuilder;
import dev.distillery.distill.StudentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic tasks, trained or initialised students exported to ONNX, and graph inspection helpers. */
final class QuantFixtures {
    private QuantFixtures() {
    }

    /** Samples and their float targets (teacher logits, or 0/1 maps). */
    record Task(List<float[]> inputs, List<float[]> targets) {
        float[] flatInputs(int from, int to) {
            return flat(inputs.subList(from, to));
        }

        float[] flatTargets(int from, int to) {
            return flat(targets.subList(from, to));
        }
    }

    static float[] flat(List<float[]> xs) {
        int per = xs.get(0).length;
        float[] all = new float[per * xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, all, i * per, per);
        }
        return all;
    }

    /**
     * Each image is one random colour plus pixel noise; the teacher maps the colour linearly to k logits,
     * so the task is learnable in seconds and the classes are spread.
     */
    static Task colourTask(int size, int k, int n, long seed) {
        Random r = new Random(seed);
        Random teacher = new Random(1234);
        float[][] w = new float[k][3];
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < 3; j++) {
                w[c][j] = (float) teacher.nextGaussian() * 8f;
            }
            b[c] = (float) teacher.nextGaussian();
        }
        List<float[]> xs = new ArrayList<>();
        List<float[]> ts = new ArrayList<>();
        int px = size * size;
        for (int i = 0; i < n; i++) {
            float[] x = new float[3 * px];
            float[] m = new float[3];
            for (int c = 0; c < 3; c++) {
                m[c] = r.nextFloat();
                for (int p = 0; p < px; p++) {
                    x[c * px + p] = m[c] + 0.15f * (float) r.nextGaussian();
                }
            }
            float[] t = new float[k];
            for (int c = 0; c < k; c++) {
                t[c] = b[c];
                for (int j = 0; j < 3; j++) {
                    t[c] += w[c][j] * (m[j] - 0.5f);
                }
            }
            xs.add(x);
            ts.add(softmax(t, 2f));
        }
        return new Task(xs, ts);
    }

    /**
     * The teacher's soft target at temperature T, what {@link KdTrainer} learns from (probabilities, not logits:
     * logits made the KL loss NaN from the first step, which went unnoticed while NaN steps were applied).
     */
    static float[] softmax(float[] logits, float temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Bright random rectangles on a dark noisy background; the target marks the bright pixels. */
    static Task rectangleTask(int s, int n, long seed) {
        Random r = new Random(seed);
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] bright = new float[s * s];
            for (int q = 0; q < 3; q++) {
                int x0 = r.nextInt(s - 8);
                int y0 = r.nextInt(s - 8);
                int w = 8 + r.nextInt(s / 2);
                int h = 8 + r.nextInt(s / 2);
                for (int yy = y0; yy < Math.min(s, y0 + h); yy++) {
                    for (int xx = x0; xx < Math.min(s, x0 + w); xx++) {
                        bright[yy * s + xx] = 0.6f + 0.4f * r.nextFloat();
                    }
                }
            }
            float[] x = new float[3 * s * s];
            float[] y = new float[s * s];
            for (int p = 0; p < s * s; p++) {
                float v = bright[p] > 0 ? bright[p] : 0.3f * r.nextFloat();
                for (int c = 0; c < 3; c++) {
                    x[c * s * s + p] = Math.min(1f, v + 0.1f * (float) r.nextGaussian());
                }
                y[p] = v > 0.45f ? 1f : 0f;
            }
            xs.add(x);
            ys.add(y);
        }
        return new Task(xs, ys);
    }

    /** Trains {@code spec} on the first {@code train} samples of {@code task} and exports it to {@code file}. */
    static Path trainAndExport(StudentSpec spec, Task task, int train, KdTrainer.Config config, Path file)
            throws IOException {
        try (KdTrainer trainer = new KdTrainer(spec, config)) {
            KdTrainer.Report rep = trainer.train(task.flatInputs(0, train), task.flatTargets(0, train), train);
            System.out.printf("%s trained: losses %s, %.0f samples/s%n", spec.name(), rep.epochLosses(),
                    rep.samplesPerSecond());
            try (NDManager scope = trainer.manager().newSubManager()) {
                NDArray samples = scope.create(task.flatInputs(train, train + 4), StudentBuilder.inputShape(spec, 4));
                OnnxExporter.export(spec, trainer.block(), List.of(), Map.of("note", "quant-test"), samples, file);
            }
        }
        return file;
    }

    /**
     * An untrained student with non-trivial BatchNorm (random affine and running statistics), exported to
     * {@code file}: what folding must get exactly right.
     */
    static Path initialiseAndExport(StudentSpec spec, NDManager manager, long seed, Path file) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) seed);
            SequentialBlock block = StudentBuilder.build(spec);
            block.initialize(scope, DataType.FLOAT32, StudentBuilder.inputShape(spec, 1));
            randomiseBatchNorm(block, new Random(seed));
            NDArray samples = scope.randomUniform(0f, 1f, StudentBuilder.inputShape(spec, 2));
            OnnxExporter.export(spec, block, List.of(), Map.of("note", "quant-test"), samples, file);
        }
        return file;
    }

    private static void randomiseBatchNorm(Block block, Random r) {
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof BatchNorm bn) {
                for (Pair<String, Parameter> p : bn.getParameters()) {
                    NDArray a = p.getValue().getArray();
                    float[] v = new float[(int) a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = switch (p.getValue().getName()) {
                            case "gamma" -> 0.5f + r.nextFloat();
                            case "runningVar" -> 0.2f + 2 * r.nextFloat();
                            default -> (float) r.nextGaussian() * 0.3f;
                        };
                    }
                    a.set(v);
                }
            }
        }
    }

    static List<float[]> uniform(int n, int size, long seed) {
        Random r = new Random(seed);
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[size];
            for (int j = 0; j < size; j++) {
                x[j] = r.nextFloat();
            }
            xs.add(x);
        }
        return xs;
    }

    static ModelProto read(Path file) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(file));
    }

    static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    static List<TensorProto> initializersOfType(ModelProto m, TensorProto.DataType type) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getDataType() == type.getNumber()).toList();
    }

    /** Names of the tensors that feed input {@code k} of every {@code op} node. */
    static List<String> inputsOf(ModelProto m, String op, int k) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op))
                .map(n -> n.getInput(k)).toList();
    }

    static NodeProto producer(ModelProto m, String tensor) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(tensor)).findFirst()
                .orElse(null);
    }

    static double maxAbsDiff(List<float[]> a, List<float[]> b) {
        double d = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                d = Math.max(d, Math.abs((double) a.get(i)[j] - b.get(i)[j]));
            }
        }
        return d;
    }

    static long[] sampleShape(StudentSpec spec) {
        return new long[] {spec.inputChannels(), spec.inputSize(), spec.inputSize()};
    }

    static int sampleSize(StudentSpec spec) {
        return spec.inputChannels() * spec.inputSize() * spec.inputSize();
    }

    static String describe(float[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(5, v.length)));
    }
}
