package dev.distillery.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.core.DataDirectory;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.testing.TinyModels;
import dev.distillery.store.Database;
import dev.distillery.model.Prediction;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Teachers feature end to end on models the test writes: import, profile, run, refuse bad input. */
class TeacherServiceTest {
    @TempDir
    Path tmp;
    DataDirectory dir;
    Database db;
    TeacherService service;

    @BeforeEach
    void open() {
        dir = DataDirectory.open(tmp.resolve("data"));
        db = Database.open(dir.databaseBase());
        service = new TeacherService(dir, db, () -> 1);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Path colourClassifier(Path file) throws Exception {
        return TinyModels.colourClassifier(file);
    }

    @Test
    void importsProfilesAndRunsAClassifier() throws Exception {
        Path model = colourClassifier(tmp.resolve("colours.onnx"));
        var outcome = service.importFile(model, null, null);
        assertThat(outcome.alreadyPresent()).isFalse();
        var t = outcome.teacher();
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(t.profile().labels()).containsExactly("red", "green", "blue");
        assertThat(service.fileOf(t)).exists().hasFileName(t.sha256() + ".onnx");

        Path red = tmp.resolve("red.png");
        try (Mat m = new Mat(40, 60, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(20, 20, 230, 0))) {
            opencv_imgcodecs.imwrite(red.toString(), m); // BGR: a red picture
        }
        Prediction p = service.tryOn(t, red);
        assertThat(p).isInstanceOf(Prediction.Classification.class);
        assertThat(((Prediction.Classification) p).top().get(0).label()).isEqualTo("red");

        var again = service.importFile(model, null, null);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(again.teacher().id()).isEqualTo(t.id());
        assertThat(service.list()).hasSize(1);
    }

    @Test
    void editedProfileIsStoredAndUsed() throws Exception {
        var t = service.importFile(colourClassifier(tmp.resolve("c.onnx")), null, null).teacher();
        var p = t.profile();
        var swapped = new dev.distillery.model.TeacherProfile(p.task(), new dev.distillery.model.Preprocessing(
                p.preprocessing().width(), p.preprocessing().height(), p.preprocessing().layout(),
                dev.distillery.model.Preprocessing.ChannelOrder.BGR, p.preprocessing().scale(),
                p.preprocessing().mean(), p.preprocessing().std(), p.preprocessing().resize(),
                p.preprocessing().cropFraction(), p.preprocessing().padValue(), p.preprocessing().batchSize(),
                p.preprocessing().elementType()), p.labels());
        var saved = service.saveProfile(t, swapped);
        assertThat(service.get(t.id()).orElseThrow().profile().preprocessing().channelOrder())
                .isEqualTo(dev.distillery.model.Preprocessing.ChannelOrder.BGR);
        Path red = tmp.resolve("red.png");
        try (Mat m = new Mat(8, 8, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(20, 20, 230, 0))) {
            opencv_imgcodecs.imwrite(red.toString(), m);
        }
        // With the channels swapped the red picture reads as blue: the stored profile is what runs.
        assertThat(((Prediction.Classification) service.tryOn(saved, red)).top().get(0).label()).isEqualTo("blue");
    }

    @Test
    void badFilesAreRefusedClearlyAndLeaveNothingBehind() throws Exception {
        byte[] good = Files.readAllBytes(colourClassifier(tmp.resolve("good.onnx")));
        byte[] random = new byte[4096];
        new Random(3).nextBytes(random);
        Files.createDirectories(tmp.resolve("in"));
        Path external = new OnnxBuilder("ext").input("image", TensorProto.DataType.FLOAT, "N", 3, 8, 8)
                .externalInitializer("W", "../../secret.bin", 0, 36, 3, 3)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("flat")).attr("axis", 1L)
                .node("MatMul", List.of("flat", "W"), List.of("out"))
                .output("out", TensorProto.DataType.FLOAT, "N", 3).write(tmp.resolve("in/external.onnx"));
        Path noImage = new OnnxBuilder("tabular").input("x", TensorProto.DataType.FLOAT, "N", 10)
                .node("Relu", List.of("x"), List.of("y")).output("y", TensorProto.DataType.FLOAT, "N", 10)
                .write(tmp.resolve("in/tabular.onnx"));
        Path unknownOp = new OnnxBuilder("odd").input("image", TensorProto.DataType.FLOAT, "N", 3, 8, 8)
                .node("TotallyUnknownOp", List.of("image"), List.of("y"))
                .output("y", TensorProto.DataType.FLOAT, "N", 3, 8, 8).write(tmp.resolve("in/odd.onnx"));
        Object[][] cases = {
            {Files.write(tmp.resolve("in/empty.onnx"), new byte[0]), "empty"},
            {Files.write(tmp.resolve("in/random.onnx"), random), "not an ONNX model"},
            {Files.write(tmp.resolve("in/truncated.onnx"), Arrays.copyOf(good, good.length / 2)), "truncated"},
            {external, "outside"},
            {noImage, "image"},
            {unknownOp, "TotallyUnknownOp"},
        };
        for (Object[] c : cases) {
            Path file = (Path) c[0];
            assertThatThrownBy(() -> service.importFile(file, null, null))
                    .as(file.getFileName().toString())
                    .isInstanceOf(TeacherException.class)
                    .hasMessageContaining((String) c[1]);
        }
        assertThat(service.list()).as("nothing registered").isEmpty();
        try (Stream<Path> s = Files.walk(dir.models())) {
            assertThat(s.filter(Files::isRegularFile).toList()).as("no file left in the library").isEmpty();
        }
    }

