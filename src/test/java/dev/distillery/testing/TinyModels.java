package dev.distillery.testing;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.onnx.OnnxBuilder;
import java.nio.file.Path;
import java.util.List;

/** Small real ONNX models shared by the feature and UI tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /**
     * A colour classifier: the mean of each input channel is the logit of its class, so with RGB
     * preprocessing a red picture is "red". Labels in the metadata.
     */
    public static Path colourClassifier(Path file) throws java.io.IOException {
        return new OnnxBuilder("colours").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 32, 32)
                .initializer("W", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3)
                .initializer("B", new float[] {0, 0, 0}, 3)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 3)
                .metadata("labels", "red,green,blue")
                .write(file);
    }
}
