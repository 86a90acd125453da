package dev.distillery.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distillery.core.DataDirectory;
import dev.distillery.store.Database;
import dev.distillery.teacher.eval.Evaluator;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Prediction;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real teachers in ../shared, through the app's own import and inference (nothing hand-set):
 * skipped with a message when ../shared/teachers is absent.
 */
class SharedTeachersTest {
    static final Path SHARED = Path.of(System.getProperty("distillery.shared", "../shared"));
    @TempDir
    static Path tmp;
    static Database db;
    static TeacherService service;

    @BeforeAll
    static void open() {
        assumeTrue(Files.isDirectory(SHARED.resolve("teachers")), SHARED.resolve("teachers") + " not found: skipping the real-teacher tests");
        DataDirectory dir = DataDirectory.open(tmp.resolve("data"));
        db = Database.open(dir.databaseBase());
        service = new TeacherService(dir, db, () -> 2);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void mobileNetV2IsAClassifierWithImageNetPreprocessingAndTop1Over80() {
        var t = service.importFile(SHARED.resolve("teachers/mobilenetv2-12-int8_imagenet1k.onnx"), null, null).teacher();
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(t.profile().task().numClasses()).isEqualTo(1000);
        Preprocessing p = t.profile().preprocessing();
        assertThat(p.width()).isEqualTo(224);
        assertThat(p.height()).isEqualTo(224);
        assertThat(p.channelOrder()).isEqualTo(Preprocessing.ChannelOrder.RGB);
        assertThat(p.resize()).isEqualTo(Preprocessing.ResizeMode.RESIZE_CENTER_CROP);
        assertThat(p.mean()).isEqualTo(Preprocessing.IMAGENET_MEAN);
        assertThat(p.std()).isEqualTo(Preprocessing.IMAGENET_STD);
        Evaluator.Result r = service.evaluate(t, SHARED.resolve("images/imagenet_sample_1000"),
                SHARED.resolve("labels/imagenet1k_index_wnid_name.tsv"), null, null);
        System.out.println("MobileNetV2 on imagenet_sample_1000: " + r.summary() + " in " + r.seconds() + " s");
        assertThat(r.scored()).isEqualTo(1000);
        assertThat(r.top1()).isGreaterThanOrEqualTo(0.80);
        assertThat(service.evaluation(service.get(t.id()).orElseThrow())).isPresent();
    }

    @Test
    void yoloxNanoFindsTheBusAndThreePeople() {
        var t = service.importFile(SHARED.resolve("teachers/yolox_nano_coco_416.onnx"), null, null).teacher();
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.DETECTION);
        assertThat(t.profile().task().detectionLayout()).isEqualTo(DetectionLayout.ROWS_GRID);
        assertThat(t.profile().task().numClasses()).isEqualTo(80);
        t = service.attachLabels(t, SHARED.resolve("labels/coco80.names"));
        var d = (Prediction.Detections) service.tryOn(t, SHARED.resolve("images/yolo_demo/bus.jpg"));
        System.out.println("YOLOX-Nano on bus.jpg: " + d.boxes());
        assertThat(d.boxes()).anyMatch(b -> b.label().equals("bus"));
        assertThat(d.boxes().stream().filter(b -> b.label().equals("person") && b.score() >= 0.3).count())
                .isGreaterThanOrEqualTo(3);
    }
}
