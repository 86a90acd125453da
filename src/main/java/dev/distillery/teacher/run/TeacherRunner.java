package dev.distillery.teacher.run;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import ai.onnxruntime.TensorInfo;
import dev.distillery.model.Prediction;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.vision.Images;
import dev.distillery.vision.Preprocessor;
import dev.distillery.vision.Transform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs a teacher ONNX model on images with ONNX Runtime and decodes its answers as {@link Prediction}s in
 * original-image coordinates, following a {@link TeacherProfile}.
 *
 * <p>Images are preprocessed by a {@link Preprocessor} straight into a reused direct buffer that ONNX
 * Runtime reads without copying. A model with a fixed batch size (profile {@code batchSize > 0}, or a fixed
 * first axis in the model) is fed
 * chunks of exactly that size, padded with zero images whose outputs are dropped.
 *
 * <p><b>Thread-safety:</b> not thread-safe (it reuses its input buffer and preprocessor); use one runner per
 * thread, or guard it. {@link #close()} releases the ONNX Runtime session and native scratch memory.
 */
public final class TeacherRunner implements AutoCloseable {
    /** Images per inference call when the model's batch axis is dynamic. */
    public static final int DEFAULT_CHUNK = 8;

    private final Path model;
    private final TeacherProfile profile;
    private final int threads;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final boolean uint8;
    private final int fixedBatch;
    private final Preprocessor preprocessor = new Preprocessor();
    private ByteBuffer inputBuffer;
    private DetectionDecoder detectionDecoder = DetectionDecoder.defaults();
    private int topK = ClassificationDecoder.DEFAULT_TOP_K;
    private boolean closed;

    private TeacherRunner(Path model, TeacherProfile profile, int threads, OrtEnvironment env, OrtSession session,
                          String inputName, String outputName, boolean uint8, int fixedBatch) {
        this.model = model;
        this.profile = profile;
        this.threads = threads;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.uint8 = uint8;
        this.fixedBatch = fixedBatch;
    }

    /**
     * Loads a model for inference.
     *
     * @param model   the ONNX file
     * @param profile how to feed it and read its output
     * @param threads intra-op threads (≥ 1); inter-op parallelism is 1, graph optimizations all on
     * @throws TeacherException when the file is missing or ONNX Runtime cannot load it, or when its input is
     *                          neither float nor uint8
     */
    public static TeacherRunner open(Path model, TeacherProfile profile, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (!Files.isRegularFile(model)) {
            throw new TeacherException("Cannot load teacher " + model + ": the file does not exist");
        }
        Preprocessing p = profile.preprocessing();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try {
            session = OrtSessions.create(model, OrtSessions.Spec.inference(threads));
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new TeacherException("Cannot use teacher " + model.getFileName() + ": it has " + inputs.size()
                        + " inputs " + inputs.keySet() + "; only single-image-input models are supported");
            }
            NodeInfo input = inputs.values().iterator().next();
            if (!(input.getInfo() instanceof TensorInfo info)
                    || (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.UINT8)) {
                throw new TeacherException("Cannot use teacher " + model.getFileName() + ": its input '"
                        + input.getName() + "' is " + input.getInfo() + "; only float and uint8 tensors are supported");
            }
            boolean modelUint8 = info.type == OnnxJavaType.UINT8;
            if (modelUint8 != Preprocessor.isUint8(p)) {
                throw new TeacherException("The teacher's input '" + input.getName() + "' is "
                        + (modelUint8 ? "uint8" : "float") + " but the profile says '" + p.elementType()
                        + "': fix the element type in the preprocessing settings");
            }
            long[] dims = info.getShape();
            checkInputSize(model, input.getName(), dims, p);
            int fixedBatch = p.batchSize() > 0 ? p.batchSize() : dims.length == 4 && dims[0] > 0 ? (int) dims[0] : 0;
            Set<String> outputs = session.getOutputNames();
            String wanted = profile.task().outputName();
            String output = wanted != null && outputs.contains(wanted) ? wanted : outputs.iterator().next();
            return new TeacherRunner(model, profile, threads, env, session, input.getName(), output, modelUint8,
                    fixedBatch);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new TeacherException("Cannot load teacher " + model.getFileName() + ": ONNX Runtime says: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Fails early, with the sizes in the message, when a fixed model input disagrees with the profile. */
    private static void checkInputSize(Path model, String input, long[] dims, Preprocessing p) {
        if (dims.length != 4) {
            throw new TeacherException("Cannot use teacher " + model.getFileName() + ": its input '" + input
                    + "' has rank " + dims.length + "; an image input needs 4 axes (NCHW or NHWC)");
        }
        boolean nchw = p.layout() == Preprocessing.Layout.NCHW;
        long c = nchw ? dims[1] : dims[3];
        long h = nchw ? dims[2] : dims[1];
        long w = nchw ? dims[3] : dims[2];
        if ((c > 0 && c != 3) || (h > 0 && h != p.height()) || (w > 0 && w != p.width())) {
            throw new TeacherException("The teacher's input '" + input + "' is " + shapeText(dims)
                    + " but the profile asks for " + p.layout() + " 3×" + p.height() + "×" + p.width()
                    + ": fix the input size or layout in the preprocessing settings");
        }
        if (p.batchSize() > 0 && dims[0] > 0 && dims[0] != p.batchSize()) {
            throw new TeacherException("The teacher's input '" + input + "' has a fixed batch of " + dims[0]
                    + " but the profile says " + p.batchSize());
        }
    }

    private static String shapeText(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
        }
        return sb.append(']').toString();
    }

    /** The batch size the model requires, or 0 when its batch axis is dynamic. */
    public int fixedBatch() {
        return fixedBatch;
    }

    public TeacherProfile profile() {
        return profile;
    }

    public int threads() {
        return threads;
    }

    /** The model input fed with images. */
    public String inputName() {
        return inputName;
    }

    /** The model output read. */
    public String outputName() {
        return outputName;
    }

    /** Changes the detection thresholds (default 0.25 score, 0.45 IoU, 100 boxes). */
    public TeacherRunner detectionDecoder(DetectionDecoder decoder) {
        this.detectionDecoder = decoder;
        return this;
    }

    /** Changes how many classes a classification lists (default 5). */
    public TeacherRunner topK(int k) {
        this.topK = k;
        return this;
    }

    /** Reads an image file and predicts on it. */
    public Prediction predict(Path image) {
        try (Mat bgr = Images.read(image)) {
            return predict(bgr);
        }
    }

    /** Predicts on one 8-bit BGR image. */
    public Prediction predict(Mat bgr) {
        return predictBatch(List.of(bgr)).get(0);
    }

    /** The raw output values for one image (the image's slice of the output tensor). */
    public float[] rawOutput(Mat bgr) {
        return rawOutputBatch(List.of(bgr)).get(0);
    }

    /**
     * Raw output values for several images, batched like {@link #predictBatch} (fixed-batch models
     * padded), one array per image in order: what a teacher-output cache stores.
     */
    public List<float[]> rawOutputBatch(List<Mat> images) {
        List<float[]> out = new ArrayList<>(images.size());
        run(images, (values, shape, t) -> out.add(values));
        return out;
    }

    /** One image's raw output and its shape without the batch axis ([K, h, w] for a dense map). */
    public record RawOutput(float[] values, long[] shape) {
    }

    /**
     * Like {@link #rawOutputBatch}, with each output's per-image shape: what a caller needs when the model's
     * output size is dynamic (a dense map whose size follows the input).
     */
    public List<RawOutput> rawOutputsWithShape(List<Mat> images) {
        List<RawOutput> out = new ArrayList<>(images.size());
        run(images, (values, shape, t) -> out.add(new RawOutput(values, shape)));
        return out;
    }

    /** Predicts on several images, in chunks; the answers are in the order of the images. */
    public List<Prediction> predictBatch(List<Mat> images) {
        List<Prediction> predictions = new ArrayList<>(images.size());
        run(images, (values, shape, t) -> predictions.add(decode(values, shape, t)));
        return predictions;
    }

    private interface Sink {
        void accept(float[] values, long[] perImageShape, Transform t);
    }

    private void run(List<Mat> images, Sink sink) {
        if (closed) {
            throw new IllegalStateException("TeacherRunner is closed");
        }
        Preprocessing p = profile.preprocessing();
        int fixed = fixedBatch;
        int chunk = fixed > 0 ? fixed : DEFAULT_CHUNK;
        int per = Preprocessor.elementsPerImage(p);
        for (int start = 0; start < images.size(); start += chunk) {
            int count = Math.min(chunk, images.size() - start);
            int batch = fixed > 0 ? fixed : count;
            ByteBuffer bytes = buffer((long) batch * per * (uint8 ? 1 : Float.BYTES));
            FloatBuffer floats = uint8 ? null : bytes.asFloatBuffer();
            Transform[] transforms = new Transform[count];
            for (int i = 0; i < count; i++) {
                if (uint8) {
                    bytes.position(i * per);
                    transforms[i] = preprocessor.prepareInto(images.get(start + i), p, bytes);
                } else {
                    floats.position(i * per);
                    transforms[i] = preprocessor.prepareInto(images.get(start + i), p, floats);
                }
            }
            // Padding images of a fixed batch are zeros.
            zeroFill(bytes, count * per * (uint8 ? 1 : Float.BYTES));
            long[] shape = p.layout() == Preprocessing.Layout.NCHW
                    ? new long[] {batch, 3, p.height(), p.width()}
                    : new long[] {batch, p.height(), p.width(), 3};
            infer(bytes, floats, shape, count, transforms, sink);
        }
    }

    private void infer(ByteBuffer bytes, FloatBuffer floats, long[] shape, int count, Transform[] transforms, Sink sink) {
        try (OnnxTensor tensor = uint8
                ? OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.UINT8)
                : OnnxTensor.createTensor(env, floats.position(0), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            OnnxValue value = result.get(outputName).orElseThrow();
            if (!(value instanceof OnnxTensor out) || out.getInfo().type != OnnxJavaType.FLOAT) {
                throw new TeacherException("The teacher's output '" + outputName + "' is " + value.getInfo()
                        + "; only float outputs can be decoded");
            }
            long[] outShape = out.getInfo().getShape();
            FloatBuffer data = out.getFloatBuffer();
            int perImage = outShape.length == 0 ? data.remaining() : data.remaining() / (int) Math.max(1, outShape[0]);
            long[] perImageShape = outShape.length <= 1 ? new long[] {perImage}
                    : Arrays.copyOfRange(outShape, 1, outShape.length);
            for (int i = 0; i < count; i++) {
                float[] values = new float[perImage];
                data.position(i * perImage);
                data.get(values);
                sink.accept(values, perImageShape, transforms[i]);
            }
        } catch (OrtException e) {
            throw new TeacherException("Teacher " + model.getFileName() + " failed on input " + Arrays.toString(shape)
                    + ": ONNX Runtime says: " + e.getMessage(), e);
        }
    }

    private Prediction decode(float[] values, long[] shape, Transform t) {
        TaskSpec task = profile.task();
        switch (task.kind()) {
            case CLASSIFICATION:
                return ClassificationDecoder.decode(values, task.outputIsProbability(), topK, profile::label);
            case DETECTION:
                if (shape.length != 2) {
                    throw new TeacherException("Detection needs an output of rank 3 [N, a, b]; '" + outputName
                            + "' has per-image shape " + Arrays.toString(shape));
                }
                return detectionDecoder.decode(values, (int) shape[0], (int) shape[1], task.detectionLayout(),
                        task.strides(), t, profile::label);
            case DENSE:
                if (shape.length < 2) {
                    throw new TeacherException("A dense map needs an output [N, K, h, w] or [N, h, w]; '" + outputName
                            + "' has per-image shape " + Arrays.toString(shape));
                }
                return DenseDecoder.decode(values, (int) shape[shape.length - 2], (int) shape[shape.length - 1],
                        task.outputIsProbability(), t);
            default:
                return EmbeddingDecoder.decode(values);
        }
    }

    private static final byte[] ZEROS = new byte[1 << 16];

    private static void zeroFill(ByteBuffer bytes, int from) {
        bytes.position(from);
        while (bytes.hasRemaining()) {
            bytes.put(ZEROS, 0, Math.min(ZEROS.length, bytes.remaining()));
        }
        bytes.position(0);
    }

    private ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new TeacherException("Input batch too large: " + bytes + " bytes");
        }
        if (inputBuffer == null || inputBuffer.capacity() != bytes) {
            inputBuffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        inputBuffer.clear();
        return inputBuffer;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inputBuffer = null;
        preprocessor.close();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                // nothing left to do with a session that cannot close
            }
        }
    }
}
