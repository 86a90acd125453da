package dev.distillery.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.model.Prediction;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TeacherRunner end to end on tiny ONNX models written by {@link OnnxBuilder}. */
class TeacherRunnerTest {
    static final List<String> COLOURS = List.of("red", "green", "blue");
    static final Scalar RED = new Scalar(0, 0, 255, 0);
    static final Scalar GREEN = new Scalar(0, 255, 0, 0);
    static final Scalar BLUE = new Scalar(255, 0, 0, 0);

    @TempDir
    Path dir;

    /** logits[c] = mean of input channel c over the image (GlobalAveragePool → Flatten → identity Gemm). */
    static Path colourClassifier(Path file, Object batch) throws Exception {
        return new OnnxBuilder("colours").opset(13)
                .input("image", TensorProto.DataType.FLOAT, batch, 3, 8, 8)
                .initializer("W", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3)
                .initializer("B", new float[] {0, 0, 0}, 3)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W", "B"), List.of("logits")).attr("transB", 1L)
                .output("logits", TensorProto.DataType.FLOAT, batch, 3)
                .write(file);
    }

    static TeacherProfile classifierProfile(ChannelOrder order, int batch) {
        Preprocessing p = new Preprocessing(8, 8, Layout.NCHW, order, 1 / 255.0, Preprocessing.IMAGENET_MEAN,
                Preprocessing.IMAGENET_STD, ResizeMode.STRETCH, 1, 0, batch, "float");
        return new TeacherProfile(new TaskSpec(TaskKind.CLASSIFICATION, null, 3, false, List.of(), "logits"), p,
                COLOURS);
    }

    static String top1(Prediction p) {
        return ((Prediction.Classification) p).top().get(0).label();
    }

    @Test
    void colourDecidesTheClassWhenTheChannelOrderIsRight() throws Exception {
        Path model = colourClassifier(dir.resolve("c.onnx"), "N");
        try (TeacherRunner rgb = TeacherRunner.open(model, classifierProfile(ChannelOrder.RGB, 0), 1);
             TeacherRunner bgr = TeacherRunner.open(model, classifierProfile(ChannelOrder.BGR, 0), 1);
             Mat red = new Mat(30, 40, CV_8UC3, RED);
             Mat green = new Mat(30, 40, CV_8UC3, GREEN)) {
            assertThat(rgb.threads()).isEqualTo(1);
            assertThat(rgb.outputName()).isEqualTo("logits");
            Prediction.Classification c = (Prediction.Classification) rgb.predict(red);
            assertThat(c.top()).hasSize(3);
            assertThat(c.top().get(0).label()).isEqualTo("red");
            assertThat(c.top().get(0).score()).isGreaterThan(0.9f);
            assertThat(top1(rgb.predict(green))).isEqualTo("green");
            // The same red image read as BGR lands on the model's third channel.
            assertThat(top1(bgr.predict(red))).isEqualTo("blue");
            assertThat(rgb.rawOutput(red)).hasSize(3);
            Path file = dir.resolve("red.png");
            opencv_imgcodecs.imwrite(file.toString(), red);
            assertThat(top1(rgb.predict(file))).isEqualTo("red");
        }
    }

    @Test
    void batchesKeepTheOrderOfImages() throws Exception {
        Path model = colourClassifier(dir.resolve("c.onnx"), "N");
        List<Mat> images = new ArrayList<>();
        Scalar[] colours = {RED, GREEN, BLUE};
        for (int i = 0; i < 19; i++) {
            images.add(new Mat(10 + i, 12, CV_8UC3, colours[i % 3]));
        }
        try (TeacherRunner r = TeacherRunner.open(model, classifierProfile(ChannelOrder.RGB, 0), 2)) {
            List<Prediction> out = r.predictBatch(images);
            assertThat(out).hasSize(19);
            for (int i = 0; i < 19; i++) {
                assertThat(top1(out.get(i))).as("image %d", i).isEqualTo(COLOURS.get(i % 3));
            }
        } finally {
            images.forEach(Mat::close);
        }
    }

