package dev.distillery.teacher.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Measures a model's raw inference speed on this CPU: p50/p95 latency at batch 1 and throughput at
 * batch 8 (or the model's fixed batch), on seeded random input of the model's size, plus the
 * reference model as a same-run baseline and the process's peak resident memory. Preprocessing is
 * not timed (it is the same for every model and measured separately).
 */
public final class TeacherBenchmark {
    /** Progress: fraction 0..1 and a phrase for the UI. */
    public interface Listener {
        void progress(double fraction, String phase);
    }

    private final int threads;
    private final int warmup;
    private final int runs;
    private final int throughputRounds;

    public TeacherBenchmark(int threads, int warmup, int runs, int throughputRounds) {
        this.threads = Math.max(1, threads);
        this.warmup = Math.max(0, warmup);
        this.runs = Math.max(2, runs);
        this.throughputRounds = Math.max(1, throughputRounds);
    }

    /** 5 warm-up runs, 50 timed runs, 10 throughput rounds. */
    public static TeacherBenchmark standard(int threads) {
        return new TeacherBenchmark(threads, 5, 50, 10);
    }

    public BenchResult run(Path model, String inputName, Preprocessing pre, Listener listener, BooleanSupplier cancelled) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new TeacherException("Cannot read the model " + model + ": " + e.getMessage());
        }
        return run(bytes, inputName, pre, listener, cancelled);
    }

    public BenchResult run(byte[] model, String inputName, Preprocessing pre, Listener listener, BooleanSupplier cancelled) {
        Listener l = listener == null ? (f, p) -> { } : listener;
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;
        try (RssSampler rss = RssSampler.start()) {
            l.progress(0, "Measuring the reference model");
            Preprocessing refPre = new Preprocessing(ReferenceModel.SIZE, ReferenceModel.SIZE, Preprocessing.Layout.NCHW,
                    Preprocessing.ChannelOrder.RGB, 1, Preprocessing.ZERO, Preprocessing.ONE,
                    Preprocessing.ResizeMode.STRETCH, 1, 0, 0, "float");
            double[] baseline;
            try (OrtSession ref = session(ReferenceModel.bytes())) {
                baseline = latencies(ref, ReferenceModel.INPUT, refPre, 1, warmup, runs, stop, f -> l.progress(0.15 * f,
                        "Measuring the reference model"));
            }
            int fixed = pre.batchSize();
            int latencyBatch = fixed > 0 ? fixed : 1;
            int tpBatch = fixed > 0 ? fixed : 8;
            try (OrtSession s = session(model)) {
                double[] lat = latencies(s, inputName, pre, latencyBatch, warmup, runs, stop,
                        f -> l.progress(0.15 + 0.55 * f, "Latency at batch " + latencyBatch));
                double[] tp = latencies(s, inputName, pre, tpBatch, 1, throughputRounds, stop,
                        f -> l.progress(0.70 + 0.30 * f, "Throughput at batch " + tpBatch));
                double meanMs = Arrays.stream(tp).average().orElse(Double.NaN);
                l.progress(1, "Done");
                return new BenchResult(threads, latencyBatch, percentile(lat, 50), percentile(lat, 95), lat.length,
                        tpBatch, tpBatch * 1000.0 / meanMs, rss.peakMb(), percentile(baseline, 50),
                        pre.width(), pre.height());
            }
        } catch (OrtException e) {
            throw new TeacherException("ONNX Runtime failed while benchmarking: " + e.getMessage(), e);
        }
    }

    private OrtSession session(byte[] model) throws OrtException {
        return OrtSessions.create(model, OrtSessions.Spec.threads(threads).interOp(1)
                .optLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT));
    }

    private static double[] latencies(OrtSession s, String input, Preprocessing pre, int batch, int warmup, int runs,
                                      BooleanSupplier stop, java.util.function.DoubleConsumer progress)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = pre.layout() == Preprocessing.Layout.NCHW
                ? new long[] {batch, 3, pre.height(), pre.width()}
                : new long[] {batch, pre.height(), pre.width(), 3};
        int n = Math.toIntExact(batch * 3L * pre.height() * pre.width());
        Random rnd = new Random(7);
        try (OnnxTensor t = "uint8".equals(pre.elementType())
                ? OnnxTensor.createTensor(env, randomBytes(rnd, n), shape, ai.onnxruntime.OnnxJavaType.UINT8)
                : OnnxTensor.createTensor(env, randomFloats(rnd, n), shape)) {
            Map<String, OnnxTensor> feed = Map.of(input, t);
            for (int i = 0; i < warmup; i++) {
                check(stop);
                s.run(feed).close();
            }
            double[] out = new double[runs];
            for (int i = 0; i < runs; i++) {
                check(stop);
                long t0 = System.nanoTime();
                s.run(feed).close();
                out[i] = (System.nanoTime() - t0) / 1e6;
                progress.accept((i + 1) / (double) runs);
            }
            return out;
        }
    }

    private static void check(BooleanSupplier stop) {
        if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("Benchmark cancelled");
        }
    }

    private static FloatBuffer randomFloats(Random rnd, int n) {
        FloatBuffer b = ByteBuffer.allocateDirect(n * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            b.put(rnd.nextFloat() * 2 - 1);
        }
        return b.flip();
    }

    private static ByteBuffer randomBytes(Random rnd, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        byte[] chunk = new byte[n];
        rnd.nextBytes(chunk);
        return b.put(chunk).flip();
    }

    /** Nearest-rank percentile of the samples. */
    static double percentile(double[] samples, double p) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
