package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherProfile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real teachers: the two in the shared folder and PaddleOCR's text detector from the class path. */
class RealTeachersTest {
    private static Path teacher(String file) {
        Path dir = Path.of(System.getProperty("distillery.shared", "../shared")).resolve("teachers");
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + ": shared/teachers not found: skipping");
        Path model = dir.resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(model), model + " not found: skipping");
        return model;
    }

    private static OnnxModel readVetted(Path file) {
        OnnxModel model = OnnxModelReader.read(file);
        ModelVetter.vet(model, file);
        OrtLoadCheck.verify(file);
        System.out.println(file.getFileName() + ": " + model.info());
        return model;
    }

    @Test
    void mobileNetV2Int8IsAnImageNetClassifier() {
        OnnxModel model = readVetted(teacher("mobilenetv2-12-int8_imagenet1k.onnx"));
        TeacherProfile profile = ProfileInference.infer(model);
        System.out.println("mobilenet profile: " + profile);
        assertThat(profile.task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(profile.task().numClasses()).isEqualTo(1000);
        Preprocessing p = profile.preprocessing();
        assertThat(p.width()).isEqualTo(224);
        assertThat(p.height()).isEqualTo(224);
        assertThat(p.layout()).isEqualTo(Layout.NCHW);
        assertThat(p.channelOrder()).isEqualTo(ChannelOrder.RGB);
        assertThat(p.resize()).isEqualTo(ResizeMode.RESIZE_CENTER_CROP);
        assertThat(p.mean()).isEqualTo(Preprocessing.IMAGENET_MEAN);
        assertThat(p.std()).isEqualTo(Preprocessing.IMAGENET_STD);
        assertThat(model.info().parameterCount()).isEqualTo(3_524_064L); // int8 weights, biases, scales, zero points
        assertThat(model.info().operatorHistogram()).containsKey("QLinearConv");
    }

    @Test
    void yoloxNanoIsAGridDetector() {
        OnnxModel model = readVetted(teacher("yolox_nano_coco_416.onnx"));
        assertThat(model.info().outputs().get(0).dims()).containsExactly(1L, 3549L, 85L);
        TeacherProfile profile = ProfileInference.infer(model);
        System.out.println("yolox profile: " + profile);
        assertThat(profile.task().kind()).isEqualTo(TaskKind.DETECTION);
        assertThat(profile.task().detectionLayout()).isEqualTo(DetectionLayout.ROWS_GRID);
        assertThat(profile.task().numClasses()).isEqualTo(80);
        assertThat(profile.task().strides()).containsExactly(8, 16, 32);
        Preprocessing p = profile.preprocessing();
        assertThat(p.width()).isEqualTo(416);
        assertThat(p.height()).isEqualTo(416);
        assertThat(p.channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(p.resize()).isEqualTo(ResizeMode.LETTERBOX_TOP_LEFT);
        assertThat(p.padValue()).isEqualTo(114);
        assertThat(p.scale()).isEqualTo(1.0);
        assertThat(model.info().parameterCount()).isEqualTo(904_481L);
    }

    @Test
    void paddleOcrDetectorIsAProbabilityMap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ch_PP-OCRv4_det_infer.onnx");
        try (InputStream in = RealTeachersTest.class.getResourceAsStream("/models/ch_PP-OCRv4_det_infer.onnx")) {
            Assumptions.assumeTrue(in != null, "PaddleOCR models jar not on the class path: skipping");
            Files.copy(in, file);
        }
        OnnxModel model = readVetted(file);
        TeacherProfile profile = ProfileInference.infer(model);
        System.out.println("paddle profile: " + profile + ", producer of output: "
                + model.producerOpType(model.info().outputs().get(0).name()));
        assertThat(profile.task().kind()).isEqualTo(TaskKind.DENSE);
        assertThat(profile.task().numClasses()).isEqualTo(1);
        assertThat(profile.task().outputIsProbability()).isTrue();
        assertThat(profile.preprocessing().channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(profile.preprocessing().resize()).isEqualTo(ResizeMode.STRETCH);
        // Its weights are Constant nodes, not initializers: the parameter count must include them.
        long inInitializers = model.proto().getGraph().getInitializerList().stream()
                .mapToLong(t -> t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y)).sum();
        System.out.println("paddle: " + model.proto().getGraph().getInitializerCount() + " initializers holding "
                + inInitializers + " elements; parameter count " + model.info().parameterCount());
        assertThat(model.info().operatorHistogram()).containsKey("Constant");
        assertThat(inInitializers).isZero();
        assertThat(model.info().parameterCount()).isEqualTo(1_171_841L);
    }
}
