package dev.distillery.distill.compare;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.distill.OnnxExporter;
import dev.distillery.distill.StudentBuilder;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherProfile;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature API on students really exported by {@link OnnxExporter} (untrained, seeded): the metadata the
 * exporter writes (labels as JSON, kind, input size, preprocessing, groups) is what compare reads back.
 */
class StudentComparisonTest {
    @TempDir
    Path dir;

    static TeacherProfile profile(Path model) {
        return ProfileInference.infer(OnnxModelReader.read(model));
    }

    void images(Path folder, int n) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < n; i++) {
            try (Mat m = new Mat(40, 40, opencv_core.CV_8UC3, new Scalar(i * 60 % 256, i * 110 % 256, i * 170 % 256, 0))) {
                opencv_imgcodecs.imwrite(folder.resolve("img-" + i + ".png").toString(), m);
            }
        }
    }

    /** Exports an untrained {@code spec} with {@code labels} and {@code extra} metadata. */
    Path export(StudentSpec spec, List<String> labels, Map<String, String> extra, Preprocessing pre) throws Exception {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            SequentialBlock block = StudentBuilder.build(spec);
            block.initialize(m, DataType.FLOAT32, StudentBuilder.inputShape(spec, 1));
            NDArray samples = m.randomUniform(0f, 1f, StudentBuilder.inputShape(spec, 2));
            Map<String, String> meta = new LinkedHashMap<>(StudentMetadata.preprocessing(pre));
            meta.putAll(extra);
            Path file = dir.resolve(spec.name() + ".onnx");
            OnnxExporter.export(spec, block, labels, meta, samples, file);
            return file;
        }
    }

    @Test
    void anExportedGroupedClassifierIsComparedInItsOwnClasses() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        TeacherProfile tp = profile(teacher);
        StudentSpec spec = StudentZoo.preset("cls-tiny").withInputSize(32).withOutputs(2);
        Path student = export(spec, List.of("warm", "cool"), Map.of(StudentMetadata.GROUPS, "warm=0;cool=1-2",
                StudentMetadata.TEACHER_CLASSES, "3"), tp.preprocessing());
        Path folder = dir.resolve("images");
        images(folder, 6);

        List<Integer> progress = new ArrayList<>();
        StudentComparison.Result r = StudentComparison.compare(teacher, "colours", tp, student, folder,
                StudentComparison.Options.defaults(1), (done, total) -> progress.add(done), null);
        assertThat(r.kind()).isEqualTo("CLASSIFIER");
        assertThat(r.compared()).isEqualTo(6);
        assertThat(progress).containsExactly(6);
        assertThat(r.classification().classes()).containsExactly("warm", "cool");
        assertThat(r.classification().grouped()).isTrue();
        assertThat(r.classification().agreed()).isBetween(0, 6);
        assertThat(r.classification().majorityBaseline()).isBetween(0.5, 1.0);
        assertThat(r.student().parameters()).isEqualTo(spec.parameterCount());
        assertThat(r.student().inputWidth()).isEqualTo(32);
        assertThat(r.student().outputs()).isEqualTo(2);
        assertThat(r.teacher().outputs()).isEqualTo(3);
    }

    @Test
    void anExportedDenseStudentAgainstADynamicTeacher() throws Exception {
        // teacher: sigmoid of the R channel, any input size
        Path teacher = new OnnxBuilder("dense-teacher").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, "H", "W")
                .initializer("K", new float[] {0, 0, 1}, 1, 3, 1, 1)
                .node("Conv", List.of("image", "K"), List.of("logits"))
                .node("Sigmoid", List.of("logits"), List.of("map"))
                .output("map", TensorProto.DataType.FLOAT, "N", 1, "H", "W")
                .write(dir.resolve("teacher.onnx"));
        TeacherProfile tp = profile(teacher);
        StudentSpec spec = StudentZoo.preset("dense-tiny").withInput(64, 32);
        Path student = export(spec, List.of(), Map.of(StudentMetadata.MAP_THRESHOLD, "0.4"), tp.preprocessing());
        Path folder = dir.resolve("images");
        images(folder, 3);

        StudentComparison.Result r = StudentComparison.compare(teacher, "t", tp, student, folder,
                StudentComparison.Options.defaults(1).withLimit(2), null, null);
        assertThat(r.kind()).isEqualTo("DENSE");
        assertThat(r.compared()).isEqualTo(2);
        assertThat(r.dense().threshold()).isEqualTo(0.4);
        assertThat(r.dense().mapWidth()).isEqualTo(64);
        assertThat(r.dense().mapHeight()).isEqualTo(32);
        assertThat(r.dense().teacherResized()).isFalse();
        assertThat(r.teacher().inputWidth()).isEqualTo(64);
        assertThat(r.dense().pooledIou()).isBetween(0.0, 1.0);
        // the file also holds the 4 upsampling scales, which ONNX counts as values
        assertThat(r.student().parameters()).isBetween(spec.parameterCount(), spec.parameterCount() + 8);

        assertThat(StudentComparison.compare(teacher, "t", tp, student, folder,
                StudentComparison.Options.defaults(1).withThreshold(0.99), null, null).dense().threshold())
                .isEqualTo(0.99);
    }
}
