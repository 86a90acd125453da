package dev.distillery.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.teacher.library.Json;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained student as ONNX (opset 13): Conv (with group), Resize (nearest 2×), BatchNormalization
 * (inference form, running statistics), Relu, GlobalAveragePool + Flatten, Gemm. Input "input"
 * [N, C, H, W], output "logits" ([N, K] class logits, or [N, K, H, W] probabilities after a Sigmoid for dense
 * students, whose teachers give probability maps).
 *
 * <p>Every export is checked: the model is run in ONNX Runtime on the given samples and compared with
 * the DJL block in inference mode; a max abs difference above {@link #PARITY_TOLERANCE} throws
 * {@link ParityException} and nothing is written. The file appears atomically (temp file + move).
 */
public final class OnnxExporter {
    public static final double PARITY_TOLERANCE = 1e-4;
    /**
     * A detector's decoded outputs: box coordinates as a fraction of the input side, probabilities as they are. Boxes
     * are e^raw · stride, so a raw difference of 1e-4 (what ONNX Runtime's and libtorch's convolutions differ by on a
     * trained detector's larger logits) moves a box as wide as the input by 1e-4 of it: 1e-3 is a quarter pixel at 256.
     */
    public static final double DETECTOR_PARITY_TOLERANCE = 1e-3;
    public static final long OPSET = 13;
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    private static final String SCALES = "upsample2x.scales";

    public record ExportResult(Path file, long bytes, double maxAbsDiff) {
    }

    private OnnxExporter() {
    }

    /** Exports {@code block} (built from {@code spec}); labels may be empty. */
    public static ExportResult export(StudentSpec spec, Block block, List<String> labels, Map<String, String> metadata,
                                      NDArray samples, Path target) throws IOException {
        return export(spec, StudentWeights.from(spec, block), block, labels, metadata, samples, target);
    }

    /**
     * Exports {@code weights} and checks the result against {@code reference} (the DJL block the weights
     * should reproduce) on {@code samples} [N, C, S, S].
     */
    public static ExportResult export(StudentSpec spec, StudentWeights weights, Block reference, List<String> labels,
                                      Map<String, String> metadata, NDArray samples, Path target) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(StudentMetadata.PRESET, spec.name());
        meta.put(StudentMetadata.KIND, spec.kind().metadataName());
        meta.put(StudentMetadata.CHANNELS, spec.channels().toString());
        meta.put(StudentMetadata.INPUT_SIZE, spec.inputWidth() + "x" + spec.inputHeight());
        if (!labels.isEmpty()) {
            // A JSON array: label names may contain commas ("tench, Tinca tinca").
            meta.put("labels", Json.write(labels));
        }
        meta.putAll(metadata);
        byte[] onnx = toOnnx(spec, weights, meta);

        float[] expected = exportedForm(spec, djlOutputs(reference, samples));
        float[] actual = ortOutputs(onnx, samples);
        // detector boxes are in pixels (up to the input size): compare them relative to their size
        double diff = spec.kind().parityDiff(spec, expected, actual);
        double tolerance = spec.kind().parityTolerance();
        if (!(diff <= tolerance)) {
            throw new ParityException(String.format("ONNX export of %s differs from DJL: max |diff| = %.3g > %.0g; "
                    + "not saved", spec.name(), diff, tolerance), diff);
        }
        dev.distillery.core.AtomicFiles.write(target, onnx);
        return new ExportResult(target, onnx.length, diff);
    }

    /** The ONNX bytes, no check. */
    public static byte[] toOnnx(StudentSpec spec, StudentWeights w, Map<String, String> metadata) {
        OnnxBuilder b = new OnnxBuilder(spec.name()).opset(OPSET).producer("distillery-distill", "1");
        b.input(INPUT, TensorProto.DataType.FLOAT, "N", spec.inputChannels(), spec.inputHeight(), spec.inputWidth());
        List<StudentLayer> layers = spec.layers();
        String cur = INPUT;
        boolean scalesWritten = false;
        for (int i = 0; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            String out = last ? spec.kind().rawOutputName() : "t" + i;
            String p = "l" + i + ".";
            StudentLayer layer = layers.get(i);
            if (layer instanceof StudentLayer.Conv c) {
                List<String> in = new ArrayList<>(List.of(cur, init(b, w, i, p, "weight")));
                if (c.bias()) {
                    in.add(init(b, w, i, p, "bias"));
                }
                long pad = c.kernel() / 2;
                b.node("Conv", in, List.of(out)).attr("kernel_shape", (long) c.kernel(), c.kernel())
                        .attr("strides", (long) c.stride(), c.stride()).attr("pads", pad, pad, pad, pad)
                        .attr("dilations", 1L, 1L).attr("group", (long) c.groups());
            } else if (layer instanceof StudentLayer.UpsampleNearest2x) {
                if (!scalesWritten) {
                    b.initializer(SCALES, new float[] {1f, 1f, 2f, 2f}, 4);
                    scalesWritten = true;
                }
                b.node("Resize", List.of(cur, "", SCALES), List.of(out)).attr("mode", "nearest")
                        .attr("coordinate_transformation_mode", "asymmetric").attr("nearest_mode", "floor");
            } else if (layer instanceof StudentLayer.BatchNorm bn) {
                b.node("BatchNormalization", List.of(cur, init(b, w, i, p, "gamma"), init(b, w, i, p, "beta"),
                        init(b, w, i, p, "runningMean"), init(b, w, i, p, "runningVar")), List.of(out))
                        .attr("epsilon", bn.epsilon());
            } else if (layer instanceof StudentLayer.Relu) {
                b.node("Relu", List.of(cur), List.of(out));
            } else if (layer instanceof StudentLayer.GlobalAvgPool) {
                b.node("GlobalAveragePool", List.of(cur), List.of(p + "gap"));
                b.node("Flatten", List.of(p + "gap"), List.of(out)).attr("axis", 1L);
            } else if (layer instanceof StudentLayer.Dense) {
                b.node("Gemm", List.of(cur, init(b, w, i, p, "weight"), init(b, w, i, p, "bias")), List.of(out))
                        .attr("transB", 1L);
            } else {
                throw new IllegalArgumentException("cannot export " + layer);
            }
            cur = out;
        }
        spec.kind().exportTail(b, spec, cur);
        metadata.forEach(b::metadata);
        return b.toBytes();
    }

    /**
     * The detector's decode in the graph, so the file reads as YOLOv8's column layout [N, 4 + K, cells] (boxes in
     * input pixels, class probabilities) that any YOLO tool and the app's decoder understand; NMS stays outside the
     * graph (the app's decoder does it), which keeps the graph to plain ops ONNX Runtime runs fast and int8 leaves
     * alone: Reshape [N, K + 4, cells] → Split into classes and distances → Sigmoid | Exp → MatMul by the 4×4
     * distance-to-box matrix (stride folded in) → Add the cell centres → Concat.
     */
    static void detectorTail(OnnxBuilder b, StudentSpec spec, String raw) {
        var grid = spec.boxGrid();
        int k = spec.outputs();
        b.initializerLong("det.shape", new long[] {0, k + 4, -1}, 3);
        b.initializerLong("det.split", new long[] {k, 4}, 2);
        float[] m = dev.distillery.distill.target.BoxGrid.distancesToBox();
        for (int i = 0; i < m.length; i++) {
            m[i] *= grid.stride();
        }
        b.initializer("det.matrix", m, 4, 4);
        b.initializer("det.centres", grid.centres(), 4, grid.cells());
        b.node("Reshape", List.of(raw, "det.shape"), List.of("det.flat"));
        b.node("Split", List.of("det.flat", "det.split"), List.of("det.cls", "det.reg")).attr("axis", 1L);
        b.node("Sigmoid", List.of("det.cls"), List.of("det.scores"));
        b.node("Exp", List.of("det.reg"), List.of("det.dist"));
        b.node("MatMul", List.of("det.matrix", "det.dist"), List.of("det.rel"));
        b.node("Add", List.of("det.rel", "det.centres"), List.of("det.boxes"));
        b.node("Concat", List.of("det.boxes", "det.scores"), List.of(OUTPUT)).attr("axis", 1L);
    }

    private static String init(OnnxBuilder b, StudentWeights w, int layer, String prefix, String name) {
        StudentWeights.Tensor t = w.get(layer, name);
        b.initializer(prefix + name, t.data(), t.shape());
        return prefix + name;
    }

    /** DJL inference-mode outputs (BatchNorm uses running statistics), flattened. */
    static float[] djlOutputs(Block block, NDArray samples) {
        try (NDManager scope = samples.getManager().newSubManager()) {
            NDArray x = samples.duplicate();
            x.attach(scope);
            NDList out = block.forward(new ParameterStore(scope, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    static float[] ortOutputs(byte[] onnx, NDArray samples) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = OrtSessions.create(onnx, OrtSessions.Spec.threads(1));
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(samples.toFloatArray()),
                     samples.getShape().getShape());
             OrtSession.Result r = session.run(Map.of(INPUT, in))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new ParityException("ONNX Runtime could not run the exported model: " + e.getMessage(),
                    Double.POSITIVE_INFINITY);
        }
    }

    /**
     * What the exported model gives for the block's raw outputs: the same for a classifier, probabilities for a dense
     * student, the decoded column layout for a detector ({@link dev.distillery.distill.target.BoxGrid#decode}).
     */
    public static float[] exportedForm(StudentSpec spec, float[] raw) {
        return spec.kind().exportedForm(spec, raw);
    }


    /**
     * Detector outputs: a box's coordinates as a fraction of its own size (at least the larger input side), since
     * they are e^raw · stride and a raw difference moves them in proportion; class probabilities as they are. The
     * largest difference.
     */
    static double detectorDiff(StudentSpec spec, float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        int cells = spec.boxGrid().cells();
        int per = (4 + spec.outputs()) * cells;
        double side = Math.max(spec.inputWidth(), spec.inputHeight());
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            int at = i % per;
            double scale = 1;
            if (at < 4 * cells) {
                int base = i - at;
                int k = at % cells;
                scale = Math.max(side, Math.max(Math.abs(a[base + 2 * cells + k]), Math.abs(a[base + 3 * cells + k])));
            }
            double d = Math.abs((double) a[i] - b[i]) / scale;
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            m = Math.max(m, d);
        }
        return m;
    }

    static void sigmoidInPlace(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (1 / (1 + Math.exp(-v[i])));
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            m = Math.max(m, d);
        }
        return m;
    }
}
