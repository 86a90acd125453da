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

    /**
     * A real detector in YOLOv8's column layout with 3 classes (person, car, ball): a det-tiny student (256×256,
     * centre letterbox, RGB / 255) with seeded random weights, its class biases lowered and its distances raised so
     * that it gives a few large boxes per image that depend on the image. What detection tests distil from when the
     * shared teachers are absent.
     */
    public static Path detector(Path file) throws java.io.IOException {
        var spec = dev.distillery.distill.StudentZoo.preset("det-tiny").withOutputs(3);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
            ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(3);
            ai.djl.nn.SequentialBlock b = dev.distillery.distill.StudentBuilder.build(spec);
            b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32,
                    dev.distillery.distill.StudentBuilder.inputShape(spec, 2));
            var params = b.getParameters();
            var bias = params.get(params.size() - 1).getValue().getArray();
            bias.set(java.nio.FloatBuffer.wrap(new float[] {-2f, -2f, -2f, 1.5f, 1.5f, 1.5f, 1.5f}));
            var pre = new dev.distillery.model.Preprocessing(256, 256, dev.distillery.model.Preprocessing.Layout.NCHW,
                    dev.distillery.model.Preprocessing.ChannelOrder.RGB, 1 / 255.0,
                    dev.distillery.model.Preprocessing.ZERO, dev.distillery.model.Preprocessing.ONE,
                    dev.distillery.model.Preprocessing.ResizeMode.LETTERBOX_CENTER, 1, 114, 0, "float");
            dev.distillery.distill.OnnxExporter.export(spec, b, List.of("person", "car", "ball"),
                    dev.distillery.distill.StudentMetadata.preprocessing(pre),
                    m.randomUniform(0f, 1f, dev.distillery.distill.StudentBuilder.inputShape(spec, 2)), file);
        }
        return file;
    }
}
