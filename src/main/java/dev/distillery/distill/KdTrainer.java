package dev.distillery.distill;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Knowledge-distillation training of a {@link StudentSpec}: the student, its optimizer and one step at a
 * time ({@link #step}; the learning rate is set from outside by the run's schedule), or a whole in-memory
 * training with {@link #train}. Classifier loss: T²·KL(softmax(t/T) ‖ softmax(s/T)) with t
 * the teacher's logits; dense loss: per-pixel BCE-with-logits against a target map in [0, 1]. AdamW.
 *
 * <p>Owns a DJL {@link Model} (PyTorch engine, CPU) and its native memory: close it.
 */
public final class KdTrainer implements AutoCloseable {
    /**
     * @param ceWeight weight of the optional cross-entropy on the teacher's top-1 class (0 = pure KD)
     */
    public record Config(int epochs, int batchSize, float learningRate, float weightDecay, float temperature,
                         int seed, float ceWeight) {
        public Config(int epochs, int batchSize, float learningRate, float weightDecay, float temperature, int seed) {
            this(epochs, batchSize, learningRate, weightDecay, temperature, seed, 0f);
        }

        public static Config defaults() {
            return new Config(5, 32, 3e-3f, 1e-4f, 2f, 42);
        }

        public Config withEpochs(int n) {
            return new Config(n, batchSize, learningRate, weightDecay, temperature, seed, ceWeight);
        }
    }

    /** A learning rate the training loop sets before each step (DJL asks a tracker for it). */
    private static final class Rate implements Tracker {
        private volatile float value;

        Rate(float value) {
            this.value = value;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return value;
        }
    }

    /** Mean loss per epoch, throughput over all epochs. */
    public record Report(List<Float> epochLosses, long samples, double seconds) {
        public double samplesPerSecond() {
            return samples / seconds;
        }
    }

    private final StudentSpec spec;
    private final Config config;
    private final Model model;
    private final Trainer trainer;
    private final Rate rate;
    private static final int CHECKPOINT_MAGIC = 0x44534b31; // "DSK1"
    private final FiniteSteps guard;
    /** Running average of every parameter (null until {@link #averageWeights} is called). */
    private List<NDArray> average;
    private float averageDecay;
    private long averagedSteps;

    public KdTrainer(StudentSpec spec, Config config) {
        this.spec = spec;
        this.config = config;
        Engine.getEngine("PyTorch").setRandomSeed(config.seed());
        model = Model.newInstance(spec.name(), Device.cpu(), "PyTorch");
        model.setBlock(StudentBuilder.build(spec));
        Loss loss = spec.kind().loss(spec, config);
        rate = new Rate(config.learningRate());
        guard = new FiniteSteps(Optimizer.adamW().optLearningRateTracker(rate)
                .optWeightDecays(config.weightDecay()).build());
        Optimizer adamW = guard;
        trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamW)
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(StudentBuilder.inputShape(spec, config.batchSize()));
        float[] bias = spec.kind().headBias(spec);
        if (bias != null) {
            setHeadBias(bias);
        }
    }

    /** Sets the head's bias (the block's last parameter): a task's start ({@link StudentTask#headBias}). */
    private void setHeadBias(float[] b) {
        var params = block().getParameters();
        NDArray bias = params.get(params.size() - 1).getValue().getArray();
        if (bias.size() != b.length) {
            throw new IllegalStateException("head bias of " + bias.size() + " values, given " + b.length);
        }
        bias.set(java.nio.FloatBuffer.wrap(b));
    }

    public StudentSpec spec() {
        return spec;
    }

    /** The student block (initialised; hand it to {@link OnnxExporter}). */
    public Block block() {
        return model.getBlock();
    }

    /** Manager that owns the student's parameters; create sample arrays in sub-managers of it. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** The learning rate the next {@link #step} uses. */
    public void setLearningRate(float lr) {
        rate.value = lr;
    }

    public float learningRate() {
        return rate.value;
    }

    /**
     * Trains on {@code n} samples: {@code inputs} N×C×H×W, {@code targets} N×K teacher probabilities at the
     * configured temperature (classifier) or N×K×H×W maps in [0, 1] (dense). Shuffled each epoch with the
     * configured seed, fixed learning rate.
     */
    public Report train(float[] inputs, float[] targets, int n) {
        int sampleSize = spec.inputValues();
        int targetSize = Math.toIntExact(new Shape(spec.targetShape()).size());
        if (inputs.length != (long) n * sampleSize || targets.length != (long) n * targetSize) {
            throw new IllegalArgumentException("expected " + n + " samples of " + sampleSize + " inputs and "
                    + targetSize + " targets");
        }
        Random random = new Random(config.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<Float> losses = new ArrayList<>();
        long seen = 0;
        long start = System.nanoTime();
        int bs = config.batchSize();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            shuffle(order, random);
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += bs) {
                int m = Math.min(bs, n - from);
                if (m < 2) {
                    continue; // BatchNorm needs more than one value per channel in training mode
                }
                float[] x = new float[m * sampleSize];
                float[] y = new float[m * targetSize];
                for (int j = 0; j < m; j++) {
                    System.arraycopy(inputs, order[from + j] * sampleSize, x, j * sampleSize, sampleSize);
                    System.arraycopy(targets, order[from + j] * targetSize, y, j * targetSize, targetSize);
                }
                sum += step(x, y, m);
                batches++;
                seen += m;
            }
            losses.add((float) (sum / Math.max(1, batches)));
        }
        return new Report(losses, seen, (System.nanoTime() - start) / 1e9);
    }

    /**
     * One optimizer step on a batch of {@code m} ≥ 2 samples ({@code x}: m×C×H×W inputs, {@code y}: m targets
     * as in {@link #train}); returns the batch loss.
     */
    public float step(float[] x, float[] y, int m) {
        // Everything a step creates lives in this scope and is freed at its end; parameters and optimizer
        // state live in the model's manager.
        try (NDManager scope = manager().newSubManager()) {
            NDArray in = scope.create(x, StudentBuilder.inputShape(spec, m));
            long[] ts = new long[spec.targetShape().length + 1];
            ts[0] = m;
            System.arraycopy(spec.targetShape(), 0, ts, 1, spec.targetShape().length);
            NDArray target = scope.create(y, new Shape(ts));
            float value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(in));
                NDArray loss = trainer.getLoss().evaluate(new NDList(target), pred);
                gc.backward(loss);
                value = loss.getFloat();
            }
            guard.beginStep();
            trainer.step();
            guard.endStep(value);
            updateAverage();
            return value;
        }
    }

    /**
     * Keeps an exponential moving average of the weights (and BatchNorm statistics) from now on. After step t the
     * decay is min({@code decay}, (1 + t) / (10 + t)), so the average spans about the last tenth of the steps so
     * far, and at most about 1 / (1 − decay) steps. Validation and export can then use the average (see
     * {@link #withAverage}): on a few hundred camera frames the last step's weights swing from epoch to epoch,
     * their average does not.
     */
    public void averageWeights(float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1)");
        }
        averageDecay = decay;
        averagedSteps = 0;
        average = new ArrayList<>();
        for (var p : block().getParameters()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager());
            average.add(copy);
        }
    }

    private void updateAverage() {
        if (average == null) {
            return;
        }
        averagedSteps++;
        float d = Math.min(averageDecay, (1f + averagedSteps) / (10f + averagedSteps));
        int i = 0;
        for (var p : block().getParameters()) {
            NDArray a = average.get(i++);
            // a ← d·a + (1 − d)·w; the product belongs to the parameter's manager, so it is closed here
            try (NDArray part = p.getValue().getArray().mul(1 - d)) {
                a.muli(d).addi(part);
            }
        }
    }

    /** Weights put in for a while; closing puts the others back. */
    public interface Swap extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Puts the averaged weights into the student until the returned handle is closed, then the trained ones
     * back; without {@link #averageWeights}, changes nothing.
     */
    public Swap withAverage() {
        if (average == null) {
            return () -> { };
        }
        List<float[]> trained = new ArrayList<>();
        int i = 0;
        for (var p : block().getParameters()) {
            NDArray w = p.getValue().getArray();
            trained.add(w.toFloatArray());
            w.set(java.nio.FloatBuffer.wrap(average.get(i++).toFloatArray()));
        }
        return () -> {
            int j = 0;
            for (var p : block().getParameters()) {
                p.getValue().getArray().set(java.nio.FloatBuffer.wrap(trained.get(j++)));
            }
        };
    }

    /** Steps whose update was dropped because their gradients were not finite (see {@link FiniteSteps}). */
    public int skippedSteps() {
        return guard.skippedSteps();
    }

    /** Inference-mode outputs (BatchNorm on running statistics) for {@code n} samples, flattened. */
    public float[] predict(float[] inputs, int n) {
        try (NDManager scope = manager().newSubManager()) {
            NDArray in = scope.create(inputs, StudentBuilder.inputShape(spec, n));
            return OnnxExporter.djlOutputs(block(), in);
        }
    }

    /**
     * Writes every parameter (weights and BatchNorm statistics) to {@code file}, replacing it atomically (temp
     * file, fsync, rename): a kill at any moment leaves either the old or the new checkpoint.
     */
    public void saveParameters(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(CHECKPOINT_MAGIC);
            ai.djl.nn.ParameterList params = block().getParameters();
            out.writeInt(params.size());
            for (var p : params) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                out.writeUTF(p.getKey());
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads parameters written by {@link #saveParameters} into the student, in place (the optimizer and the
     * gradients keep pointing at the same arrays).
     *
     * @throws IOException when the file is damaged or was written for another student
     */
    public void loadParameters(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != CHECKPOINT_MAGIC) {
                throw new IOException(file + " is not a Distillery checkpoint");
            }
            ai.djl.nn.ParameterList params = block().getParameters();
            if (in.readInt() != params.size()) {
                throw new IOException("The checkpoint " + file + " was written for another student");
            }
            for (var p : params) {
                String name = in.readUTF();
                int n = in.readInt();
                NDArray a = p.getValue().getArray();
                if (!name.equals(p.getKey()) || n != a.size()) {
                    throw new IOException("The checkpoint " + file + " was written for another student (" + name + ")");
                }
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readFloat();
                }
                a.set(java.nio.FloatBuffer.wrap(v));
            }
        } catch (java.io.EOFException e) {
            throw new IOException("The checkpoint " + file + " is truncated", e);
        }
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    /**
     * T²·KL(p ‖ softmax(s/T)) averaged over the batch, where the labels p are the teacher's (possibly grouped)
     * probabilities at temperature T; plus {@code ceWeight}·CE(s, argmax p) when ceWeight &gt; 0.
     */
    public static final class DistillationLoss extends Loss {
        private final float temperature;
        private final float ceWeight;

        public DistillationLoss(float temperature) {
            this(temperature, 0f);
        }

        public DistillationLoss(float temperature, float ceWeight) {
            super("KdLoss");
            this.temperature = temperature;
            this.ceWeight = ceWeight;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = labels.singletonOrThrow();
            NDArray s = predictions.singletonOrThrow();
            NDArray logPs = s.div(temperature).logSoftmax(1);
            // p·log p with 0·log 0 = 0; constant for the student, kept so the value is a true KL (≥ 0)
            NDArray kl = p.mul(p.add(1e-12f).log().sub(logPs)).sum(new int[] {1});
            NDArray loss = kl.mean().mul(temperature * temperature);
            if (ceWeight > 0) {
                NDArray top = p.argMax(1).oneHot(Math.toIntExact(p.getShape().get(1)));
                NDArray ce = s.logSoftmax(1).mul(top).sum(new int[] {1}).neg().mean();
                loss = loss.add(ce.mul(ceWeight));
            }
            return loss;
        }
    }

    /**
     * A detector's loss on its raw maps [N, K + 4, H, W] against {@link dev.distillery.distill.target.BoxGrid}
     * targets [N, K + 5, H, W]: CenterNet's penalty-reduced focal loss on the K heat maps (α = 2, β = 4, summed and
     * divided by the number of box centres), plus the L1 distance of the four log-distances, weighted by the
     * target's regression weight map and divided by its sum.
     */
    public static final class DetectionLoss extends Loss {
        private final int classes;

        public DetectionLoss(int classes) {
            super("DetectionLoss");
            this.classes = classes;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray y = labels.singletonOrThrow();
            NDArray out = predictions.singletonOrThrow();
            int k = classes;
            NDArray x = out.get(":, 0:" + k);
            NDArray heat = y.get(":, 0:" + k);
            NDArray pos = heat.gte(0.999f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray p = ai.djl.nn.Activation.sigmoid(x);
            NDArray logP = ai.djl.nn.Activation.softPlus(x.neg()).neg();
            NDArray log1mP = ai.djl.nn.Activation.softPlus(x).neg();
            NDArray posLoss = p.neg().add(1f).square().mul(logP).mul(pos);
            NDArray negLoss = heat.neg().add(1f).pow(4f).mul(p.square()).mul(log1mP).mul(pos.neg().add(1f));
            NDArray centres = pos.sum().maximum(1f);
            NDArray focal = posLoss.add(negLoss).sum().neg().div(centres);
            NDArray reg = out.get(":, " + k + ":" + (k + 4));
            NDArray regTarget = y.get(":, " + k + ":" + (k + 4));
            NDArray weight = y.get(":, " + (k + 4) + ":" + (k + 5));
            NDArray l1 = reg.sub(regTarget).abs().mul(weight).sum().div(weight.sum().mul(4f).maximum(1f));
            return focal.add(l1);
        }
    }

    /** Mean per-pixel binary cross-entropy on logits: max(x,0) − x·y + log(1 + e^−|x|). */
    public static final class BceWithLogitsLoss extends Loss {
        public BceWithLogitsLoss() {
            super("BceWithLogits");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray y = labels.singletonOrThrow();
            NDArray x = predictions.singletonOrThrow();
            NDArray l = x.maximum(0f).sub(x.mul(y)).add(ai.djl.nn.Activation.softPlus(x.abs().neg()));
            return l.mean();
        }
    }
}
