package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import dev.distillery.model.TeacherException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtLoadCheckTest {
    @TempDir
    Path dir;

    @Test
    void aValidModelLoads() throws Exception {
        Path file = TestModels.classifier(3, "probs", true).write(dir.resolve("ok.onnx"));
        assertThatCode(() -> OrtLoadCheck.verify(file)).doesNotThrowAnyException();
    }

    @Test
    void anUnknownOperatorIsNamedWithTheRuntimeVersion() {
        byte[] model = TestModels.classifier(3, "logits", false)
                .node("TotallyUnknownOp", List.of("logits"), List.of("weird")).toBytes();
        String version = OrtEnvironment.getEnvironment().getVersion();
        assertThatThrownBy(() -> OrtLoadCheck.verify(model)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("uses the operator TotallyUnknownOp, which ONNX Runtime " + version
                        + " does not support");
    }

    @Test
    void otherLoadErrorsGiveTheFirstLineOfTheRuntimeMessage() {
        // Gemm fed a tensor that nothing produces.
        byte[] model = TestModels.classifier(3, "logits", false)
                .node("Relu", List.of("nowhere"), List.of("r")).toBytes();
        assertThatThrownBy(() -> OrtLoadCheck.verify(model)).isInstanceOf(TeacherException.class)
                .hasMessageStartingWith("ONNX Runtime cannot load this model: ")
                .hasMessageNotContaining("Error code - ORT_")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void runtimeMessagesForUnknownOpsAreRecognized() {
        assertThat(OrtLoadCheck.translate("Error code - ORT_NOT_IMPLEMENTED - message - Could not find an "
                + "implementation for Foo(13) node with name 'foo'", "1.29.0"))
                .hasMessageContaining("uses the operator Foo, which ONNX Runtime 1.29.0 does not support at opset 13");
        assertThat(OrtLoadCheck.translate("[ONNXRuntimeError] : 10 : INVALID_GRAPH : This is an invalid model. "
                + "Error in Node: : No Op registered for Bar with domain_version of 17", "1.29.0"))
                .hasMessageContaining("uses the operator Bar, which ONNX Runtime 1.29.0 does not support");
        assertThat(OrtLoadCheck.translate("Load model failed\nFatal error: custom:Baz(-1) is not a registered "
                + "function/op", "1.29.0"))
                .hasMessageContaining("uses the operator custom:Baz, which ONNX Runtime 1.29.0 does not support.");
        assertThat(OrtLoadCheck.translate("Error code - ORT_FAIL - message: Load model failed\n  details", "1.29.0"))
                .hasMessage("ONNX Runtime cannot load this model: Load model failed");
        assertThat(OrtLoadCheck.translate("\nsomething broke\nsecond line", "1.29.0"))
                .hasMessage("ONNX Runtime cannot load this model: something broke");
    }

    @Test
    void anOperatorOfAnUnknownDomainIsNamed() {
        byte[] model = TestModels.classifier(3, "logits", false).domain("com.acme", 1)
                .node("com.acme", "Warp", List.of("logits"), List.of("w")).toBytes();
        assertThatThrownBy(() -> OrtLoadCheck.verify(model)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("uses the operator com.acme:Warp, which ONNX Runtime");
    }

    @Test
    void aModelWithoutAnImageInputStillLoads() throws Exception {
        Path file = TestModels.shaped(DataType.FLOAT, TestModels.dims("N", 10), "Relu", "y", "N", 10)
                .write(dir.resolve("tab.onnx"));
        assertThatCode(() -> OrtLoadCheck.verify(file)).doesNotThrowAnyException();
    }
}
