package dev.distillery.distill.bench;

import dev.distillery.distill.StudentTask;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.StudentBuilder;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import java.util.Locale;
import java.util.Random;

/**
 * Not a test: a local, experimental re-implementation of {@code KdTrainer}'s training step with a stopwatch
 * around each phase, to see where DJL spends the time that PyTorch-in-Python does not. Variants:
 * {@code copy} (as KdTrainer: gather float[] batch, create an NDArray per step), {@code resident} (the
 * whole data set created once as NDArrays, batches gathered natively by an index array).
 *
 * <pre>java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp target/test-classes:target/classes:target/lib/* dev.distillery.distill.bench.TrainStepProfile cls-tiny copy 20</pre>
 */
public final class TrainStepProfile {
    private TrainStepProfile() {
    }

    public static void main(String[] args) {
        StudentSpec spec = StudentZoo.preset(args[0]);
        String variant = args[1];
        double seconds = Double.parseDouble(args[2]);
        int batch = 32;
        int n = TrainBenchmark.defaultSamples(spec, batch);
        KdTrainer.Config config = KdTrainer.Config.defaults();
        float[][] d = TrainBenchmark.data(spec, n, 42);
        long[] f = TrainBenchmark.sampleFloats(spec);
        int sampleSize = (int) f[0];
        int targetSize = (int) f[1];
        long[] ts = new long[spec.outputShape().length + 1];
        System.arraycopy(spec.outputShape(), 0, ts, 1, spec.outputShape().length);

        Engine.getEngine("PyTorch").setRandomSeed(42);
        try (Model model = Model.newInstance(spec.name(), Device.cpu(), "PyTorch")) {
            model.setBlock(variant.contains("interp") ? withNativeUpsample(spec) : StudentBuilder.build(spec));
            Loss loss = spec.kind() == StudentTask.CLASSIFICATION
                    ? new KdTrainer.DistillationLoss(config.temperature())
                    : variant.contains("softplus") ? new SoftplusBce() : new KdTrainer.BceWithLogitsLoss();
            Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(config.learningRate()))
                    .optWeightDecays(config.weightDecay()).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamW)
                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(StudentBuilder.inputShape(spec, batch));
                NDManager base = model.getNDManager();
                long[] xs = new long[] {n, spec.inputChannels(), spec.inputSize(), spec.inputSize()};
                ts[0] = n;
                NDArray allX = variant.contains("resident") ? base.create(d[0], new Shape(xs)) : null;
                NDArray allY = variant.contains("resident") ? base.create(d[1], new Shape(ts)) : null;
                Random random = new Random(42);
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                long[] phase = new long[6]; // data, forward+loss, backward, loss value, step, cleanup
                long steps = 0;
                long samples = 0;
                boolean warm = false;
                long start = 0;
                long cpuStart = 0;
                java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
                while (true) {
                    shuffle(order, random);
                    for (int from = 0; from + batch <= n; from += batch) {
                        long t0 = System.nanoTime();
                        NDManager scope = base.newSubManager();
                        NDArray in;
                        NDArray target;
                        if (allX != null) {
                            int[] idx = new int[batch];
                            System.arraycopy(order, from, idx, 0, batch);
                            NDArray index = scope.create(idx);
                            in = allX.get(index);
                            target = allY.get(index);
                        } else {
                            float[] x = new float[batch * sampleSize];
                            float[] y = new float[batch * targetSize];
                            for (int j = 0; j < batch; j++) {
                                System.arraycopy(d[0], order[from + j] * sampleSize, x, j * sampleSize, sampleSize);
                                System.arraycopy(d[1], order[from + j] * targetSize, y, j * targetSize, targetSize);
                            }
                            in = scope.create(x, StudentBuilder.inputShape(spec, batch));
                            ts[0] = batch;
                            target = scope.create(y, new Shape(ts));
                        }
                        long t1 = System.nanoTime();
                        long t2;
                        long t3;
                        long t4;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(in));
                            NDArray l = trainer.getLoss().evaluate(new NDList(target), pred);
                            t2 = System.nanoTime();
                            gc.backward(l);
                            t3 = System.nanoTime();
                            l.getFloat();
                            t4 = System.nanoTime();
                        }
                        trainer.step();
                        long t5 = System.nanoTime();
                        scope.close();
                        long t6 = System.nanoTime();
                        if (warm) {
                            phase[0] += t1 - t0;
                            phase[1] += t2 - t1;
                            phase[2] += t3 - t2;
                            phase[3] += t4 - t3;
                            phase[4] += t5 - t4;
                            phase[5] += t6 - t5;
                            steps++;
                            samples += batch;
                        }
                    }
                    if (!warm) {
                        warm = true;
                        start = System.nanoTime();
                        cpuStart = cpu.getCurrentThreadCpuTime();
                    } else if ((System.nanoTime() - start) / 1e9 >= seconds) {
                        break;
                    }
                }
                double wall = (System.nanoTime() - start) / 1e9;
                // With one intra-op thread all the work runs on this thread: its CPU time hardly depends on
                // what else the machine is doing, unlike wall time.
                double threadCpuMs = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e6 / steps;
                System.out.printf(Locale.ROOT, "%s %s: %.1f samples/s over %d steps; ms/step: data %.2f, forward+loss "
                                + "%.2f, backward %.2f, loss value %.2f, optimizer step %.2f, free %.2f (total %.2f); thread CPU "
                                + "%.2f ms/step%n",
                        spec.name(), variant, samples / wall, steps, ms(phase[0], steps), ms(phase[1], steps),
                        ms(phase[2], steps), ms(phase[3], steps), ms(phase[4], steps), ms(phase[5], steps),
                        wall * 1e3 / steps, threadCpuMs);
            }
        }
    }

    /**
     * StudentBuilder's block with each nearest 2× upsampling done by libtorch's own interpolate (one op, one
     * backward kernel) instead of reshape → broadcast → reshape (whose backward is a strided 6-D sum).
     */
    static ai.djl.nn.SequentialBlock withNativeUpsample(StudentSpec spec) {
        ai.djl.nn.SequentialBlock built = StudentBuilder.build(spec);
        ai.djl.nn.SequentialBlock out = new ai.djl.nn.SequentialBlock();
        java.util.List<dev.distillery.distill.StudentLayer> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof dev.distillery.distill.StudentLayer.UpsampleNearest2x) {
                out.add(new ai.djl.nn.LambdaBlock(x -> {
                    NDArray a = x.singletonOrThrow();
                    long[] sh = a.getShape().getShape();
                    // mode 0 = nearest (ai.djl.modality.cv.Image.Interpolation order)
                    return new NDList(a.getNDArrayInternal().interpolation(new long[] {sh[2] * 2, sh[3] * 2}, 0, false));
                }, "upsample2x"));
            } else {
                out.add(built.getChildren().get(i).getValue());
            }
        }
        return out;
    }

    /** BCE-with-logits as relu(x) − x·y + softplus(−|x|): libtorch's softplus replaces exp, add, log. */
    static final class SoftplusBce extends Loss {
        SoftplusBce() {
            super("BceWithLogits");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray y = labels.singletonOrThrow();
            NDArray x = predictions.singletonOrThrow();
            return x.maximum(0f).sub(x.mul(y)).add(ai.djl.nn.Activation.softPlus(x.abs().neg())).mean();
        }
    }

    private static double ms(long nanos, long steps) {
        return nanos / 1e6 / steps;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
