package dev.distillery.teacher.library;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Real ONNX fixtures and a small real validator for the library tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * A tiny 3-class classifier padded with an unused initializer of {@code padFloats} random floats,
     * so that the file is big enough to be interrupted. Different seeds give different bytes.
     */
    static byte[] paddedClassifier(long seed, int padFloats) {
        Random random = new Random(seed);
        float[] pad = new float[padFloats];
        for (int i = 0; i < pad.length; i++) {
            pad[i] = random.nextFloat();
        }
        return new OnnxBuilder("padded").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 8, 8)
                .initializer("W", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3)
                .initializer("B", new float[] {0, 0, 0}, 3)
                .initializer("pad", pad, padFloats)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 3)
                .metadata("labels", "red,green,blue")
                .toBytes();
    }

    /** About 1.6 MB. */
    static byte[] paddedClassifier(long seed) {
        return paddedClassifier(seed, 400_000);
    }

    static String sha256(byte[] bytes) {
        var d = Hashing.sha256();
        d.update(bytes);
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        var d = Hashing.sha256();
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) >= 0) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Every regular file under {@code dir}. */
    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * Stands in for the real validator: the file must open in ONNX Runtime; info and profile are
     * built from the session's declared inputs and outputs.
     */
    static ModelValidator ortValidator() {
        return file -> {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(file.toString(), options)) {
                List<TensorSpec> inputs = specs(session.getInputInfo());
                List<TensorSpec> outputs = specs(session.getOutputInfo());
                OnnxModelMetadata meta = session.getMetadata();
                ModelInfo info = new ModelInfo(0, Map.of(), meta.getProducerName(), "", meta.getGraphName(),
                        Files.size(file), 0, Map.of(), meta.getCustomMetadata(), inputs, outputs);
                TensorSpec out = outputs.get(0);
                TaskKind kind = out.rank() == 2 ? TaskKind.CLASSIFICATION
                        : out.rank() == 4 ? TaskKind.DENSE : TaskKind.UNKNOWN;
                long last = out.rank() == 0 ? -1 : out.dim(out.rank() - 1);
                TaskSpec task = new TaskSpec(kind, null, (int) Math.max(0, last), false, List.of(), out.name());
                TensorSpec in = inputs.get(0);
                int h = in.rank() == 4 && in.dim(2) > 0 ? (int) in.dim(2) : 224;
                int w = in.rank() == 4 && in.dim(3) > 0 ? (int) in.dim(3) : 224;
                Preprocessing pre = new Preprocessing(w, h, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB,
                        1 / 255.0, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD,
                        Preprocessing.ResizeMode.STRETCH, 0.875, 114, 0, "float");
                String labels = meta.getCustomMetadata().get("labels");
                List<String> labelList = labels == null ? List.of() : Arrays.asList(labels.split(","));
                return new ModelValidator.Validated(info, new TeacherProfile(task, pre, labelList),
                        labels == null ? "none" : "metadata");
            } catch (OrtException | IOException e) {
                throw new TeacherException("Not a model ONNX Runtime can open: " + e.getMessage(), e);
            }
        };
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> list = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            if (!(n.getInfo() instanceof TensorInfo t)) {
                continue;
            }
            List<Long> dims = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (long d : t.getShape()) {
                dims.add(d);
                names.add("");
            }
            list.add(new TensorSpec(n.getName(), t.type.toString().toLowerCase(Locale.ROOT), dims, names));
        }
        return list;
    }
}
