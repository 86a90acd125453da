package dev.distillery.distill.bench;

import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.StudentSpec;
import java.util.Random;

/**
 * Training throughput of {@link KdTrainer} through its public {@code train(inputs, targets, n)}: random
 * tensors of the student's shapes held in memory, one warm-up epoch, then whole epochs until a time budget
 * is spent. {@code benchmarks/torch_reference.py} follows the same protocol.
 */
public final class TrainBenchmark {
    /** Inputs and targets held in memory are capped near this size when no sample count is given. */
    static final long DEFAULT_DATA_BYTES = 256L << 20;
    static final int MAX_DEFAULT_SAMPLES = 1024;

    /** Samples/s over the timed epochs. */
    public record Measurement(double samplesPerSecond, long samples, double seconds, int epochs) {
    }

    private TrainBenchmark() {
    }

    /**
     * Asks DJL's PyTorch engine for {@code threads} intra-op threads and one inter-op thread. Takes effect
     * only if the engine is not loaded yet ({@code PtEngine} reads these properties once, when it loads);
     * {@link #engineThreads()} tells what the engine actually uses.
     */
    public static void useThreads(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** Intra-op and inter-op threads of the loaded PyTorch engine (loads it). */
    public static int[] engineThreads() {
        ai.djl.engine.Engine.getEngine("PyTorch");
        return new int[] {ai.djl.pytorch.jni.JniUtils.getNumThreads(), ai.djl.pytorch.jni.JniUtils.getNumInteropThreads()};
    }

    /** Floats of one sample's input and of its target. */
    static long[] sampleFloats(StudentSpec spec) {
        long target = 1;
        for (long d : spec.outputShape()) {
            target *= d;
        }
        return new long[] {(long) spec.inputChannels() * spec.inputSize() * spec.inputSize(), target};
    }

    /**
     * Samples held in memory when none are asked for: at most {@value #MAX_DEFAULT_SAMPLES} and about
     * 256 MB of inputs + targets, a whole number of batches, at least four.
     */
    public static int defaultSamples(StudentSpec spec, int batch) {
        long[] f = sampleFloats(spec);
        long fit = DEFAULT_DATA_BYTES / (4 * (f[0] + f[1]));
        long n = Math.min(MAX_DEFAULT_SAMPLES, fit) / batch * batch;
        return (int) Math.max(4L * batch, n);
    }

    /** Seeded random data of the student's shapes: inputs in [0, 1), teacher logits or maps in [0, 1). */
    static float[][] data(StudentSpec spec, int n, int seed) {
        long[] f = sampleFloats(spec);
        Random r = new Random(seed);
        float[] x = new float[Math.toIntExact(n * f[0])];
        float[] y = new float[Math.toIntExact(n * f[1])];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        boolean logits = spec.kind().targetsAreLogits();
        for (int i = 0; i < y.length; i++) {
            y[i] = logits ? (float) r.nextGaussian() * 3 : r.nextFloat();
        }
        return new float[][] {x, y};
    }

    /** One DJL measurement: a fresh trainer, a warm-up epoch, then epochs until {@code seconds} have passed. */
    public static Measurement djl(StudentSpec spec, KdTrainer.Config config, int samples, double seconds) {
        float[][] d = data(spec, samples, config.seed());
        try (KdTrainer trainer = new KdTrainer(spec, config.withEpochs(1))) {
            trainer.train(d[0], d[1], samples);
            long seen = 0;
            double spent = 0;
            int epochs = 0;
            do {
                KdTrainer.Report r = trainer.train(d[0], d[1], samples);
                seen += r.samples();
                spent += r.seconds();
                epochs++;
            } while (spent < seconds);
            return new Measurement(seen / spent, seen, spent, epochs);
        }
    }
}
