package dev.distillery.distill.quant;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static int8 quantization of a float student ONNX model into QDQ form (QuantizeLinear/DequantizeLinear
 * around float ops, which ONNX Runtime fuses into integer kernels such as QLinearConv).
 *
 * <ol>
 * <li>Every BatchNormalization after a Conv is folded into it ({@link BatchNormFolder}); the folded float
 * model is run next to the original on the calibration inputs and must agree within
 * {@link #FOLD_TOLERANCE} (scaled by the output magnitude when that is above 1).</li>
 * <li>Weights: int8 holding 7 bits, symmetric (zero point 0, range ±{@value #WEIGHT_MAX}, inside [-64, 63]),
 * one scale per output channel (axis 0) for Conv, one scale for the whole Gemm matrix; stored as int8
 * initializers read through DequantizeLinear. Seven bits, not eight: on x86 CPUs without VNNI ONNX Runtime's
 * u8×s8 kernels add pairs of products in 16 bits ({@code vpmaddubsw}), and 2 × 255 × 127 saturates there
 * while 2 × 255 × 63 = 32130 cannot; so a student gives the same answers on every CPU, with or without
 * {@code session.x64quantprecision} (the classic "reduce range").</li>
 * <li>Biases: int32 with scale = input scale × weight scale (per channel) and zero point 0, read through
 * DequantizeLinear. That is the form ONNX Runtime needs to fuse DQ→Conv→Q into QLinearConv (a float bias
 * keeps the Conv in float); the rounding error is at most half a step of the accumulator, far below the
 * activation quantization error.</li>
 * <li>Activations: uint8, asymmetric, per tensor, with min/max scales measured by running the folded float
 * model on the calibration inputs with those tensors exposed as extra graph outputs. Quantized are the data
 * inputs of Conv and Gemm, and the output of a Relu that directly follows a quantized Conv: that Relu is
 * dropped because QuantizeLinear with zero point 0 already clamps negatives to 0 (exactly Relu), which
 * leaves Conv→Q for ONNX Runtime to fuse. The model's outputs stay float.</li>
 * </ol>
 * Ops it does not know are left in float and logged (see {@link Quantized#floatOps()}). The original
 * metadata is kept and {@value #METADATA_KEY}={@value #METADATA_VALUE} added.
 */
public final class Int8Quantizer {
    public static final String METADATA_KEY = "distillery.quantization";
    public static final String METADATA_VALUE = "int8-qdq";
    /** Largest output change BatchNorm folding may cause (float, on the calibration inputs). */
    public static final double FOLD_TOLERANCE = 1e-4;
    /** Largest weight magnitude: 7-bit weights, so u8×s8 pair sums fit int16 on CPUs without VNNI. */
    public static final int WEIGHT_MAX = 63;
    /** Intra-op threads for the latency measurement (the challenges' CPU budget is set for 2). */
    public static final int BENCH_THREADS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Int8Quantizer.class);
    /** Ops that need no int8 form of their own: they pass (de)quantized tensors through. */
    private static final Set<String> FLOAT_OK = Set.of("Relu", "GlobalAveragePool", "Flatten", "Resize");
    private static final int FOLD_CHECK_SAMPLES = 8;
    private static final int ROUNDS = 5;

    private final int warmupRuns;
    private final int timedRuns;

    /**
     * The result of {@link #quantize(byte[], List)}.
     *
     * @param quantizedNodes Conv/Gemm nodes now reading int8 weights
     * @param floatOps       descriptions of the nodes left in float because the quantizer does not know them
     */
    public record Quantized(byte[] onnx, int quantizedNodes, int foldedBatchNorms, double bnFoldMaxAbsDiff,
                            List<String> floatOps) {
        public Quantized {
            floatOps = List.copyOf(floatOps);
        }
    }

    /** 10 warm-up runs, then 100 timed runs per model for the latency figures. */
    public Int8Quantizer() {
        this(10, 100);
    }

    public Int8Quantizer(int warmupRuns, int timedRuns) {
        if (warmupRuns < 0 || timedRuns < 1) {
            throw new IllegalArgumentException("need warmupRuns ≥ 0 and timedRuns ≥ 1");
        }
        this.warmupRuns = warmupRuns;
        this.timedRuns = timedRuns;
    }

    /**
     * Quantizes {@code floatModel}, writes it to {@code out} (atomically) and measures it against the float
     * model: sizes, p50 latency at batch 1 on {@value #BENCH_THREADS} threads, agreement on {@code validation}.
     */
    public QuantReport quantize(Path floatModel, List<float[]> calibration, List<float[]> validation, Path out)
            throws IOException {
        if (validation == null || validation.isEmpty()) {
            throw new IllegalArgumentException("no validation inputs: the agreement between the float and the int8 "
                    + "model is measured on them; give a few dozen held-out samples in the model's input layout");
        }
        byte[] floatBytes = Files.readAllBytes(floatModel);
        var proto = parse(floatBytes);
        Input in = Input.of(proto);
        in.check(validation, "validation");
        String outName = proto.getGraph().getOutput(0).getName();
        boolean probabilities = proto.getGraph().getNodeList().stream()
                .anyMatch(nd -> nd.getOutputList().contains(outName) && nd.getOpType().equals("Sigmoid"));
        Quantized q = quantize(floatBytes, calibration);

        try (OrtRunner f = new OrtRunner(floatBytes, in.name(), in.sampleShape(), BENCH_THREADS);
             OrtRunner i8 = new OrtRunner(q.onnx(), in.name(), in.sampleShape(), BENCH_THREADS)) {
            long[] outShape = f.outputShape(validation.get(0));
            Agreement.Metric metric = Agreement.metricFor(outShape);
            double threshold = dev.distillery.metrics.MapIou.threshold(proto.getMetadataPropsList().stream()
                    .filter(e -> e.getKey().equals(dev.distillery.distill.StudentMetadata.MAP_THRESHOLD))
                    .map(StringStringEntryProto::getValue).findFirst().orElse(null));
            double agreement = metric == Agreement.Metric.BOX_F1
                    ? Agreement.boxF1(f.outputs(validation), i8.outputs(validation), Math.toIntExact(outShape[1]))
                    : Agreement.of(metric, f.outputs(validation), i8.outputs(validation), probabilities, threshold);
            // Alternate the two models in rounds so that load from elsewhere on the machine hits both alike.
            List<Double> tf = new ArrayList<>();
            List<Double> tq = new ArrayList<>();
            int per = Math.max(1, timedRuns / ROUNDS);
            for (int r = 0; r < ROUNDS; r++) {
                int warm = r == 0 ? warmupRuns : 2;
                for (double t : f.timings(validation, warm, per)) {
                    tf.add(t);
                }
                for (double t : i8.timings(validation, warm, per)) {
                    tq.add(t);
                }
            }
            // Written only once everything is measured, so a failure leaves no half-checked file behind.
            write(q.onnx(), out);
            QuantReport report = new QuantReport(out, floatBytes.length, Files.size(out),
                    OrtRunner.median(tf.stream().mapToDouble(Double::doubleValue).toArray()),
                    OrtRunner.median(tq.stream().mapToDouble(Double::doubleValue).toArray()), metric, agreement,
                    validation.size(), calibration.size(), q.foldedBatchNorms(), q.bnFoldMaxAbsDiff(), q.floatOps());
            LOG.info("{}: {}", floatModel.getFileName(), report.summary());
            return report;
        }
    }

    /** Quantizes {@code floatModel} and writes the result to {@code out} atomically (temp file + move). */
    public Quantized quantize(Path floatModel, List<float[]> calibration, Path out) throws IOException {
        Quantized q = quantize(Files.readAllBytes(floatModel), calibration);
        write(q.onnx(), out);
        return q;
    }

    /** Quantizes a float model given as ONNX bytes; {@code calibration} holds samples in its input layout. */
    public Quantized quantize(byte[] floatModel, List<float[]> calibration) {
        if (calibration == null || calibration.isEmpty()) {
            throw new IllegalArgumentException("no calibration inputs: activation scales come from running the float "
                    + "model on them; give a few dozen samples in the model's input layout (e.g. validation images)");
        }
        ModelProto model = parse(floatModel);
        long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).max().orElse(0);
        if (opset < 13) {
            throw new IllegalArgumentException("the model uses opset " + opset + "; per-channel int8 weights need "
                    + "opset 13 or newer");
        }
        Input in = Input.of(model);
        in.check(calibration, "calibration");

        BatchNormFolder.Folded folded = BatchNormFolder.fold(model);
        double foldDiff = foldCheck(floatModel, folded.model().toByteArray(), in,
                calibration.subList(0, Math.min(FOLD_CHECK_SAMPLES, calibration.size())));

        Plan plan = new Plan(folded.model().getGraph());
        Map<String, float[]> ranges = calibrate(folded.model(), plan.activations, in, calibration);
        ModelProto quantized = rewrite(folded.model(), plan, ranges);
        byte[] bytes = quantized.toByteArray();
        try (OrtRunner check = new OrtRunner(bytes, in.name(), in.sampleShape(), 1)) {
            check.outputShape(calibration.get(0));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the quantized model does not run in ONNX Runtime: " + e.getMessage(), e);
        }
        for (String op : plan.floatOps) {
            LOG.warn("int8 quantization: {} is not quantized, left in float", op);
        }
        return new Quantized(bytes, plan.quantized.size(), folded.folded(), foldDiff, plan.floatOps);
    }

    // ---------------------------------------------------------------------------------------------------

    /** The model's single float input: its name and the shape of one sample (without the batch axis). */
    record Input(String name, long[] sampleShape) {
        static Input of(ModelProto model) {
            Set<String> inits = new HashSet<>();
            model.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
            List<ValueInfoProto> inputs = model.getGraph().getInputList().stream()
                    .filter(v -> !inits.contains(v.getName())).toList();
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("expected a model with one input, found " + inputs.size());
            }
            ValueInfoProto v = inputs.get(0);
            TypeProto.Tensor t = v.getType().getTensorType();
            if (t.getElemType() != TensorProto.DataType.FLOAT.getNumber()) {
                throw new IllegalArgumentException("input '" + v.getName() + "' is not float");
            }
            List<TensorShapeProto.Dimension> dims = t.getShape().getDimList();
            long[] shape = new long[Math.max(0, dims.size() - 1)];
            for (int i = 1; i < dims.size(); i++) {
                shape[i - 1] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
                if (shape[i - 1] <= 0) {
                    throw new IllegalArgumentException("input '" + v.getName() + "' needs fixed sizes after the batch "
                            + "axis, has " + t.getShape());
                }
            }
            if (shape.length == 0) {
                throw new IllegalArgumentException("input '" + v.getName() + "' needs a batch axis and a sample shape");
            }
            return new Input(v.getName(), shape);
        }

        long sampleSize() {
            long n = 1;
            for (long d : sampleShape) {
                n *= d;
            }
            return n;
        }

        void check(List<float[]> samples, String what) {
            for (int i = 0; i < samples.size(); i++) {
                float[] s = samples.get(i);
                if (s == null || s.length != sampleSize()) {
                    throw new IllegalArgumentException(String.format("%s sample %d has %d values; input '%s' %s needs %d",
                            what, i, s == null ? 0 : s.length, name, java.util.Arrays.toString(sampleShape),
                            sampleSize()));
                }
            }
        }
    }

    private static ModelProto parse(byte[] bytes) {
        try {
            ModelProto m = ModelProto.parseFrom(bytes);
            if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
                throw new IllegalArgumentException("not an ONNX model (no graph)");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static double foldCheck(byte[] original, byte[] folded, Input in, List<float[]> samples) {
        List<float[]> a;
        List<float[]> b;
        try (OrtRunner r = new OrtRunner(original, in.name(), in.sampleShape(), 1)) {
            a = r.outputs(samples);
        }
        try (OrtRunner r = new OrtRunner(folded, in.name(), in.sampleShape(), 1)) {
            b = r.outputs(samples);
        }
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                diff = Math.max(diff, Math.abs((double) a.get(i)[j] - b.get(i)[j]));
                scale = Math.max(scale, Math.abs(a.get(i)[j]));
            }
        }
        if (!(diff <= FOLD_TOLERANCE * scale)) {
            throw new IllegalStateException(String.format("BatchNorm folding changed the float outputs by %.3g "
                    + "(allowed %.1g); not quantized", diff, FOLD_TOLERANCE * scale));
        }
        return diff;
    }

    /** What gets quantized, decided on the folded float graph. */
    private static final class Plan {
        final GraphProto graph;
        final Map<String, TensorProto> inits = new HashMap<>();
        /** Conv/Gemm node indices whose weights become int8. */
        final Set<Integer> quantized = new LinkedHashSet<>();
        /** Relu node indices replaced by the zero-point-0 QuantizeLinear of their output. */
        final Set<Integer> fusedRelus = new HashSet<>();
        /** Activation tensors that get a QuantizeLinear→DequantizeLinear pair. */
        final Set<String> activations = new LinkedHashSet<>();
        final List<String> floatOps = new ArrayList<>();

        Plan(GraphProto g) {
            graph = g;
            g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
            Map<String, Integer> producer = new HashMap<>();
            Map<String, Integer> uses = new HashMap<>();
            for (int i = 0; i < g.getNodeCount(); i++) {
                for (String o : g.getNode(i).getOutputList()) {
                    producer.put(o, i);
                }
                for (String x : g.getNode(i).getInputList()) {
                    uses.merge(x, 1, Integer::sum);
                }
            }
            Set<String> outputs = new HashSet<>();
            g.getOutputList().forEach(o -> outputs.add(o.getName()));
            Set<String> unknown = new TreeSet<>();
            for (int i = 0; i < g.getNodeCount(); i++) {
                NodeProto n = g.getNode(i);
                String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType()
                        : n.getDomain() + ":" + n.getOpType();
                if (op.equals("Conv") || op.equals("Gemm")) {
                    String why = op.equals("Conv") ? convProblem(n) : gemmProblem(n);
                    if (why == null) {
                        quantized.add(i);
                        activations.add(n.getInput(0));
                    } else {
                        floatOps.add(op + " '" + n.getName() + "' (" + why + ")");
                    }
                } else if (!FLOAT_OK.contains(op)) {
                    unknown.add(op);
                }
            }
            for (String op : unknown) {
                floatOps.add(op);
            }
            for (int i = 0; i < g.getNodeCount(); i++) {
                NodeProto n = g.getNode(i);
                if (!n.getOpType().equals("Relu") || !n.getDomain().isEmpty() || outputs.contains(n.getOutput(0))) {
                    continue;
                }
                Integer p = producer.get(n.getInput(0));
                if (p != null && quantized.contains(p) && g.getNode(p).getOpType().equals("Conv")
                        && uses.getOrDefault(n.getInput(0), 0) == 1 && !outputs.contains(n.getInput(0))) {
                    fusedRelus.add(i);
                    activations.add(n.getOutput(0));
                }
            }
        }

        private String convProblem(NodeProto n) {
            TensorProto w = n.getInputCount() > 1 ? inits.get(n.getInput(1)) : null;
            if (w == null || !Tensors.isFloat(w) || w.getDimsCount() < 3) {
                return "weight is not a float initializer";
            }
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                TensorProto b = inits.get(n.getInput(2));
                if (b == null || !Tensors.isFloat(b) || Tensors.elements(b) != w.getDims(0)) {
                    return "bias is not a float initializer";
                }
            }
            return null;
        }

        private String gemmProblem(NodeProto n) {
            for (AttributeProto a : n.getAttributeList()) {
                boolean bad = switch (a.getName()) {
                    case "transA" -> a.getI() != 0;
                    case "alpha", "beta" -> a.getF() != 1f;
                    default -> false;
                };
                if (bad) {
                    return a.getName() + " is not the default";
                }
            }
            TensorProto w = n.getInputCount() > 1 ? inits.get(n.getInput(1)) : null;
            if (w == null || !Tensors.isFloat(w) || w.getDimsCount() != 2) {
                return "B is not a 2-D float initializer";
            }
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                TensorProto c = inits.get(n.getInput(2));
                long cols = transB(n) ? w.getDims(0) : w.getDims(1);
                if (c == null || !Tensors.isFloat(c) || c.getDimsCount() != 1 || c.getDims(0) != cols) {
                    return "C is not a 1-D float initializer";
                }
            }
            return null;
        }
    }

    static boolean transB(NodeProto n) {
        return n.getAttributeList().stream().anyMatch(a -> a.getName().equals("transB") && a.getI() != 0);
    }

    /** Runs the folded float model with {@code names} exposed as outputs: name → {min, max}. */
    private static Map<String, float[]> calibrate(ModelProto folded, Set<String> names, Input in,
                                                  List<float[]> calibration) {
        GraphProto.Builder g = folded.getGraph().toBuilder();
        Set<String> present = new HashSet<>();
        g.getOutputList().forEach(o -> present.add(o.getName()));
        for (String n : names) {
            if (!present.contains(n)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(n).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
            }
        }
        byte[] probe = folded.toBuilder().setGraph(g).build().toByteArray();
        try (OrtRunner r = new OrtRunner(probe, in.name(), in.sampleShape(), BENCH_THREADS)) {
            return r.ranges(calibration, names);
        }
    }

    /** uint8 asymmetric parameters for a tensor seen in [min, max]: {scale, zeroPoint}. */
    static float[] activationParams(float min, float max) {
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        if (!(hi - lo > 1e-12) || !Double.isFinite(hi - lo)) {
            return new float[] {1f, (float) Math.max(0, Math.min(255, Math.round(-lo)))};
        }
        float scale = (float) ((hi - lo) / 255.0);
        long zp = Math.round(-lo / scale);
        return new float[] {scale, Math.max(0, Math.min(255, zp))};
    }

    private static ModelProto rewrite(ModelProto folded, Plan plan, Map<String, float[]> ranges) {
        GraphProto g = plan.graph;
        Names names = new Names(g);
        List<TensorProto> newInits = new ArrayList<>();
        List<NodeProto> prelude = new ArrayList<>();
        Map<String, String> dequantized = new HashMap<>();
        Map<String, Float> actScale = new HashMap<>();
        Map<String, NodeProto[]> qdq = new LinkedHashMap<>();

        for (String t : plan.activations) {
            float[] mm = ranges.get(t);
            if (mm == null) {
                throw new IllegalStateException("calibration saw no values of tensor '" + t + "'");
            }
            float[] p = activationParams(mm[0], mm[1]);
            String s = names.fresh(t + "_scale");
            String z = names.fresh(t + "_zero_point");
            String q = names.fresh(t + "_quantized");
            String dq = names.fresh(t + "_dequantized");
            newInits.add(Tensors.floatScalar(s, p[0]));
            newInits.add(Tensors.uint8Scalar(z, (int) p[1]));
            actScale.put(t, p[0]);
            dequantized.put(t, dq);
            qdq.put(t, new NodeProto[] {
                node("QuantizeLinear", names.fresh(t + "_QuantizeLinear"), List.of(t, s, z), q, -1),
                node("DequantizeLinear", names.fresh(t + "_DequantizeLinear"), List.of(q, s, z), dq, -1)});
        }

        // Weights and biases of the quantized Conv/Gemm nodes: int8/int32 initializers read through DQ.
        Map<Integer, List<String>> newInputs = new HashMap<>();
        for (int i : plan.quantized) {
            NodeProto n = g.getNode(i);
            boolean conv = n.getOpType().equals("Conv");
            TensorProto wt = plan.inits.get(n.getInput(1));
            float[] w = Tensors.floats(wt);
            long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
            int channels = conv ? (int) dims[0] : 1;
            float[] ws = new float[channels];
            byte[] wq = quantizeSymmetric(w, channels, ws);
            String base = n.getInput(1);
            String qn = names.fresh(base + "_int8");
            String sn = names.fresh(base + "_scale");
            String zn = names.fresh(base + "_zero_point");
            String dn = names.fresh(base + "_dequantized");
            newInits.add(Tensors.int8(qn, wq, dims));
            if (conv) {
                newInits.add(Tensors.floats(sn, ws, channels));
                newInits.add(Tensors.int8(zn, new byte[channels], channels));
            } else {
                newInits.add(Tensors.floatScalar(sn, ws[0]));
                newInits.add(Tensors.int8(zn, new byte[1]));
            }
            prelude.add(node("DequantizeLinear", names.fresh(base + "_DequantizeLinear"), List.of(qn, sn, zn), dn,
                    conv ? 0 : -1));
            List<String> inputs = new ArrayList<>(List.of(dequantized.getOrDefault(n.getInput(0), n.getInput(0)), dn));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                float[] b = Tensors.floats(plan.inits.get(n.getInput(2)));
                float in = actScale.get(n.getInput(0));
                float[] bs = new float[b.length];
                int[] bq = new int[b.length];
                for (int o = 0; o < b.length; o++) {
                    bs[o] = in * ws[conv ? o : 0];
                    double v = Math.rint(b[o] / (double) bs[o]);
                    if (Math.abs(v) > Integer.MAX_VALUE) {
                        LOG.warn("bias {}[{}] = {} does not fit int32 at scale {}; clamped", n.getInput(2), o, b[o], bs[o]);
                    }
                    bq[o] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, v));
                }
                String bbase = n.getOutput(0) + "_bias";
                String bqn = names.fresh(bbase + "_int32");
                String bsn = names.fresh(bbase + "_scale");
                String bdn = names.fresh(bbase + "_dequantized");
                newInits.add(Tensors.int32(bqn, bq, b.length));
                newInits.add(Tensors.floats(bsn, bs, b.length));
                prelude.add(node("DequantizeLinear", names.fresh(bbase + "_DequantizeLinear"), List.of(bqn, bsn), bdn, 0));
                inputs.add(bdn);
            }
            newInputs.put(i, inputs);
        }

        GraphProto.Builder gb = g.toBuilder().clearNode();
        gb.addAllNode(prelude);
        for (ValueInfoProto v : g.getInputList()) {
            NodeProto[] pair = qdq.get(v.getName());
            if (pair != null) {
                gb.addNode(pair[0]).addNode(pair[1]);
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (plan.fusedRelus.contains(i)) {
                NodeProto[] pair = qdq.get(n.getOutput(0));
                // QuantizeLinear (zero point 0) of the Conv output is the Relu: negatives saturate to 0.
                gb.addNode(pair[0].toBuilder().setInput(0, n.getInput(0)).build()).addNode(pair[1]);
                continue;
            }
            NodeProto.Builder nb = n.toBuilder();
            List<String> replaced = newInputs.get(i);
            for (int k = 0; k < nb.getInputCount(); k++) {
                if (replaced != null && k < replaced.size()) {
                    nb.setInput(k, replaced.get(k));
                } else if (dequantized.containsKey(nb.getInput(k))) {
                    nb.setInput(k, dequantized.get(nb.getInput(k)));
                }
            }
            if (replaced != null && replaced.size() < nb.getInputCount()) {
                throw new IllegalStateException("lost an input of " + n.getName());
            }
            gb.addNode(nb);
            for (String o : n.getOutputList()) {
                NodeProto[] pair = qdq.get(o);
                if (pair != null) {
                    gb.addNode(pair[0]).addNode(pair[1]);
                }
            }
        }
        gb.addAllInitializer(newInits);
        GraphProto out = BatchNormFolder.pruneUnused(gb);

        ModelProto.Builder m = folded.toBuilder().setGraph(out).clearMetadataProps();
        for (StringStringEntryProto e : folded.getMetadataPropsList()) {
            if (!e.getKey().equals(METADATA_KEY)) {
                m.addMetadataProps(e);
            }
        }
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(METADATA_KEY).setValue(METADATA_VALUE));
        return m.build();
    }

    /**
     * Symmetric quantization to ±{@value #WEIGHT_MAX} (7 bits in an int8), one scale per leading-axis slice
     * ({@code channels} of them).
     */
    static byte[] quantizeSymmetric(float[] w, int channels, float[] scales) {
        int per = w.length / channels;
        byte[] q = new byte[w.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int j = c * per; j < (c + 1) * per; j++) {
                max = Math.max(max, Math.abs(w[j]));
            }
            float s = max > 0 ? max / WEIGHT_MAX : 1f;
            scales[c] = s;
            for (int j = c * per; j < (c + 1) * per; j++) {
                q[j] = (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, Math.round(w[j] / s)));
            }
        }
        return q;
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output, int axis) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        if (axis >= 0) {
            n.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis));
        }
        return n.build();
    }

    /** Tensor and node names not yet used in the graph. */
    private static final class Names {
        private final Set<String> used = new HashSet<>();

        Names(GraphProto g) {
            g.getInitializerList().forEach(t -> used.add(t.getName()));
            g.getInputList().forEach(v -> used.add(v.getName()));
            g.getOutputList().forEach(v -> used.add(v.getName()));
            for (NodeProto n : g.getNodeList()) {
                used.addAll(n.getInputList());
                used.addAll(n.getOutputList());
                used.add(n.getName());
            }
        }

        String fresh(String want) {
            String name = want;
            for (int i = 2; !used.add(name); i++) {
                name = want + "_" + i;
            }
            return name;
        }
    }

    static void write(byte[] onnx, Path target) throws IOException {
        dev.distillery.core.AtomicFiles.write(target, onnx);
    }
}
