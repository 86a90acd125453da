package dev.distillery.onnx;

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
import dev.distillery.model.ModelInfo;
import dev.distillery.model.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed ONNX model: the protobuf message and the {@link ModelInfo} read from it.
 *
 * <p>How the facts are counted: the parameter count sums the elements of every initializer and
 * sparse initializer (its stored values) and of every tensor held in a {@code Constant} node
 * ({@code value}, {@code sparse_value}, {@code value_floats}/{@code value_ints}, the scalar
 * {@code value_float}/{@code value_int}), in the main graph and in the subgraphs of If/Loop/Scan. The
 * operator histogram counts the nodes of all those graphs; ops of non-default domains are written
 * "domain:Op" ("com.microsoft:FusedConv").
 */
public final class OnnxModel {
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Reshape", "Flatten", "Squeeze",
            "Unsqueeze", "Transpose");

    private final ModelProto proto;
    private final ModelInfo info;
    private final Map<String, NodeProto> producers = new HashMap<>();

    private OnnxModel(ModelProto proto, ModelInfo info) {
        this.proto = proto;
        this.info = info;
        for (NodeProto n : proto.getGraph().getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
        }
    }

    /** Describes an already parsed model; {@code fileSize} is the size of the file it came from. */
    public static OnnxModel of(ModelProto proto, long fileSize) {
        return new OnnxModel(proto, describe(proto, fileSize));
    }

    /** The protobuf message as read. */
    public ModelProto proto() {
        return proto;
    }

    /** What the model declares: I/O, opsets, parameters, operators, metadata. */
    public ModelInfo info() {
        return info;
    }

    /**
     * The operator that really produces a tensor, looking through Identity, Reshape, Flatten,
     * Squeeze, Unsqueeze and Transpose; null when the tensor is a graph input or unknown.
     */
    public String producerOpType(String tensorName) {
        String name = tensorName;
        for (int hops = 0; hops < 64; hops++) {
            NodeProto n = producers.get(name);
            if (n == null) {
                return "";
            }
            if (!PASS_THROUGH.contains(n.getOpType()) || n.getInputCount() == 0
                    || !OnnxGraphs.normalDomain(n.getDomain()).isEmpty()) {
                return n.getOpType();
            }
            name = n.getInput(0);
        }
        return "";
    }

    /** Number of nodes in all graphs, subgraphs and model-local functions. */
    long nodeCount() {
        long[] count = {0};
        OnnxGraphs.forEachNode(proto, n -> count[0]++);
        return count[0];
    }

    @Override
    public String toString() {
        return "OnnxModel[" + info.graphName() + ", " + info.operatorHistogram().size() + " op types, "
                + info.parameterCount() + " parameters]";
    }

    private static ModelInfo describe(ModelProto proto, long fileSize) {
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            opsets.put(o.getDomain(), o.getVersion());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        long[] params = {0};
        Map<String, Integer> histogram = new TreeMap<>();
        OnnxGraphs.forEachGraph(proto, nested -> {
            GraphProto g = nested.graph();
            for (TensorProto t : g.getInitializerList()) {
                params[0] = add(params[0], OnnxGraphs.elements(t.getDimsList()));
            }
            g.getSparseInitializerList().forEach(s -> params[0] = add(params[0],
                    OnnxGraphs.elements(s.getValues().getDimsList())));
            for (NodeProto n : g.getNodeList()) {
                String domain = OnnxGraphs.normalDomain(n.getDomain());
                histogram.merge(domain.isEmpty() ? n.getOpType() : domain + ":" + n.getOpType(), 1, Integer::sum);
                if ("Constant".equals(n.getOpType()) && domain.isEmpty()) {
                    params[0] = add(params[0], constantElements(n));
                }
            }
        });
        GraphProto graph = proto.getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        graph.getSparseInitializerList().forEach(t -> initializers.add(t.getValues().getName()));
        List<TensorSpec> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!initializers.contains(v.getName())) {
                inputs.add(spec(v));
            }
        }
        List<TensorSpec> outputs = graph.getOutputList().stream().map(OnnxModel::spec).toList();
        return new ModelInfo(proto.getIrVersion(), opsets, proto.getProducerName(), proto.getProducerVersion(),
                graph.getName(), fileSize, params[0], histogram, metadata, inputs, outputs);
    }

    private static long constantElements(NodeProto n) {
        long sum = 0;
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> sum += OnnxGraphs.elements(a.getT().getDimsList());
                case "sparse_value" -> sum += OnnxGraphs.elements(a.getSparseTensor().getValues().getDimsList());
                case "value_floats" -> sum += a.getFloatsCount();
                case "value_ints" -> sum += a.getIntsCount();
                case "value_float", "value_int" -> sum += 1;
                default -> {
                }
            }
        }
        return sum;
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static TensorSpec spec(ValueInfoProto v) {
        TypeProto type = v.getType();
        if (!type.hasTensorType()) {
            String kind = switch (type.getValueCase()) {
                case SEQUENCE_TYPE -> "sequence";
                case MAP_TYPE -> "map";
                case OPTIONAL_TYPE -> "optional";
                case SPARSE_TENSOR_TYPE -> "sparse_tensor";
                default -> "unknown";
            };
            return new TensorSpec(v.getName(), kind, List.of(), List.of());
        }
        TypeProto.Tensor t = type.getTensorType();
        List<Long> dims = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(d.getDimValue());
                names.add("");
            } else {
                dims.add(-1L);
                names.add(d.hasDimParam() ? d.getDimParam() : "");
            }
        }
        return new TensorSpec(v.getName(), elementTypeName(t.getElemType()), dims, names);
    }

    /** ONNX element type number → lower-case name ("float", "uint8", "float16", "int64" …). */
    static String elementTypeName(int type) {
        return switch (type) {
            case 1 -> "float";
            case 2 -> "uint8";
            case 3 -> "int8";
            case 4 -> "uint16";
            case 5 -> "int16";
            case 6 -> "int32";
            case 7 -> "int64";
            case 8 -> "string";
            case 9 -> "bool";
            case 10 -> "float16";
            case 11 -> "double";
            case 12 -> "uint32";
            case 13 -> "uint64";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case 16 -> "bfloat16";
            case 17 -> "float8e4m3fn";
            case 18 -> "float8e4m3fnuz";
            case 19 -> "float8e5m2";
            case 20 -> "float8e5m2fnuz";
            case 21 -> "uint4";
            case 22 -> "int4";
            case 23 -> "float4e2m1";
            case 0 -> "undefined";
            default -> "type" + type;
        };
    }
}
