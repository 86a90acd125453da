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

    /**
     * A small real CNN classifier with seeded random weights: image[N,3,size,size] → 3×3 conv (c1) →
     * ReLU → 3×3 conv (c2) → ReLU → global average pool → Gemm → 3 logits. Costs about what a tiny
     * student does, for throughput comparisons.
     */
    public static Path convClassifier(Path file, int size, int c1, int c2, long seed) throws java.io.IOException {
        java.util.Random random = new java.util.Random(seed);
        float[] w1 = new float[c1 * 3 * 9];
        float[] w2 = new float[c2 * c1 * 9];
        float[] fc = new float[3 * c2];
        for (float[] w : List.of(w1, w2, fc)) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * 0.1f;
            }
        }
        return new OnnxBuilder("conv").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, size, size)
                .initializer("W1", w1, c1, 3, 3, 3)
                .initializer("W2", w2, c2, c1, 3, 3)
                .initializer("FC", fc, 3, c2)
                .initializer("B", new float[3], 3)
                .node("Conv", List.of("image", "W1"), List.of("c1")).attr("pads", 1L, 1L, 1L, 1L)
                .node("Relu", List.of("c1"), List.of("r1"))
                .node("Conv", List.of("r1", "W2"), List.of("c2")).attr("pads", 1L, 1L, 1L, 1L)
                .node("Relu", List.of("c2"), List.of("r2"))
                .node("GlobalAveragePool", List.of("r2"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "FC", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 3)
                .write(file);
    }
}
