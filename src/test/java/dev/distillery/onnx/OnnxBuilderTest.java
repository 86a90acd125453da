package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models written by the builder load and compute in ONNX Runtime. */
class OnnxBuilderTest {
    @Test
    void tinyClassifierRunsInOnnxRuntime() throws Exception {
        // logits = W · mean_over_pixels(image) + b, with W mapping channel c to class c.
        float[] w = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        OnnxBuilder b = new OnnxBuilder("tiny").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 4, 4)
                .initializer("W", w, 3, 3)
                .constant("B", new float[] {0f, 0f, 10f}, 3)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 3)
                .metadata("labels", "red,green,blue");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][][][] img = new float[1][3][4][4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img[0][0][y][x] = 2f;
                img[0][1][y][x] = 5f;
            }
        }
        try (OrtSession s = env.createSession(b.toBytes(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, img);
             OrtSession.Result r = s.run(Map.of("image", t))) {
            float[][] out = (float[][]) r.get(0).getValue();
            assertThat(out[0]).containsExactly(2f, 5f, 10f);
            assertThat(s.getMetadata().getCustomMetadata()).containsEntry("labels", "red,green,blue");
        }
    }
}