    @Test
    void catalogBuiltinDetectorImportsOfflineAsADenseTeacher() {
        var entry = service.catalog().stream().filter(e -> e.isBuiltin() && e.name().contains("v4")
                && e.name().toLowerCase(java.util.Locale.ROOT).contains("det")).findFirst().orElseThrow();
        var t = service.importCatalog(entry, null, null).teacher();
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.DENSE);
        assertThat(t.info().parameterCount()).isGreaterThan(1_000_000);
        service.delete(t);
        assertThat(service.list()).isEmpty();
        assertThat(service.fileOf(t)).doesNotExist();
    }

    @Test
    void builtinTextDetectorCoversTextTheTestRenders() {
        var entry = service.catalog().stream().filter(e -> e.isBuiltin() && e.name().contains("v4")
                && e.name().toLowerCase(java.util.Locale.ROOT).contains("det")).findFirst().orElseThrow();
        var t = service.importCatalog(entry, null, null).teacher();
        Path page = tmp.resolve("page.png");
        List<org.bytedeco.opencv.opencv_core.Rect> words = new java.util.ArrayList<>();
        try (Mat m = new Mat(600, 800, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(245, 245, 245, 0))) {
            String[][] lines = {{"DISTILL", "TEACHER"}, {"STUDENT", "MODEL"}};
            int y = 170;
            for (String[] line : lines) {
                int x = 60;
                for (String w : line) {
                    int[] base = new int[1];
                    var size = org.bytedeco.opencv.global.opencv_imgproc.getTextSize(w,
                            org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX, 2.2, 5, base);
                    org.bytedeco.opencv.global.opencv_imgproc.putText(m, w, new org.bytedeco.opencv.opencv_core.Point(x, y),
                            org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX, 2.2, new Scalar(20, 20, 20, 0), 5,
                            org.bytedeco.opencv.global.opencv_imgproc.LINE_AA, false);
                    words.add(new org.bytedeco.opencv.opencv_core.Rect(x, y - size.height(), size.width(), size.height()));
                    x += size.width() + 50;
                }
                y += 180;
            }
            opencv_imgcodecs.imwrite(page.toString(), m);
        }
        var map = (Prediction.DenseMap) service.tryOn(t, page);
        assertThat(map.width()).isEqualTo(800);
        assertThat(map.height()).isEqualTo(600);
        // The detector marks the middle band of each text line: measure the middle third of each word.
        double inside = 0;
        int n = 0;
        for (var r : words) {
            for (int yy = r.y() + r.height() / 3; yy < r.y() + 2 * r.height() / 3; yy++) {
                for (int xx = r.x(); xx < r.x() + r.width(); xx++) {
                    inside += map.values()[yy * 800 + xx];
                    n++;
                }
            }
        }
        double far = 0;
        int m = 0;
        for (int yy = 540; yy < 600; yy++) {
            for (int xx = 0; xx < 800; xx++) {
                far += map.values()[yy * 800 + xx];
                m++;
            }
        }
        System.out.printf("PP-OCRv4 det via the app's profile: mean %.3f inside text, %.4f far from it%n", inside / n, far / m);
        assertThat(inside / n).isGreaterThan(0.5);
        assertThat(far / m).isLessThan(0.1);
    }
}
