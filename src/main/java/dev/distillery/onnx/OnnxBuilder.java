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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes ONNX models from code: the tiny fixtures of the tests and the fixed-workload baseline of
 * the benchmarks. A thin layer over the ONNX protobuf messages (field meanings from onnx.proto).
 *
 * <pre>
 * OnnxBuilder b = new OnnxBuilder("tiny").opset(13);
 * b.input("image", TensorProto.DataType.FLOAT, "N", 3, 8, 8);
 * b.initializer("w", new float[15], 5, 3);
 * b.node("GlobalAveragePool", List.of("image"), List.of("gap"));
 * ...
 * b.output("logits", TensorProto.DataType.FLOAT, "N", 5);
 * b.write(path);
 * </pre>
 * Dimensions are given as Integer/Long (fixed) or String (a named dynamic axis).
 */
public final class OnnxBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final ModelProto.Builder model = ModelProto.newBuilder();
    private long opset = 13;
    private NodeProto.Builder lastNode;

    public OnnxBuilder(String graphName) {
        graph.setName(graphName);
        model.setIrVersion(8).setProducerName("distillery").setProducerVersion("1");
    }

    public OnnxBuilder opset(long version) {
        this.opset = version;
        return this;
    }

    public OnnxBuilder irVersion(long version) {
        model.setIrVersion(version);
        return this;
    }

    public OnnxBuilder producer(String name, String version) {
        model.setProducerName(name).setProducerVersion(version);
        return this;
    }

    /** Imports an extra operator domain (custom ops). */
    public OnnxBuilder domain(String domain, long version) {
        model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version));
        return this;
    }

    public OnnxBuilder metadata(String key, String value) {
        model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return this;
    }

    public OnnxBuilder input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    public OnnxBuilder output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    /** A float initializer (weights) with the given shape. */
    public OnnxBuilder initializer(String name, float[] values, long... dims) {
        graph.addInitializer(floatTensor(name, values, dims));
        return this;
    }

    /** An int64 initializer (shapes, axes). */
    public OnnxBuilder initializerLong(String name, long[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /** An initializer whose data lives in another file (ONNX external data), e.g. "../secret.bin". */
    public OnnxBuilder externalInitializer(String name, String location, long offset, long length, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        for (long d : dims) {
            t.addDims(d);
        }
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)));
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        graph.addInitializer(t);
        return this;
    }

    /** Adds a node in the default domain; chain {@link #attr} calls to set its attributes. */
    public OnnxBuilder node(String opType, List<String> inputs, List<String> outputs) {
        return node("", opType, inputs, outputs);
    }

    public OnnxBuilder node(String domain, String opType, List<String> inputs, List<String> outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setDomain(domain)
                .setName(opType + "_" + graph.getNodeCount());
        n.addAllInput(inputs).addAllOutput(outputs);
        graph.addNode(n);
        lastNode = graph.getNodeBuilder(graph.getNodeCount() - 1);
        return this;
    }

    /** A Constant node holding a float tensor (how some exporters store weights). */
    public OnnxBuilder constant(String output, float[] values, long... dims) {
        node("Constant", List.of(), List.of(output));
        lastNode.addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(floatTensor(output + "_value", values, dims)));
        return this;
    }

    public OnnxBuilder attr(String name, long value) {
        lastNode.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
        return this;
    }

    public OnnxBuilder attr(String name, float value) {
        lastNode.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value));
        return this;
    }

    public OnnxBuilder attr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        lastNode.addAttribute(a);
        return this;
    }

    public OnnxBuilder attr(String name, String value) {
        lastNode.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)));
        return this;
    }

    public ModelProto build() {
        ModelProto.Builder m = model.clone();
        boolean hasDefault = m.getOpsetImportList().stream().anyMatch(o -> o.getDomain().isEmpty());
        if (!hasDefault) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        }
        return m.setGraph(graph.clone()).build();
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(String.valueOf(d));
            }
            shape.addDim(dim);
        }
        TypeProto.Builder t = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape));
        return ValueInfoProto.newBuilder().setName(name).setType(t).build();
    }

    private static TensorProto floatTensor(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + n + " elements");
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        raw.flip();
        t.setRawData(com.google.protobuf.ByteString.copyFrom(raw));
        return t.build();
    }
}
