package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileInferenceTest {
    @TempDir
    Path dir;
    private int files;

    /** Writes the model to a file, reads it back and infers its profile. */
    private TeacherProfile infer(OnnxBuilder b) throws Exception {
        return ProfileInference.infer(OnnxModelReader.read(b.write(dir.resolve("m" + files++ + ".onnx"))));
    }

    private static OnnxBuilder image(Object[] inDims, String op, String output, Object... outDims) {
        return TestModels.shaped(DataType.FLOAT, inDims, op, output, outDims);
    }

    @Test
    void classifierGetsImageNetDefaults() throws Exception {
        TeacherProfile p = infer(TestModels.classifier(7, "logits", false));
        assertThat(p.task()).isEqualTo(new TaskSpec(TaskKind.CLASSIFICATION, null, 7, false, List.of(), "logits"));
        Preprocessing pre = p.preprocessing();
        assertThat(pre).isEqualTo(new Preprocessing(8, 8, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, ResizeMode.RESIZE_CENTER_CROP, 0.875, 0, 0,
                "float"));
        assertThat(p.labels()).isEmpty();
    }

    @Test
    void softmaxMeansProbabilitiesAndLogSoftmaxDoesNot() throws Exception {
        TeacherProfile soft = infer(TestModels.classifier(7, "out", true));
        assertThat(soft.task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(soft.task().outputIsProbability()).isTrue();
        TeacherProfile logSoft = infer(image(TestModels.dims("N", 3, 32, 32), "LogSoftmax", "out", "N", 256));
        assertThat(logSoft.task().kind()).isEqualTo(TaskKind.CLASSIFICATION); // 256 would be an embedding otherwise
        assertThat(logSoft.task().outputIsProbability()).isFalse();
    }

    @Test
    void rankTwoOutputsChooseBetweenClassesAndEmbeddings() throws Exception {
        Object[] in = TestModels.dims("N", 3, 64, 64);
        assertThat(infer(image(in, "Identity", "embedding", "N", 7)).task().kind()).isEqualTo(TaskKind.EMBEDDING);
        assertThat(infer(image(in, "Identity", "y", "N", 128)).task())
                .isEqualTo(new TaskSpec(TaskKind.EMBEDDING, null, 128, false, List.of(), "y"));
        assertThat(infer(image(in, "Identity", "y", "N", 1000)).task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(infer(image(in, "Identity", "class_scores", "N", 512)).task().kind())
                .isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(infer(image(in, "Identity", "y", "N", 100)).task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(infer(image(in, "Identity", "y", "N", 37)).task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        // 128 outputs but 128 labels: a classifier.
        OnnxBuilder labelled = image(in, "Identity", "y", "N", 128)
                .metadata("labels", String.join(",", java.util.Collections.nCopies(128, "x")));
        assertThat(infer(labelled).task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
    }

    @Test
    void embeddingsGetClassificationPreprocessingAndDynamicSize224() throws Exception {
        TeacherProfile p = infer(image(TestModels.dims("N", 3, "H", "W"), "Identity", "features", "N", 512));
        assertThat(p.task().kind()).isEqualTo(TaskKind.EMBEDDING);
        assertThat(p.task().numClasses()).isEqualTo(512);
        assertThat(p.preprocessing().width()).isEqualTo(224);
        assertThat(p.preprocessing().height()).isEqualTo(224);
        assertThat(p.preprocessing().resize()).isEqualTo(ResizeMode.RESIZE_CENTER_CROP);
    }

    @Test
    void yoloxGridRowsAreDetectedFromTheInputSize() throws Exception {
        // 64×64: (8·8) + (4·4) + (2·2) = 84 cells, 5 + 3 values each.
        TeacherProfile p = infer(image(TestModels.dims(1, 3, 64, 64), "Identity", "output", 1, 84, 8));
        assertThat(p.task()).isEqualTo(new TaskSpec(TaskKind.DETECTION, DetectionLayout.ROWS_GRID, 3, true,
                List.of(8, 16, 32), "output"));
        assertThat(p.preprocessing()).isEqualTo(new Preprocessing(64, 64, Layout.NCHW, ChannelOrder.BGR, 1,
                Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.LETTERBOX_TOP_LEFT, 1.0, 114, 1, "float"));
    }

    @Test
    void yoloV5RowsAreDecodedRows() throws Exception {
        // Three anchors per cell: 3 · 84 = 252 rows.
        TeacherProfile p = infer(image(TestModels.dims(1, 3, 64, 64), "Identity", "output", 1, 252, 85));
        assertThat(p.task().detectionLayout()).isEqualTo(DetectionLayout.ROWS_DECODED);
        assertThat(p.task().numClasses()).isEqualTo(80);
        assertThat(p.preprocessing().channelOrder()).isEqualTo(ChannelOrder.RGB);
        assertThat(p.preprocessing().scale()).isEqualTo(1 / 255.0);
        assertThat(p.preprocessing().resize()).isEqualTo(ResizeMode.LETTERBOX_CENTER);
        assertThat(p.preprocessing().padValue()).isEqualTo(114);
        // Rows that match no grid are still rows.
        assertThat(infer(image(TestModels.dims(1, 3, 64, 64), "Identity", "o", 1, 100, 7)).task().detectionLayout())
                .isEqualTo(DetectionLayout.ROWS_DECODED);
    }

    @Test
    void yoloV8ColumnsWithDynamicSizeDefaultTo640() throws Exception {
        TeacherProfile p = infer(image(TestModels.dims("N", 3, "H", "W"), "Identity", "output0", 1, 84, 8400));
        assertThat(p.task()).isEqualTo(new TaskSpec(TaskKind.DETECTION, DetectionLayout.COLUMNS, 80, true, List.of(),
                "output0"));
        assertThat(p.preprocessing()).isEqualTo(new Preprocessing(640, 640, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
                Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.LETTERBOX_CENTER, 1.0, 114, 0, "float"));
    }

    @Test
    void denseMapsKnowWhetherTheyAreProbabilities() throws Exception {
        TeacherProfile sigmoid = infer(image(TestModels.dims("N", 3, "H", "W"), "Sigmoid", "maps", "N", 1, "H", "W"));
        assertThat(sigmoid.task()).isEqualTo(new TaskSpec(TaskKind.DENSE, null, 1, true, List.of(), "maps"));
        assertThat(sigmoid.preprocessing()).isEqualTo(new Preprocessing(640, 640, Layout.NCHW, ChannelOrder.BGR,
                1 / 255.0, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, ResizeMode.STRETCH, 1.0, 0, 0,
                "float"));
        TeacherProfile raw = infer(image(TestModels.dims(1, 3, 96, 128), "Identity", "maps", 1, 2, 96, 128));
        assertThat(raw.task().kind()).isEqualTo(TaskKind.DENSE);
        assertThat(raw.task().numClasses()).isEqualTo(2);
        assertThat(raw.task().outputIsProbability()).isFalse();
        assertThat(raw.preprocessing().width()).isEqualTo(128);
        assertThat(raw.preprocessing().height()).isEqualTo(96);
    }

    @Test
    void otherShapesAreUnknown() throws Exception {
        TeacherProfile p = infer(image(TestModels.dims(1, 3, 32, 32), "Identity", "y", 1, 16, 32, 32));
        assertThat(p.task().kind()).isEqualTo(TaskKind.UNKNOWN);
        assertThat(p.task().outputName()).isEqualTo("y");
        assertThat(infer(image(TestModels.dims(1, 3, 32, 32), "Identity", "y", 2, 3, 4, 5, 6)).task().kind())
                .isEqualTo(TaskKind.UNKNOWN);
    }

    @Test
    void fixedBatchIsKept() throws Exception {
        TeacherProfile p = infer(image(TestModels.dims(16, 3, 32, 32), "Identity", "logits", 16, 10));
        assertThat(p.preprocessing().batchSize()).isEqualTo(16);
        assertThat(p.task().numClasses()).isEqualTo(10);
    }

    @Test
    void nhwcUint8InputsAreFedRawPixels() throws Exception {
        TeacherProfile p = infer(TestModels.shaped(DataType.UINT8, TestModels.dims(1, 300, 200, 3), "Identity",
                "probabilities", 1, 1001));
        Preprocessing pre = p.preprocessing();
        assertThat(pre.layout()).isEqualTo(Layout.NHWC);
        assertThat(pre.width()).isEqualTo(200);
        assertThat(pre.height()).isEqualTo(300);
        assertThat(pre.elementType()).isEqualTo("uint8");
        assertThat(pre.scale()).isEqualTo(1.0);
        assertThat(pre.mean()).isEqualTo(Preprocessing.ZERO);
        assertThat(pre.std()).isEqualTo(Preprocessing.ONE);
        assertThat(pre.batchSize()).isEqualTo(1);
        assertThat(p.task().numClasses()).isEqualTo(1001);
    }

    @Test
    void labelsComeFromMetadataInEveryStyle() throws Exception {
        Object[] in = TestModels.dims("N", 3, 32, 32);
        assertThat(infer(image(in, "Identity", "y", "N", 3).metadata("labels", "cat, dog ,bird")).labels())
                .containsExactly("cat", "dog", "bird");
        assertThat(infer(image(in, "Identity", "y", "N", 3).metadata("labels", "red apple\ngreen, pear\nplum\n"))
                .labels()).containsExactly("red apple", "green, pear", "plum");
        assertThat(infer(image(in, "Identity", "y", "N", 3).metadata("classes", "[\"a\", \"b\", \"c\"]")).labels())
                .containsExactly("a", "b", "c");
        TeacherProfile yolo = infer(image(TestModels.dims(1, 3, 64, 64), "Identity", "output0", 1, 7, 8400)
                .metadata("names", "{0: 'person', 1: 'bicycle', 2: \"people's car\"}"));
        assertThat(yolo.labels()).containsExactly("person", "bicycle", "people's car");
        assertThat(yolo.task().numClasses()).isEqualTo(3);
        assertThat(yolo.label(1)).isEqualTo("bicycle");
    }

    @Test
    void labelParsingEdgeCases() {
        assertThat(MetadataLabels.parse("{0: 'a', 2: 'c'}")).containsExactly("a", "class 1", "c");
        assertThat(MetadataLabels.parse("{\"1\": \"b\", \"0\": \"a\"}")).containsExactly("a", "b");
        assertThat(MetadataLabels.parse("  ")).isEmpty();
        assertThat(MetadataLabels.from(java.util.Map.of("Labels", "x,y"))).containsExactly("x", "y");
        assertThat(MetadataLabels.from(java.util.Map.of("author", "me"))).isEmpty();
    }

    @Test
    void metadataOverridesPreprocessing() throws Exception {
        OnnxBuilder b = TestModels.classifier(5, "logits", false)
                .metadata("mean", "[0.5, 0.5, 0.5]").metadata("std", "0.25").metadata("scale", "1/127.5")
                .metadata("channel_order", "bgr").metadata("resize", "stretch").metadata("pad", "0");
        Preprocessing p = infer(b).preprocessing();
        assertThat(p.mean()).containsExactly(0.5, 0.5, 0.5);
        assertThat(p.std()).containsExactly(0.25, 0.25, 0.25);
        assertThat(p.scale()).isEqualTo(1 / 127.5);
        assertThat(p.channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(p.resize()).isEqualTo(ResizeMode.STRETCH);

        Preprocessing pixels = infer(TestModels.classifier(5, "logits", false)
                .metadata("mean", "123.675 116.28 103.53").metadata("std", "58.395,57.12,57.375")).preprocessing();
        assertThat(pixels.scale()).isEqualTo(1.0);
        assertThat(pixels.mean()).containsExactly(123.675, 116.28, 103.53);

        Preprocessing junk = infer(TestModels.classifier(5, "logits", false)
                .metadata("mean", "lots").metadata("scale", "huge").metadata("channel_order", "CMYK")).preprocessing();
        assertThat(junk.mean()).isEqualTo(Preprocessing.IMAGENET_MEAN);
        assertThat(junk.scale()).isEqualTo(1 / 255.0);
        assertThat(junk.channelOrder()).isEqualTo(ChannelOrder.RGB);
    }

    @Test
    void noImageInputIsAnError() {
        assertThatThrownBy(() -> infer(image(TestModels.dims("N", 10), "Relu", "y", "N", 10)))
                .isInstanceOf(TeacherException.class).hasMessageContaining("[N, 3, H, W] or [N, H, W, 3]");
    }
}
