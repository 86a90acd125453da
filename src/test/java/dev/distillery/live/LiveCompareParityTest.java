package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.distillery.distill.StudentMetadata;
import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.model.TeacherProfile;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.testing.TinyModels;
import dev.distillery.vision.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ai.onnx.proto.OnnxMl.TensorProto;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live's rolling agreement and {@code distillery compare} give the same figure on the same frames. */
class LiveCompareParityTest {
    @TempDir
    Path dir;

    /** warm = R + G, cool = B over the colour teacher's red, green, blue; groups warm = {red}, cool = {green, blue}. */
    Path groupedStudent() throws Exception {
        return new OnnxBuilder("warm-cool").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 32, 32)
                .initializer("W", new float[] {1, 1, 0, 0, 0, 1}, 2, 3)
                .initializer("B", new float[] {0, 0}, 2)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 2)
                .metadata("labels", "[\"warm\",\"cool\"]")
                .metadata(StudentMetadata.KIND, "CLASSIFIER")
                .metadata(StudentMetadata.TEACHER_CLASSES, "3")
                .metadata(StudentMetadata.GROUPS, "warm=0;cool=1-2")
                .write(dir.resolve("student.onnx"));
    }

    @Test
    void aGroupedStudentGetsTheSameAgreementInLiveAsInCompare() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path student = groupedStudent();
        Path frames = Files.createDirectories(dir.resolve("frames"));
        // BGR: red, green, blue, blue, pink, yellow, grey
        Scalar[] colours = {new Scalar(0, 0, 250, 0), new Scalar(0, 220, 0, 0), new Scalar(250, 0, 0, 0),
            new Scalar(240, 10, 10, 0), new Scalar(200, 200, 255, 0), new Scalar(0, 250, 250, 0),
            new Scalar(128, 128, 128, 0)};
        for (int i = 0; i < colours.length; i++) {
            try (Mat m = new Mat(32, 32, opencv_core.CV_8UC3, colours[i])) {
                opencv_imgcodecs.imwrite(frames.resolve("f" + i + ".png").toString(), m);
            }
        }
        TeacherProfile tp = ProfileInference.infer(OnnxModelReader.read(teacher));
        TeacherProfile sp = ProfileInference.infer(OnnxModelReader.read(student));
        StudentComparison.Result compared = StudentComparison.compare(teacher, "colours", tp, student, frames,
                StudentComparison.Options.defaults(1), null, null, null, false);

        Map<String, String> teacherMeta = OnnxModelReader.read(teacher).info().metadata();
        Map<String, String> studentMeta = OnnxModelReader.read(student).info().metadata();
        // the student in the first pane, as a user might pick them
        Agreement.Setup setup = StudentComparison.liveSetup(List.of(studentMeta, teacherMeta), List.of(sp, tp));
        assertThat(setup.teacher()).isEqualTo(1);
        Agreement live = new Agreement(setup);
        Agreement raw = new Agreement();
        try (TeacherRunner s = TeacherRunner.open(student, sp, 1); TeacherRunner t = TeacherRunner.open(teacher, tp, 1)) {
            for (int i = 0; i < colours.length; i++) {
                try (Mat frame = Images.read(frames.resolve("f" + i + ".png"))) {
                    var sPred = s.predict(frame);
                    var tPred = t.predict(frame);
                    live.record(0, i, sPred);
                    live.record(1, i, tPred);
                    raw.record(0, i, sPred);
                    raw.record(1, i, tPred);
                }
            }
        }
        assertThat(live.samples()).isEqualTo(colours.length);
        assertThat(live.rate()).isCloseTo(compared.classification().agreement(), within(1e-12));
        // comparing the student's class index with the teacher's raw one, as Live used to, gives another figure
        assertThat(raw.rate()).isNotCloseTo(compared.classification().agreement(), within(1e-6));
    }
}
