package dev.distillery.teacher.eval;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.onnx.OnnxBuilder;
import java.util.List;
import java.util.Random;

/**
 * The benchmark baseline: a fixed small CNN (four 3×3 convolutions 3→16→32→32→32 with ReLU at
 * 224×224, then global pooling), built in the process from a fixed seed. Every figure in
 * docs/benchmarks.md is also given as a ratio to this model's latency measured in the same run, so
 * numbers from different machines can be compared.
 */
public final class ReferenceModel {
    public static final String INPUT = "image";
    public static final int SIZE = 224;

    private ReferenceModel() {
    }

    public static byte[] bytes() {
        Random rnd = new Random(20261124L);
        OnnxBuilder b = new OnnxBuilder("distillery-reference").opset(13)
                .input(INPUT, TensorProto.DataType.FLOAT, "N", 3, SIZE, SIZE);
        int[] channels = {3, 16, 32, 32, 32};
        String x = INPUT;
        for (int i = 0; i < 4; i++) {
            int cin = channels[i];
            int cout = channels[i + 1];
            float[] w = new float[cout * cin * 9];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (rnd.nextGaussian() * Math.sqrt(2.0 / (cin * 9)));
            }
            b.initializer("w" + i, w, cout, cin, 3, 3);
            b.initializer("b" + i, new float[cout], cout);
            b.node("Conv", List.of(x, "w" + i, "b" + i), List.of("c" + i)).attr("pads", 1L, 1L, 1L, 1L);
            b.node("Relu", List.of("c" + i), List.of("r" + i));
            x = "r" + i;
        }
        b.node("GlobalAveragePool", List.of(x), List.of("pooled"));
        b.node("Flatten", List.of("pooled"), List.of("features")).attr("axis", 1L);
        b.output("features", TensorProto.DataType.FLOAT, "N", 32);
        return b.toBytes();
    }
}
