package dev.distillery.distill.cache;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.vision.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Raw teacher outputs for whole batches with one ONNX Runtime call per batch.
 *
 * <p>Why a separate class: {@link dev.distillery.teacher.run.TeacherRunner} batches only in its decoding path
 * ({@code predictBatch}) and exposes raw outputs one image at a time. Labelling needs raw outputs at the
 * caller's batch size, so this class opens its own session with the same settings as the runner (intra-op
 * threads, sequential, all graph optimizations) and the same {@link Preprocessor} into a reused direct buffer.
 * The output read is the profile's output name, else the model's first output, as the runner does.
 * A model with a fixed batch axis is fed chunks of exactly that size, padded with zeros.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one instance per thread.
 */
public final class OrtBatchInference implements BatchInference {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Preprocessing p;
    private final String inputName;
    private final String outputName;
    private final boolean uint8;
    private final int fixedBatch;
    private final Preprocessor preprocessor = new Preprocessor();
    private ByteBuffer buffer;

    private OrtBatchInference(OrtEnvironment env, OrtSession session, Preprocessing p, String inputName,
                              String outputName, boolean uint8, int fixedBatch) {
        this.env = env;
        this.session = session;
        this.p = p;
        this.inputName = inputName;
        this.outputName = outputName;
        this.uint8 = uint8;
        this.fixedBatch = fixedBatch;
    }

    /**
     * Loads a teacher.
     *
     * @throws TeacherException when ONNX Runtime cannot load it, it has several inputs, or its input type
     *                          disagrees with the profile
     */
    public static OrtBatchInference open(Path model, TeacherProfile profile, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Preprocessing p = profile.preprocessing();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model.toString(), options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new TeacherException("Cannot label with " + model.getFileName() + ": it has " + inputs.size()
                        + " inputs; only single-image-input models are supported");
            }
            NodeInfo input = inputs.values().iterator().next();
            boolean modelUint8 = input.getInfo() instanceof TensorInfo ti && ti.type == OnnxJavaType.UINT8;
            if (modelUint8 != Preprocessor.isUint8(p)) {
                throw new TeacherException("The teacher's input '" + input.getName() + "' is "
                        + (modelUint8 ? "uint8" : "float") + " but the profile says '" + p.elementType() + "'");
            }
            long[] dims = input.getInfo() instanceof TensorInfo ti ? ti.getShape() : new long[0];
            int fixed = p.batchSize() > 0 ? p.batchSize() : dims.length == 4 && dims[0] > 0 ? (int) dims[0] : 0;
            Set<String> outputs = session.getOutputNames();
            String wanted = profile.task().outputName();
            String output = wanted != null && outputs.contains(wanted) ? wanted : outputs.iterator().next();
            return new OrtBatchInference(env, session, p, input.getName(), output, modelUint8, fixed);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new TeacherException("Cannot load teacher " + model.getFileName() + ": ONNX Runtime says: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** The batch size the model requires, or 0 when its batch axis is dynamic. */
    public int fixedBatch() {
        return fixedBatch;
    }

    @Override
    public List<float[]> infer(List<Mat> images) {
        List<float[]> out = new ArrayList<>(images.size());
        int chunk = fixedBatch > 0 ? fixedBatch : Math.max(1, images.size());
        for (int start = 0; start < images.size(); start += chunk) {
            inferChunk(images.subList(start, Math.min(images.size(), start + chunk)), out);
        }
        return out;
    }

    private void inferChunk(List<Mat> images, List<float[]> out) {
        int count = images.size();
        int batch = fixedBatch > 0 ? fixedBatch : count;
        int per = Preprocessor.elementsPerImage(p);
        int bytes = batch * per * (uint8 ? 1 : Float.BYTES);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer bb = buffer.duplicate().order(ByteOrder.nativeOrder());
        bb.clear().limit(bytes);
        FloatBuffer fb = uint8 ? null : bb.asFloatBuffer();
        for (int i = 0; i < count; i++) {
            if (uint8) {
                preprocessor.prepareInto(images.get(i), p, bb.position(i * per));
            } else {
                preprocessor.prepareInto(images.get(i), p, fb.position(i * per));
            }
        }
        for (int i = count * per * (uint8 ? 1 : Float.BYTES); i < bytes; i++) {
            bb.put(i, (byte) 0);
        }
        long[] shape = p.layout() == Preprocessing.Layout.NCHW
                ? new long[] {batch, 3, p.height(), p.width()}
                : new long[] {batch, p.height(), p.width(), 3};
        try (OnnxTensor tensor = uint8
                ? OnnxTensor.createTensor(env, bb.position(0), shape, OnnxJavaType.UINT8)
                : OnnxTensor.createTensor(env, fb.position(0), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            OnnxValue value = result.get(outputName).orElseThrow();
            if (!(value instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
                throw new TeacherException("The teacher's output '" + outputName + "' is " + value.getInfo()
                        + "; only float outputs can be cached");
            }
            FloatBuffer data = t.getFloatBuffer();
            long[] outShape = t.getInfo().getShape();
            int perImage = outShape.length == 0 ? data.remaining() : data.remaining() / (int) Math.max(1, outShape[0]);
            for (int i = 0; i < count; i++) {
                float[] values = new float[perImage];
                data.get(i * perImage, values);
                out.add(values);
            }
        } catch (OrtException e) {
            throw new TeacherException("The teacher failed on a batch of " + count + " images: ONNX Runtime says: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        preprocessor.close();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing anyway
            }
        }
    }
}
