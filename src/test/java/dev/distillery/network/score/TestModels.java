package dev.distillery.network.score;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.onnx.OnnxBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Models built in code for evaluator and validator tests: a dense teacher and students (a 1×1 convolution on one
 * channel), and hostile files (garbage, truncated, external data, a custom operator, a huge allocation, a slow
 * graph). Shared by the score and validator tests.
 */
public final class TestModels {
    private TestModels() {
    }

    /** A one-channel map: a 1×1 convolution with kernel {@code k} over RGB (a teacher ends with a Sigmoid). */
    public static OnnxBuilder map(boolean teacher, int size, float... k) {
        OnnxBuilder b = new OnnxBuilder(teacher ? "teacher" : "student").opset(13)
                .input("image", TensorProto.DataType.FLOAT, 1, 3, size, size)
                .initializer("K", k.length == 3 ? k : new float[] {0, 0, 1}, 1, 3, 1, 1)
                .node("Conv", List.of("image", "K"), List.of(teacher ? "logits" : "map"));
        if (teacher) {
            b.node("Sigmoid", List.of("logits"), List.of("map"));
        } else {
            b.metadata(StudentMetadata.KIND, "DENSE").metadata(StudentMetadata.MAP_THRESHOLD, "0.3");
        }
        return b.output("map", TensorProto.DataType.FLOAT, 1, 1, size, size);
    }

    /** The student that reproduces {@link #map(boolean, int, float...)}'s teacher exactly (IoU 1). */
    public static OnnxBuilder student(int size) {
        return map(false, size, 0, 0, 1);
    }

    public static byte[] garbage() {
        return "this is not a model at all \0\1\2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static byte[] truncated(int size) {
        byte[] whole = student(size).toBytes();
        return Arrays.copyOf(whole, whole.length / 2);
    }

    /** An initializer whose data is "stored" in /etc/passwd. */
    public static OnnxBuilder externalData(int size) {
        return student(size).externalInitializer("X", "/etc/passwd", 0, 12, 3);
    }

    /** A node of the custom domain com.evil. */
    public static OnnxBuilder customDomain(int size) {
        return student(size).domain("com.evil", 1).node("com.evil", "Backdoor", List.of("image"), List.of("x"));
    }

    /** ConstantOfShape to 1×1×200000×200000 floats: 160 GB. */
    public static OnnxBuilder hugeAllocation(int size) {
        return new OnnxBuilder("bomb").opset(13)
                .input("image", TensorProto.DataType.FLOAT, 1, 3, size, size)
                .initializerLong("shape", new long[] {1, 1, 200_000, 200_000}, 4)
                .node("ConstantOfShape", List.of("shape"), List.of("map"))
                .output("map", TensorProto.DataType.FLOAT, 1, 1, "H", "W");
    }

    /**
     * A valid student that is slow: {@code layers} 3×3 convolutions of {@code channels} channels at full resolution
     * (about layers·channels²·9·size² multiply-adds), then a 1×1 convolution to one channel.
     */
    public static OnnxBuilder slow(int size, int channels, int layers) {
        Random r = new Random(1);
        OnnxBuilder b = new OnnxBuilder("slow").opset(13)
                .input("image", TensorProto.DataType.FLOAT, 1, 3, size, size)
                .metadata(StudentMetadata.KIND, "DENSE");
        String x = "image";
        int in = 3;
        for (int i = 0; i < layers; i++) {
            float[] w = new float[channels * in * 9];
            for (int j = 0; j < w.length; j++) {
                w[j] = (float) (r.nextGaussian() * 0.05);
            }
            b.initializer("W" + i, w, channels, in, 3, 3)
                    .node("Conv", List.of(x, "W" + i), List.of("c" + i)).attr("pads", 1, 1, 1, 1)
                    .node("Relu", List.of("c" + i), List.of("r" + i));
            x = "r" + i;
            in = channels;
        }
        float[] head = new float[in];
        Arrays.fill(head, 0.01f);
        return b.initializer("H", head, 1, in, 1, 1).node("Conv", List.of(x, "H"), List.of("map"))
                .output("map", TensorProto.DataType.FLOAT, 1, 1, size, size);
    }
}
