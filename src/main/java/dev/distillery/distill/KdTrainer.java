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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Knowledge-distillation training of a {@link StudentSpec} on in-memory tensors (a spike: no data
 * pipeline, no augmentation, no schedule). Classifier loss: T²·KL(softmax(t/T) ‖ softmax(s/T)) with t
 * the teacher's logits; dense loss: per-pixel BCE-with-logits against a target map in [0, 1]. AdamW.
 *
 * <p>Owns a DJL {@link Model} (PyTorch engine, CPU) and its native memory: close it.
 */
public final class KdTrainer implements AutoCloseable {
    public record Config(int epochs, int batchSize, float learningRate, float weightDecay, float temperature,
                         int seed) {
        public static Config defaults() {
            return new Config(5, 32, 3e-3f, 1e-4f, 2f, 42);
        }

        public Config withEpochs(int n) {
            return new Config(n, batchSize, learningRate, weightDecay, temperature, seed);
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

    public KdTrainer(StudentSpec spec, Config config) {
        this.spec = spec;
        this.config = config;
        Engine.getEngine("PyTorch").setRandomSeed(config.seed());
        model = Model.newInstance(spec.name(), Device.cpu(), "PyTorch");
        model.setBlock(StudentBuilder.build(spec));
        Loss loss = spec.kind() == StudentSpec.Kind.CLASSIFIER ? new DistillationLoss(config.temperature())
                : new BceWithLogitsLoss();
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(config.learningRate()))
                .optWeightDecays(config.weightDecay()).build();
        trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamW)
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(StudentBuilder.inputShape(spec, config.batchSize()));
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

    /**
     * Trains on {@code n} samples: {@code inputs} N×C×S×S, {@code targets} N×K teacher logits
     * (classifier) or N×K×S×S maps in [0, 1] (dense). Shuffled each epoch with the configured seed.
     */
    public Report train(float[] inputs, float[] targets, int n) {
        int sampleSize = spec.inputValues();
        int targetSize = Math.toIntExact(new Shape(spec.outputShape()).size());
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

    private float step(float[] x, float[] y, int m) {
        // Everything a step creates lives in this scope and is freed at its end; parameters and optimizer
        // state live in the model's manager.
        try (NDManager scope = manager().newSubManager()) {
            NDArray in = scope.create(x, StudentBuilder.inputShape(spec, m));
            long[] ts = new long[spec.outputShape().length + 1];
            ts[0] = m;
            System.arraycopy(spec.outputShape(), 0, ts, 1, spec.outputShape().length);
            NDArray target = scope.create(y, new Shape(ts));
            float value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(in));
                NDArray loss = trainer.getLoss().evaluate(new NDList(target), pred);
                gc.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** Inference-mode outputs (BatchNorm on running statistics) for {@code n} samples, flattened. */
    public float[] predict(float[] inputs, int n) {
        try (NDManager scope = manager().newSubManager()) {
            NDArray in = scope.create(inputs, StudentBuilder.inputShape(spec, n));
            return OnnxExporter.djlOutputs(block(), in);
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

    /** T²·KL(softmax(t/T) ‖ softmax(s/T)), averaged over the batch; labels are teacher logits. */
    public static final class DistillationLoss extends Loss {
        private final float temperature;

        public DistillationLoss(float temperature) {
            super("KdLoss");
            this.temperature = temperature;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray t = labels.singletonOrThrow().div(temperature);
            NDArray s = predictions.singletonOrThrow().div(temperature);
            NDArray logPt = t.logSoftmax(1);
            NDArray logPs = s.logSoftmax(1);
            NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {1});
            return kl.mean().mul(temperature * temperature);
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
            NDArray l = x.maximum(0f).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log());
            return l.mean();
        }
    }
}
