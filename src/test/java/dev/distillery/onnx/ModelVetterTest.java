package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVetterTest {
    @TempDir
    Path dir;

    private OnnxModel read(OnnxBuilder b, String name) throws Exception {
        return OnnxModelReader.read(b.write(dir.resolve(name)));
    }

    @Test
    void aPlainClassifierPasses() throws Exception {
        OnnxModel model = read(TestModels.classifier(3, "logits", false), "ok.onnx");
        assertThatCode(() -> ModelVetter.vet(model, dir.resolve("ok.onnx"))).doesNotThrowAnyException();
    }

    @Test
    void externalDataInsideTheFolderIsUnsupportedWithAFix() throws Exception {
        Files.write(dir.resolve("weights.bin"), new byte[60]);
        OnnxModel model = read(TestModels.classifier(3, "logits", false)
                .externalInitializer("W2", "weights.bin", 0, 60, 5, 3), "ext.onnx");
        assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("ext.onnx"))).isInstanceOf(TeacherException.class)
                .hasMessageContaining("weights in separate files").hasMessageContaining("weights.bin")
                .hasMessageContaining("save_as_external_data=False").hasMessageNotContaining("outside");
    }

    @Test
    void externalDataOutsideTheFolderIsRefusedForSafety() throws Exception {
        for (String location : List.of("../outside.bin", "/etc/passwd", "sub/../../x.bin", "C:\\\\secret.bin")) {
            OnnxModel model = read(TestModels.classifier(3, "logits", false)
                    .externalInitializer("W2", location, 0, 60, 5, 3), "out.onnx");
            assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("out.onnx")))
                    .isInstanceOf(TeacherException.class)
                    .hasMessageContaining("references a file outside its folder")
                    .hasMessageContaining(location).hasMessageContaining("refused for safety");
        }
    }

    @Test
    void externalDataInAConstantInsideASubgraphIsFound() throws Exception {
        TensorProto ext = TensorProto.newBuilder().setName("k").setDataType(1).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../k.bin")).build();
        NodeProto constant = NodeProto.newBuilder().setOpType("Constant").addOutput("k").addAttribute(
                AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(ext)).build();
        ModelProto proto = withIf(TestModels.classifier(3, "logits", false).build(),
                GraphProto.newBuilder().setName("branch").addNode(constant).build());
        OnnxModel model = OnnxModel.of(proto, 1);
        assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("m.onnx")))
                .hasMessageContaining("outside its folder").hasMessageContaining("../../k.bin");
    }

    @Test
    void customDomainsAreNamedWithTheirOps() throws Exception {
        OnnxModel model = read(TestModels.classifier(3, "logits", false).domain("com.acme", 1)
                .node("com.acme", "Warp", List.of("image"), List.of("w"))
                .node("com.acme", "Blur", List.of("w"), List.of("b"))
                .node("com.microsoft", "FusedConv", List.of("image"), List.of("f")), "custom.onnx");
        assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("custom.onnx")))
                .isInstanceOf(TeacherException.class)
                .hasMessageContaining("domain 'com.acme' (Blur, Warp)").hasMessageNotContaining("FusedConv");
    }

    @Test
    void microsoftAndMlDomainsAreAllowed() throws Exception {
        OnnxModel model = read(TestModels.classifier(3, "logits", false)
                .node("com.microsoft", "FusedConv", List.of("image"), List.of("f"))
                .node("ai.onnx.ml", "Normalizer", List.of("logits"), List.of("n"))
                .node("ai.onnx", "Relu", List.of("logits"), List.of("r")), "ms.onnx");
        assertThatCode(() -> ModelVetter.vet(model, dir.resolve("ms.onnx"))).doesNotThrowAnyException();
    }

    @Test
    void tooManyNodesAreRefused() {
        ModelProto proto = TestModels.classifier(3, "logits", false).build();
        GraphProto.Builder g = proto.getGraph().toBuilder();
        NodeProto id = NodeProto.newBuilder().setOpType("Identity").addInput("logits").addOutput("x").build();
        for (int i = 0; i < ModelVetter.MAX_NODES; i++) {
            g.addNode(id);
        }
        OnnxModel model = OnnxModel.of(proto.toBuilder().setGraph(g).build(), 1);
        assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("big.onnx")))
                .hasMessageContaining("200003 nodes").hasMessageContaining("200000");
    }

    @Test
    void nestingDeeperThanEightIsRefusedButEightIsFine() {
        ModelProto base = TestModels.classifier(3, "logits", false).build();
        assertThatCode(() -> ModelVetter.vet(OnnxModel.of(nested(base, 8), 1), dir.resolve("n.onnx")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ModelVetter.vet(OnnxModel.of(nested(base, 9), 1), dir.resolve("n.onnx")))
                .hasMessageContaining("9 levels deep").hasMessageContaining("8");
    }

    @Test
    void noImageInputListsTheInputs() throws Exception {
        OnnxModel model = read(TestModels.shaped(DataType.FLOAT, TestModels.dims("N", 10), "Relu", "y", "N", 10),
                "tab.onnx");
        assertThat(ImageInputs.find(model.info())).isEmpty();
        assertThatThrownBy(() -> ModelVetter.vet(model, dir.resolve("tab.onnx"))).isInstanceOf(TeacherException.class)
                .hasMessageContaining("'image' [N, 10] float")
                .hasMessageContaining("[N, 3, H, W] or [N, H, W, 3]");
    }

    @Test
    void imageInputsAcceptNchwNhwcAndOneChannel() {
        TensorSpec nhwc = new TensorSpec("a", "uint8", List.of(1L, 224L, 224L, 3L), List.of("", "", "", ""));
        TensorSpec gray = new TensorSpec("b", "float16", List.of(-1L, 1L, 32L, 32L), List.of("N", "", "", ""));
        TensorSpec ints = new TensorSpec("c", "int64", List.of(1L, 3L, 32L, 32L), List.of("", "", "", ""));
        TensorSpec five = new TensorSpec("d", "float", List.of(1L, 5L, 32L, 32L), List.of("", "", "", ""));
        assertThat(ImageInputs.isImage(nhwc)).isTrue();
        assertThat(ImageInputs.channelsFirst(nhwc)).isFalse();
        assertThat(ImageInputs.isImage(gray)).isTrue();
        assertThat(ImageInputs.channelsFirst(gray)).isTrue();
        assertThat(ImageInputs.isImage(ints)).isFalse();
        assertThat(ImageInputs.isImage(five)).isFalse();
    }

    /** The base model with an If node whose then-branch is {@code branch}. */
    private static ModelProto withIf(ModelProto base, GraphProto branch) {
        NodeProto ifNode = NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("r")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(branch)).build();
        return base.toBuilder().setGraph(base.getGraph().toBuilder().addNode(ifNode)).build();
    }

    /** Subgraphs nested {@code depth} levels below the main graph. */
    private static ModelProto nested(ModelProto base, int depth) {
        GraphProto inner = GraphProto.newBuilder().setName("leaf")
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("a").addOutput("b")).build();
        for (int level = depth - 1; level >= 1; level--) {
            inner = GraphProto.newBuilder().setName("level" + level).addNode(NodeProto.newBuilder().setOpType("If")
                    .addInput("c").addOutput("o").addAttribute(AttributeProto.newBuilder().setName("then_branch")
                            .setType(AttributeProto.AttributeType.GRAPH).setG(inner))).build();
        }
        return withIf(base, inner);
    }
}
