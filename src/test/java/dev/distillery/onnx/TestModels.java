package dev.distillery.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;

/** Tiny models for the tests, written with {@link OnnxBuilder}. */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A classifier image [N, 3, 8, 8] → GlobalAveragePool → Flatten → Gemm (→ Softmax when
     * {@code softmax}) → {@code output} [N, classes]; 3·classes weights + classes biases.
     */
    public static OnnxBuilder classifier(int classes, String output, boolean softmax) {
        OnnxBuilder b = new OnnxBuilder("classifier").opset(13)
                .input("image", DataType.FLOAT, "N", 3, 8, 8)
                .initializer("W", new float[classes * 3], classes, 3)
                .initializer("B", new float[classes], classes)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of(softmax ? "logits" : output)).attr("transB", 1L);
        if (softmax) {
            b.node("Softmax", List.of("logits"), List.of(output)).attr("axis", 1L);
        }
        return b.output(output, DataType.FLOAT, "N", classes);
    }

    /**
     * A model whose only node is {@code op} (e.g. "Identity", "Sigmoid") from the input to the output;
     * only the declared shapes matter (for reading and inference, not for running).
     */
    public static OnnxBuilder shaped(DataType inputType, Object[] inputDims, String op, String output,
                                     Object... outputDims) {
        return new OnnxBuilder("shaped").opset(13)
                .input("image", inputType, inputDims)
                .node(op, List.of("image"), List.of(output))
                .output(output, DataType.FLOAT, outputDims);
    }

    /** Dims as varargs, for {@link #shaped}. */
    public static Object[] dims(Object... dims) {
        return dims;
    }
}
