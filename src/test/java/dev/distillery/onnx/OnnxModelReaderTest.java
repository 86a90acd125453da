package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TensorSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryFactOfAClassifier() throws Exception {
        Path file = TestModels.classifier(5, "logits", false)
                .producer("pytorch", "2.3.0").irVersion(9).domain("ai.onnx.ml", 3)
                .metadata("author", "me").write(dir.resolve("c.onnx"));
        OnnxModel model = OnnxModelReader.read(file);
        ModelInfo info = model.info();
        assertThat(info.irVersion()).isEqualTo(9);
        assertThat(info.opsets()).containsEntry("", 13L).containsEntry("ai.onnx.ml", 3L).hasSize(2);
        assertThat(info.producerName()).isEqualTo("pytorch");
        assertThat(info.producerVersion()).isEqualTo("2.3.0");
        assertThat(info.graphName()).isEqualTo("classifier");
        assertThat(info.fileSize()).isEqualTo(Files.size(file));
        assertThat(info.parameterCount()).isEqualTo(5 * 3 + 5);
        assertThat(info.operatorHistogram()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("GlobalAveragePool", 1, "Flatten", 1, "Gemm", 1));
        assertThat(info.metadata()).containsExactlyEntriesOf(java.util.Map.of("author", "me"));
        assertThat(info.inputs()).containsExactly(new TensorSpec("image", "float", List.of(-1L, 3L, 8L, 8L),
                List.of("N", "", "", "")));
        assertThat(info.outputs()).containsExactly(new TensorSpec("logits", "float", List.of(-1L, 5L),
                List.of("N", "")));
        assertThat(model.proto().getGraph().getNodeCount()).isEqualTo(3);
    }

    @Test
    void initializersListedAsInputsAreNotInputs() throws Exception {
        OnnxBuilder b = TestModels.classifier(2, "out", false);
        ModelProto proto = b.build();
        GraphProto g = proto.getGraph().toBuilder()
                .addInput(proto.getGraph().getInput(0).toBuilder().setName("W")).build();
        OnnxModel model = OnnxModel.of(proto.toBuilder().setGraph(g).build(), 1);
        assertThat(model.info().inputs()).extracting(TensorSpec::name).containsExactly("image");
    }

    @Test
    void elementTypesAndUnknownDimsAreNamed() throws Exception {
        Path file = TestModels.shaped(DataType.UINT8, TestModels.dims(1, 224, 224, 3), "Identity", "y", "batch", 7)
                .input("half", DataType.FLOAT16, 2).input("ids", DataType.INT64, "seq")
                .write(dir.resolve("t.onnx"));
        ModelInfo info = OnnxModelReader.read(file).info();
        assertThat(info.inputs()).extracting(TensorSpec::elementType).containsExactly("uint8", "float16", "int64");
        assertThat(info.inputs().get(2).dimNames()).containsExactly("seq");
        assertThat(info.outputs().get(0).shapeText()).isEqualTo("[batch, 7]");

        ModelProto proto = TestModels.classifier(2, "out", false).build();
        ModelProto noParam = proto.toBuilder().setGraph(proto.getGraph().toBuilder().setOutput(0,
                proto.getGraph().getOutput(0).toBuilder().setType(proto.getGraph().getOutput(0).getType().toBuilder()
                        .setTensorType(proto.getGraph().getOutput(0).getType().getTensorType().toBuilder()
                                .setShape(ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder()
                                        .addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder())
                                        .addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                                .setDimValue(2))))))).build();
        TensorSpec out = OnnxModel.of(noParam, 1).info().outputs().get(0);
        assertThat(out.dims()).containsExactly(-1L, 2L);
        assertThat(out.dimNames()).containsExactly("", "");
    }

    @Test
    void parameterCountIncludesConstantNodesAndSubgraphs() throws Exception {
        OnnxBuilder b = TestModels.classifier(4, "logits", false)          // 12 + 4 in initializers
                .constant("K", new float[6], 2, 3)                          // 6 in a Constant node
                .node("com.microsoft", "FusedConv", List.of("image"), List.of("fc"));
        ModelProto proto = b.build();
        // An If whose branches hold a Constant of 10 elements and an initializer of 3.
        NodeProto branchConst = NodeProto.newBuilder().setOpType("Constant").addOutput("c")
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProto.newBuilder().setDataType(1).addDims(10)
                                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[40])))).build();
        GraphProto thenBranch = GraphProto.newBuilder().setName("then").addNode(branchConst)
                .addInitializer(TensorProto.newBuilder().setName("t").setDataType(1).addDims(3)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[12]))).build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else").addNode(branchConst).build();
        NodeProto ifNode = NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("r")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(thenBranch))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(elseBranch)).build();
        ModelProto withIf = proto.toBuilder().setGraph(proto.getGraph().toBuilder().addNode(ifNode)).build();
        Path file = dir.resolve("p.onnx");
        Files.write(file, withIf.toByteArray());

        ModelInfo info = OnnxModelReader.read(file).info();
        assertThat(info.parameterCount()).isEqualTo(12 + 4 + 6 + 10 + 3 + 10);
        assertThat(info.operatorHistogram()).containsEntry("Constant", 3).containsEntry("If", 1)
                .containsEntry("com.microsoft:FusedConv", 1).doesNotContainKey("FusedConv");
    }

    @Test
    void emptyFileSaysSo() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.onnx"));
        assertThatThrownBy(() -> OnnxModelReader.read(file)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("empty.onnx is empty (0 bytes)").hasMessageContaining("again");
    }

    @Test
    void randomBytesAreNotAnOnnxModel() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1000 + random.nextInt(5000)];
            random.nextBytes(junk);
            Path file = Files.write(dir.resolve("junk" + i + ".onnx"), junk);
            assertThatThrownBy(() -> OnnxModelReader.read(file)).isInstanceOf(TeacherException.class)
                    .hasMessageContaining("is not an ONNX model");
        }
    }

    @Test
    void messagesThatParseButAreNoModelAreRefused() {
        // Valid protobuf, but: IR version 0 / no graph / a graph without nodes.
        ModelProto good = TestModels.classifier(2, "out", false).build();
        for (ModelProto bad : List.of(good.toBuilder().setIrVersion(0).build(), good.toBuilder().clearGraph().build(),
                good.toBuilder().setGraph(good.getGraph().toBuilder().clearNode()).build(),
                good.toBuilder().setGraph(good.getGraph().toBuilder().clearOutput()).build())) {
            assertThatThrownBy(() -> OnnxModelReader.parse(bad.toByteArray(), "x.onnx"))
                    .isInstanceOf(TeacherException.class).hasMessageStartingWith("x.onnx is not an ONNX model");
        }
        assertThatThrownBy(() -> OnnxModelReader.parse("<html>404 Not Found</html>".getBytes(), "page.onnx"))
                .hasMessageContaining("not an ONNX model");
    }

    @Test
    void truncatedFileLooksTruncated() throws Exception {
        byte[] bytes = TestModels.classifier(50, "logits", false).toBytes();
        Path file = Files.write(dir.resolve("half.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> OnnxModelReader.read(file)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("half.onnx looks truncated").hasMessageContaining("download or export it again");
    }

    @Test
    void filesOfTwoGigabytesOrMoreAreRefusedBeforeReading() throws Exception {
        Path file = dir.resolve("huge.onnx");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(2_200_000_000L); // sparse: no disk space used
        }
        assertThatThrownBy(() -> OnnxModelReader.read(file)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("2.2 GB").hasMessageContaining("2 GB").hasMessageContaining("protocol-buffers limit");
    }

    @Test
    void missingFileAndFolderAreNamed() {
        assertThatThrownBy(() -> OnnxModelReader.read(dir.resolve("nope.onnx")))
                .hasMessageContaining("Model file not found").hasMessageContaining("nope.onnx");
        assertThatThrownBy(() -> OnnxModelReader.read(dir)).hasMessageContaining("is a folder");
    }

    @Test
    void unreadableFileSaysPermissionDenied() throws Exception {
        Path file = TestModels.classifier(2, "out", false).write(dir.resolve("locked.onnx"));
        Assumptions.assumeTrue(Files.getFileStore(file).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> OnnxModelReader.read(file)).isInstanceOf(TeacherException.class)
                    .hasMessageContaining("permission denied").hasMessageContaining("locked.onnx");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void accessDeniedIsTranslatedEvenWhenRunningAsRoot() {
        Path file = dir.resolve("locked.onnx");
        assertThat(OnnxModelReader.cannotRead(file, new java.nio.file.AccessDeniedException(file.toString())))
                .hasMessageContaining("Cannot read " + file + ": permission denied");
        assertThat(OnnxModelReader.cannotRead(file, new java.io.IOException("Input/output error\n  at disk")))
                .hasMessage("Cannot read " + file + ": Input/output error.");
    }

    @Test
    void producerLooksThroughShapeOnlyNodes() {
        OnnxModel model = OnnxModel.of(TestModels.classifier(3, "probs", true)
                .node("Reshape", List.of("probs"), List.of("probs2")).build(), 1);
        assertThat(model.producerOpType("probs2")).isEqualTo("Softmax");
        assertThat(model.producerOpType("logits")).isEqualTo("Gemm");
        assertThat(model.producerOpType("image")).isEmpty();
    }
}
