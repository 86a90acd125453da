package dev.distillery.distill.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One ONNX Runtime session over a single-input float model, fed with per-sample float arrays. */
final class OrtRunner implements AutoCloseable {
    private static final int BATCH = 8;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final long[] sampleShape;
    private final String output;

    /** {@code sampleShape}: the input shape of one sample without the batch axis, e.g. [C, H, W]. */
    OrtRunner(byte[] model, String input, long[] sampleShape, int threads) {
        this(model, input, sampleShape, threads, true);
    }

    /** {@code optimize} false: ONNX Runtime runs the graph as written (no QDQ fusion), to check its arithmetic. */
    OrtRunner(byte[] model, String input, long[] sampleShape, int threads, boolean optimize) {
        this.input = input;
        this.sampleShape = sampleShape.clone();
        OrtSessions.Spec spec = OrtSessions.Spec.threads(threads).interOp(1);
        if (!optimize) {
            spec = spec.optLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        }
        try {
            session = OrtSessions.create(model, spec);
            output = session.getOutputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Output 0 (the model's own output) per sample. */
    List<float[]> outputs(List<float[]> samples) {
        List<float[]> out = new ArrayList<>(samples.size());
        for (int from = 0; from < samples.size(); from += BATCH) {
            List<float[]> batch = samples.subList(from, Math.min(samples.size(), from + BATCH));
            Map<String, float[]> r = run(batch, Set.of(output));
            float[] all = r.get(output);
            int per = all.length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                out.add(Arrays.copyOfRange(all, i * per, (i + 1) * per));
            }
        }
        return out;
    }

    /** Output shape of the model for a batch of one (the rank tells classifier from dense). */
    long[] outputShape(float[] sample) {
        try (OnnxTensor in = tensor(List.of(sample)); OrtSession.Result r = session.run(Map.of(input, in))) {
            return ((OnnxTensor) r.get(0)).getInfo().getShape();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the model: " + e.getMessage(), e);
        }
    }

    /** Min and max of each named tensor (graph outputs of this model) over all samples: name → {min, max}. */
    Map<String, float[]> ranges(List<float[]> samples, Collection<String> names) {
        Map<String, float[]> mm = new HashMap<>();
        for (int from = 0; from < samples.size(); from += BATCH) {
            Map<String, float[]> r = run(samples.subList(from, Math.min(samples.size(), from + BATCH)), Set.copyOf(names));
            r.forEach((name, values) -> {
                float[] m = mm.computeIfAbsent(name, k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                for (float v : values) {
                    if (v < m[0]) {
                        m[0] = v;
                    }
                    if (v > m[1]) {
                        m[1] = v;
                    }
                }
            });
        }
        return mm;
    }

    /** Wall time in ms of each of {@code runs} batch-1 runs over {@code samples} (cycled), after {@code warmup} untimed runs. */
    double[] timings(List<float[]> samples, int warmup, int runs) {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            for (float[] s : samples) {
                tensors.add(tensor(List.of(s)));
            }
            for (int i = 0; i < warmup; i++) {
                try (OrtSession.Result r = session.run(Map.of(input, tensors.get(i % tensors.size())))) {
                    r.get(0);
                }
            }
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                try (OrtSession.Result r = session.run(Map.of(input, tensors.get(i % tensors.size())))) {
                    r.get(0);
                }
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the model: " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    static double median(double[] values) {
        double[] ms = values.clone();
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    private Map<String, float[]> run(List<float[]> batch, Set<String> names) {
        try (OnnxTensor in = tensor(batch); OrtSession.Result r = session.run(Map.of(input, in), names)) {
            Map<String, float[]> out = new HashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the model: " + e.getMessage(), e);
        }
    }

    private OnnxTensor tensor(List<float[]> batch) throws OrtException {
        int per = batch.get(0).length;
        float[] all = new float[per * batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i), 0, all, i * per, per);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch.size();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(all), shape);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