    @Test
    void aModelFixedAtSixteenStillAnswersForOneImage() throws Exception {
        Path model = colourClassifier(dir.resolve("fixed16.onnx"), 16);
        try (TeacherRunner r = TeacherRunner.open(model, classifierProfile(ChannelOrder.RGB, 16), 1);
             Mat blue = new Mat(8, 8, CV_8UC3, BLUE)) {
            assertThat(top1(r.predict(blue))).isEqualTo("blue");
            List<Mat> many = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                many.add(new Mat(8, 8, CV_8UC3, i == 16 ? GREEN : RED));
            }
            List<Prediction> out = r.predictBatch(many);
            many.forEach(Mat::close);
            assertThat(out).hasSize(17);
            assertThat(top1(out.get(0))).isEqualTo("red");
            assertThat(top1(out.get(16))).isEqualTo("green");
            // A second single image after a full chunk: the padding is zeroed again.
            assertThat(top1(r.predict(blue))).isEqualTo("blue");
        }
    }

    @Test
    void nhwcUint8Input() throws Exception {
        Path model = new OnnxBuilder("nhwc").opset(13)
                .input("pixels", TensorProto.DataType.UINT8, "N", 8, 8, 3)
                .initializer("W", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3)
                .node("Cast", List.of("pixels"), List.of("f")).attr("to", (long) TensorProto.DataType.FLOAT.getNumber())
                .node("Transpose", List.of("f"), List.of("nchw")).attr("perm", 0L, 3L, 1L, 2L)
                .node("GlobalAveragePool", List.of("nchw"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("Gemm", List.of("flat", "W"), List.of("scores")).attr("transB", 1L)
                .output("scores", TensorProto.DataType.FLOAT, "N", 3)
                .write(dir.resolve("nhwc.onnx"));
        Preprocessing p = new Preprocessing(8, 8, Layout.NHWC, ChannelOrder.RGB, 1, Preprocessing.ZERO,
                Preprocessing.ONE, ResizeMode.LETTERBOX_CENTER, 1, 0, 0, "uint8");
        TeacherProfile profile = new TeacherProfile(new TaskSpec(TaskKind.CLASSIFICATION, null, 3, false, List.of(),
                null), p, COLOURS);
        try (TeacherRunner r = TeacherRunner.open(model, profile, 1);
             Mat green = new Mat(20, 20, CV_8UC3, GREEN)) {
            assertThat(r.rawOutput(green)).containsExactly(0f, 255f, 0f);
            assertThat(top1(r.predict(green))).isEqualTo("green");
        }
        // The profile must agree with the model's element type.
        TeacherProfile wrong = new TeacherProfile(profile.task(), new Preprocessing(8, 8, Layout.NHWC, ChannelOrder.RGB,
                1, Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float"), COLOURS);
        assertThatThrownBy(() -> TeacherRunner.open(model, wrong, 1)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("uint8").hasMessageContaining("float");
    }

    @Test
    void denseMapMirrorsBrightness() throws Exception {
        // map = sigmoid(10/3 · (r + g + b) − 5) on [0, 1] pixels: white ≈ 0.993, black ≈ 0.007.
        float k = 10f / 3;
        Path model = new OnnxBuilder("dense").opset(13)
                .input("x", TensorProto.DataType.FLOAT, "N", 3, "H", "W")
                .initializer("K", new float[] {k, k, k}, 1, 3, 1, 1)
                .initializer("b", new float[] {-5}, 1)
                .node("Conv", List.of("x", "K", "b"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("map"))
                .output("map", TensorProto.DataType.FLOAT, "N", 1, "H", "W")
                .write(dir.resolve("dense.onnx"));
        Preprocessing p = new Preprocessing(16, 16, Layout.NCHW, ChannelOrder.BGR, 1 / 255.0, Preprocessing.ZERO,
                Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float");
        TeacherProfile profile = new TeacherProfile(new TaskSpec(TaskKind.DENSE, null, 1, true, List.of(), "map"), p,
                List.of());
        try (TeacherRunner r = TeacherRunner.open(model, profile, 1);
             Mat img = new Mat(20, 40, CV_8UC3, new Scalar(0, 0, 0, 0))) {
            try (Mat left = img.apply(new Rect(0, 0, 20, 20))) {
                left.put(new Scalar(255, 255, 255, 0));
            }
            Prediction.DenseMap d = (Prediction.DenseMap) r.predict(img);
            assertThat(d.width()).isEqualTo(40);
            assertThat(d.height()).isEqualTo(20);
            for (int y = 0; y < 20; y++) {
                assertThat(d.values()[y * 40 + 2]).isGreaterThan(0.99f);
                assertThat(d.values()[y * 40 + 37]).isLessThan(0.01f);
            }
            assertThat(ResultJson.toJson(d)).contains("\"width\":40");
        }
    }

    @Test
    void missingAndBrokenModelsAreExplained() throws Exception {
        TeacherProfile profile = classifierProfile(ChannelOrder.RGB, 0);
        assertThatThrownBy(() -> TeacherRunner.open(dir.resolve("nope.onnx"), profile, 1))
                .isInstanceOf(TeacherException.class).hasMessageContaining("nope.onnx").hasMessageContaining("does not exist");
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "definitely not protobuf");
        assertThatThrownBy(() -> TeacherRunner.open(junk, profile, 1))
                .isInstanceOf(TeacherException.class).hasMessageStartingWith("Cannot load teacher junk.onnx");
        // Wrong input size for a fixed model: said when opening, with both sizes.
        Path model = colourClassifier(dir.resolve("c.onnx"), "N");
        TeacherProfile wrongSize = new TeacherProfile(profile.task(), profile.preprocessing().withSize(9, 9), COLOURS);
        assertThatThrownBy(() -> TeacherRunner.open(model, wrongSize, 1)).isInstanceOf(TeacherException.class)
                .hasMessageContaining("[?, 3, 8, 8]").hasMessageContaining("3×9×9");
    }

    @Test
    void aFixedBatchInTheModelIsHonouredEvenWhenTheProfileSaysDynamic() throws Exception {
        Path model = colourClassifier(dir.resolve("fixed4.onnx"), 4);
        List<Mat> images = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            images.add(new Mat(8, 8, CV_8UC3, i % 2 == 0 ? RED : GREEN));
        }
        try (TeacherRunner r = TeacherRunner.open(model, classifierProfile(ChannelOrder.RGB, 0), 1)) {
            assertThat(r.fixedBatch()).isEqualTo(4);
            assertThat(r.predictBatch(images)).extracting(TeacherRunnerTest::top1)
                    .containsExactly("red", "green", "red", "green", "red", "green");
        } finally {
            images.forEach(Mat::close);
        }
    }

    @Test
    void thousandsOfPredictionsDoNotLeakNativeMemory() throws Exception {
        Path model = colourClassifier(dir.resolve("c.onnx"), "N");
        try (TeacherRunner r = TeacherRunner.open(model, classifierProfile(ChannelOrder.RGB, 0), 1);
             Mat frame = new Mat(120, 160, CV_8UC3, GREEN)) {
            for (int i = 0; i < 300; i++) {
                r.predict(frame);
            }
            int runs = Integer.getInteger("distillery.leakRuns", 3000);
            long before = org.bytedeco.javacpp.Pointer.physicalBytes();
            for (int i = 0; i < runs; i++) {
                assertThat(top1(r.predict(frame))).isEqualTo("green");
            }
            long growth = org.bytedeco.javacpp.Pointer.physicalBytes() - before;
            System.out.printf("TeacherRunner: resident memory %+d KB over %d predictions%n", growth / 1024, runs);
            assertThat(growth).isLessThan(32L << 20);
        }
    }
}
