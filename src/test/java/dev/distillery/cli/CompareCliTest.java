package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.teacher.library.Json;
import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distillery compare} on tiny teachers and students written by the test, whose answers can be worked
 * out by hand (see each model's comment).
 */
class CompareCliTest {
    // OpenCV scalars are BGR.
    static final Scalar RED = new Scalar(0, 0, 250, 0);
    static final Scalar GREEN = new Scalar(0, 220, 0, 0);
    static final Scalar BLUE = new Scalar(250, 0, 0, 0);
    static final Scalar YELLOW = new Scalar(0, 250, 250, 0);
    static final Scalar BLACK = new Scalar(0, 0, 0, 0);

    @TempDir
    Path dir;

    CliTest.Result run(String... args) {
        return CliTest.runIn(dir.resolve("data"), args);
    }

    JsonNode json(CliTest.Result r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return Json.mapper().readTree(r.out());
    }

    static void image(Path file, Scalar bgr) throws Exception {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(32, 32, opencv_core.CV_8UC3, bgr)) {
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
    }

    /** 32×32: the left half {@code left}, the right half {@code right}. */
    static void halves(Path file, Scalar left, Scalar right) throws Exception {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(32, 32, opencv_core.CV_8UC3, left); Rect r = new Rect(16, 0, 16, 32);
             Mat half = m.apply(r); Mat fill = new Mat(32, 16, opencv_core.CV_8UC3, right)) {
            fill.copyTo(half);
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
    }

    /**
     * A 2-class student of the colour teacher (red, green, blue: logit = normalized channel mean): "warm" =
     * R + G, "cool" = B. With the groups warm = {red}, cool = {green, blue} it agrees with the teacher on red
     * and blue pictures, and calls green (R + G ≈ −0.30 > B ≈ −1.80) warm where the teacher says cool.
     */
    static Path warmCoolStudent(Path file, String groups) throws Exception {
        OnnxBuilder b = new OnnxBuilder("warm-cool").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 32, 32)
                .initializer("W", new float[] {1, 1, 0, 0, 0, 1}, 2, 3)
                .initializer("B", new float[] {0, 0}, 2)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 2)
                .metadata("labels", "[\"warm\",\"cool\"]")
                .metadata(StudentMetadata.KIND, "CLASSIFIER")
                .metadata(StudentMetadata.TEACHER_CLASSES, "3");
        if (groups != null) {
            b.metadata(StudentMetadata.GROUPS, groups);
        }
        return b.write(file);
    }

    /** A 2-class model with no metadata at all (not a Distillery student). */
    static Path plainTwoClass(Path file) throws Exception {
        return new OnnxBuilder("plain").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 32, 32)
                .initializer("W", new float[] {1, 0, 0, 0, 1, 0}, 2, 3)
                .initializer("B", new float[] {0, 0}, 2)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 2)
                .write(file);
    }

    /**
     * A dense map from one input channel (1×1 convolution with weight 1 on {@code channel}, BGR input): the
     * teacher ends with a Sigmoid and has a dynamic input size ({@code size} 0) or a fixed one; the student
     * gives logits at 32×32.
     */
    static Path channelMap(Path file, int channel, boolean teacher, int size) throws Exception {
        float[] w = new float[3];
        w[channel] = 1;
        Object h = size > 0 ? (Object) size : "H";
        Object wd = size > 0 ? (Object) size : "W";
        OnnxBuilder b = new OnnxBuilder(teacher ? "dense-teacher" : "dense-student").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, h, wd)
                .initializer("K", w, 1, 3, 1, 1)
                .node("Conv", List.of("image", "K"), List.of(teacher ? "logits" : "map"));
        if (teacher) {
            b.node("Sigmoid", List.of("logits"), List.of("map"));
        } else {
            b.metadata(StudentMetadata.KIND, "DENSE").metadata(StudentMetadata.MAP_THRESHOLD, "0.3");
        }
        return b.output("map", TensorProto.DataType.FLOAT, "N", 1, h, wd).write(file);
    }

    /** warm/{2 red}, Cool/{green, blue}, misc/{blue}, a broken file. */
    Path colourFolder() throws Exception {
        Path images = dir.resolve("images");
        image(images.resolve("warm/a.png"), RED);
        image(images.resolve("warm/b.png"), RED);
        image(images.resolve("Cool/c.png"), GREEN);
        image(images.resolve("Cool/d.png"), BLUE);
        image(images.resolve("misc/e.png"), BLUE);
        Files.writeString(images.resolve("broken.png"), "not an image");
        return images;
    }

    @Test
    void groupedClassifierAgreementBaselineAndAccuracy() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path student = warmCoolStudent(dir.resolve("student.onnx"), "warm=0;cool=1-2");
        Path images = colourFolder();

        JsonNode r = json(run("compare", "--teacher", teacher.toString(), "--student", student.toString(),
                "--images", images.toString(), "--json", "--threads", "1"));
        assertThat(r.get("kind").asText()).isEqualTo("CLASSIFIER");
        assertThat(r.get("images").asInt()).isEqualTo(6);
        assertThat(r.get("compared").asInt()).isEqualTo(5);
        assertThat(r.get("unreadable").asInt()).isEqualTo(1);
        JsonNode c = r.get("classification");
        assertThat(c.get("grouped").asBoolean()).isTrue();
        assertThat(c.get("classes").toString()).isEqualTo("[\"warm\",\"cool\"]");
        // the teacher says warm, warm, cool, cool, cool; the student warm, warm, warm, cool, cool
        assertThat(c.get("agreed").asInt()).isEqualTo(4);
        assertThat(c.get("agreement").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(c.get("majorityClass").asText()).isEqualTo("cool");
        assertThat(c.get("majorityBaseline").asDouble()).isCloseTo(0.6, within(1e-9));
        // teacher warm → student warm 2; teacher cool → warm 1, cool 2: recalls 1 and 2/3
        assertThat(c.get("balancedAgreement").asDouble()).isCloseTo(5 / 6.0, within(1e-9));
        // pe = 0.4·0.6 + 0.6·0.4 = 0.48; kappa = (0.8 − 0.48) / 0.52
        assertThat(c.get("kappa").asDouble()).isCloseTo(0.32 / 0.52, within(1e-9));
        assertThat(c.get("perClass").toString()).isEqualTo("[{\"class\":\"warm\",\"count\":2,\"recall\":1.0},"
                + "{\"class\":\"cool\",\"count\":3,\"recall\":" + (2 / 3.0) + "}]");
        assertThat(c.get("verdict").asText()).isEqualTo("PASSED");
        assertThat(c.get("advice").asText()).isEmpty();
        JsonNode g = c.get("groundTruth");
        assertThat(g.get("labelled").asInt()).isEqualTo(4);
        assertThat(g.get("unlabelled").asInt()).isEqualTo(1);
        assertThat(g.get("studentAccuracy").asDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(g.get("teacherAccuracy").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(g.get("confusions").toString()).isEqualTo("[{\"truth\":\"cool\",\"predicted\":\"warm\",\"count\":1}]");
        assertThat(r.get("teacher").get("parameters").asLong()).isEqualTo(12);
        assertThat(r.get("student").get("parameters").asLong()).isEqualTo(8);
        assertThat(r.get("ratios").get("parameters").asDouble()).isCloseTo(8 / 12.0, within(1e-9));
        assertThat(r.get("student").get("sizeBytes").asLong()).isEqualTo(Files.size(student));
        assertThat(r.get("teacher").get("latencyP50Ms").asDouble()).isPositive();
        assertThat(r.get("student").get("latencyP50Ms").asDouble()).isPositive();
        assertThat(r.get("dense").isNull()).isTrue();

        CliTest.Result text = run("compare", "--teacher", "colours", "--student", student.toString(),
                "--images", images.toString(), "--threads", "1", "--limit", "3");
        assertThat(text.code()).as(text.err()).isZero();
        // the first three in path order: Cool/c (disagrees), Cool/d, broken.png
        assertThat(text.out()).contains("on 2 images (1 unreadable skipped)", "agreement      0.500 (1 of 2)",
                "parameters", "latency p50", "groups: warm, cool", "confusions     cool → warm ×1");
    }

    /** A warm/cool student whose answer is always "cool" (zero weights, bias toward cool). */
    static Path alwaysCool(Path file) throws Exception {
        return new OnnxBuilder("always-cool").opset(13)
                .input("image", TensorProto.DataType.FLOAT, "N", 3, 32, 32)
                .initializer("W", new float[] {0, 0, 0, 0, 0, 0}, 2, 3)
                .initializer("B", new float[] {0, 1}, 2)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, "N", 2)
                .metadata("labels", "[\"warm\",\"cool\"]")
                .metadata(StudentMetadata.KIND, "CLASSIFIER")
                .metadata(StudentMetadata.TEACHER_CLASSES, "3")
                .metadata(StudentMetadata.GROUPS, "warm=0;cool=1-2")
                .write(file);
    }

    @Test
    void aStudentThatOnlyAnswersTheMajorityClassIsMarkedFailed() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path student = alwaysCool(dir.resolve("cool.onnx"));
        Path images = colourFolder();
        JsonNode c = json(run("compare", "--teacher", teacher.toString(), "--student", student.toString(),
                "--images", images.toString(), "--json", "--threads", "1")).get("classification");
        // the teacher says cool on 3 of 5: the constant student "agrees" 60 %, exactly the baseline
        assertThat(c.get("agreement").asDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(c.get("majorityBaseline").asDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(c.get("balancedAgreement").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(c.get("kappa").asDouble()).isCloseTo(0, within(1e-9));
        assertThat(c.get("verdict").asText()).isEqualTo("FAILED");
        assertThat(c.get("verdictReason").asText()).contains("baseline 0.600");
        assertThat(c.get("advice").asText()).contains("--minutes", "cls-small/cls-base");

        CliTest.Result text = run("compare", "--teacher", teacher.toString(), "--student", student.toString(),
                "--images", images.toString(), "--threads", "1");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("agreement      0.600 (3 of 5)", "balanced       0.500", "kappa 0.000",
                "per class      warm 0.00 (2), cool 1.00 (3)", "verdict        FAILED", "more or more varied frames");
    }

    @Test
    void aPlainModelWithTheTeachersClassesIsComparedAsIs() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path copy = Files.copy(teacher, dir.resolve("copy.onnx"));
        JsonNode r = json(run("compare", "--teacher", teacher.toString(), "--student", copy.toString(),
                "--images", colourFolder().toString(), "--json", "--threads", "1"));
        JsonNode c = r.get("classification");
        assertThat(c.get("grouped").asBoolean()).isFalse();
        assertThat(c.get("agreement").asDouble()).isEqualTo(1.0);
        assertThat(c.get("classes").toString()).isEqualTo("[\"red\",\"green\",\"blue\"]");
        // red, red, green, blue, blue: red and blue tie at 2 of 5, and a tie goes to the first class
        assertThat(c.get("majorityClass").asText()).isEqualTo("red");
        assertThat(c.get("majorityBaseline").asDouble()).isCloseTo(0.4, within(1e-9));
        assertThat(c.get("groundTruth").isNull()).as("no folder is named like a class").isTrue();
        assertThat(r.get("ratios").get("size").asDouble()).isEqualTo(1.0);
    }

    @Test
    void denseIouIsOneForTheSameMapAndHalfForHalfTheMap() throws Exception {
        Path teacher = channelMap(dir.resolve("teacher.onnx"), 2, true, 0);      // marks red (R channel)
        Path same = channelMap(dir.resolve("same.onnx"), 2, false, 32);
        Path greenOnly = channelMap(dir.resolve("green.onnx"), 1, false, 32);    // marks G only
        Path images = dir.resolve("scenes");
        halves(images.resolve("a.png"), RED, YELLOW); // teacher: all of it; green student: the right half
        image(images.resolve("b.png"), BLACK);        // nobody marks anything: IoU 1

        JsonNode r = json(run("compare", "--teacher", teacher.toString(), "--student", same.toString(),
                "--images", images.toString(), "--json", "--threads", "1"));
        assertThat(r.get("kind").asText()).isEqualTo("DENSE");
        JsonNode d = r.get("dense");
        assertThat(d.get("threshold").asDouble()).isEqualTo(0.3);
        assertThat(d.get("pooledIou").asDouble()).isEqualTo(1.0);
        assertThat(d.get("meanIou").asDouble()).isEqualTo(1.0);
        assertThat(d.get("mapWidth").asInt()).isEqualTo(32);
        assertThat(d.get("teacherResized").asBoolean()).as("a dynamic teacher runs at the student's size").isFalse();
        assertThat(r.get("teacher").get("inputWidth").asInt()).isEqualTo(32);
        assertThat(d.get("teacherPositive").asDouble()).isCloseTo(0.5, within(1e-9));

        d = json(run("compare", "--teacher", teacher.toString(), "--student", greenOnly.toString(),
                "--images", images.toString(), "--json", "--threads", "1")).get("dense");
        assertThat(d.get("pooledIou").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(d.get("meanIou").asDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(d.get("studentPositive").asDouble()).isCloseTo(0.25, within(1e-9));

        // a teacher fixed at 64×64 gives 64×64 maps, resized to the student's 32×32
        Path big = channelMap(dir.resolve("big.onnx"), 2, true, 64);
        CliTest.Result text = run("compare", "--teacher", big.toString(), "--student", greenOnly.toString(),
                "--images", images.toString(), "--threads", "1");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("pooled 0.500, mean per image 0.750", "teacher maps resized", "64×64");
    }

    @Test
    void studentsThatDoNotFitTheirTeacherAreUsageErrors() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path images = colourFolder();

        // "warm=0;cool=1" leaves blue in no group: warm, cool, other = 3 classes, but the model has 2
        Path badGroups = warmCoolStudent(dir.resolve("bad-groups.onnx"), "warm=0;cool=1");
        CliTest.Result r = run("compare", "--teacher", teacher.toString(), "--student", badGroups.toString(),
                "--images", images.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("has 2 classes", "make 3", "other").doesNotContain("\n", "\tat ");

        Path outOfRange = warmCoolStudent(dir.resolve("range.onnx"), "warm=0;cool=1-7");
        r = run("compare", "--teacher", teacher.toString(), "--student", outOfRange.toString(),
                "--images", images.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("outside the teacher's classes 0-2").doesNotContain("\n");

        Path noGroups = warmCoolStudent(dir.resolve("no-groups.onnx"), null);
        r = run("compare", "--teacher", teacher.toString(), "--student", noGroups.toString(),
                "--images", images.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("no class groups").doesNotContain("\n");

        Path plain = plainTwoClass(dir.resolve("plain.onnx"));
        r = run("compare", "--teacher", teacher.toString(), "--student", plain.toString(),
                "--images", images.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("plain.onnx is not a Distillery student", "2 classes",
                "teacher's 3").doesNotContain("\n");

        Path dense = channelMap(dir.resolve("dense.onnx"), 2, false, 32);
        r = run("compare", "--teacher", teacher.toString(), "--student", dense.toString(),
                "--images", images.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("dense map", "Classification").doesNotContain("\n");
    }

    @Test
    void missingInputsAreOneLineErrors() throws Exception {
        Path teacher = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        Path student = warmCoolStudent(dir.resolve("student.onnx"), "warm=0;cool=1-2");

        CliTest.Result r = run("compare", "--teacher", teacher.toString(), "--student", dir.resolve("nope.onnx")
                .toString(), "--images", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("nope.onnx does not exist").doesNotContain("\n");

        Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "<html>404</html>");
        r = run("compare", "--teacher", teacher.toString(), "--student", garbage.toString(), "--images",
                colourFolder().toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).contains("garbage.onnx").doesNotContain("\n", "\tat ");

        r = run("compare", "--teacher", teacher.toString(), "--student", student.toString(), "--images",
                dir.resolve("no-such-folder").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).contains("no-such-folder does not exist").doesNotContain("\n");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        r = run("compare", "--teacher", teacher.toString(), "--student", student.toString(), "--images",
                empty.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("distillery: No images").doesNotContain("\n");

        r = run("compare", "--teacher", "nothing", "--student", student.toString(), "--images", empty.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("No teacher \"nothing\"");

        r = run("compare", "--teacher", teacher.toString(), "--student", student.toString(), "--images",
                empty.toString(), "--threads", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--threads must be at least 1");
    }
}
