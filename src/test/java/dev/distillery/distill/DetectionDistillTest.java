package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.distill.data.Dataset;
import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.distill.data.SyntheticData;
import dev.distillery.distill.target.ClassGroups;
import dev.distillery.distill.target.Target;
import dev.distillery.distill.train.Augmenter;
import dev.distillery.distill.train.Image8;
import dev.distillery.metrics.BoxMatching;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection distillation end to end: teacher boxes mapped into the student's input, boxes moved with augmented
 * views, a run from a detection teacher to an exported detector that the app reads back and compare measures with
 * the figure the run reported; and the requests that cannot work, refused before any work.
 *
 * <p>The teacher here is a detector made by this project (a randomly initialised detector student, exported): it
 * is a real ONNX detector in YOLOv8's layout whose boxes depend on the image, so the whole path runs without the
 * shared teachers. With {@code ../shared/teachers} present, YOLOX-Nano is distilled too.
 */
class DetectionDistillTest {
    static final Path SHARED = Path.of(System.getProperty("distillery.shared", "../shared"));

    @TempDir
    Path tmp;
    dev.distillery.testing.DistillFixture fixture;

    @BeforeEach
    void open() {
        fixture = dev.distillery.testing.DistillFixture.open(tmp.resolve("data"));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void teacherBoxesLandInTheStudentsLetterboxedInput() {
        // a YOLOv8-layout teacher at 640 (centre letterbox) with 3 classes; the student at 320
        Preprocessing tp = new Preprocessing(640, 640, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB,
                1 / 255.0, Preprocessing.ZERO, Preprocessing.ONE, Preprocessing.ResizeMode.LETTERBOX_CENTER, 1, 114, 0,
                "float");
        Preprocessing sp = tp.withSize(320, 320);
        TaskSpec task = new TaskSpec(TaskKind.DETECTION, DetectionLayout.COLUMNS, 3, true, List.of(), "out");
        ClassGroups groups = ClassGroups.parse(List.of("ball=2"), List.of("person", "car", "ball"), 3);
        Target.Boxes target = new Target.Boxes(groups, task, tp, sp, 0.25f);
        assertThat(target.outputs()).isEqualTo(1);
        assertThat(target.names()).containsExactly("ball");
        int n = 2;
        float[] raw = new float[(4 + 3) * n];
        // box 0: a ball centred at (320, 320) in the teacher's input, 64×32; box 1: a person (dropped)
        float[][] rows = {{320, 320, 64, 32, 0, 0, 0.9f}, {100, 100, 50, 50, 0.8f, 0, 0}};
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < 7; k++) {
                raw[k * n + a] = rows[a][k];
            }
        }
        // a 1280×640 image: the teacher scales by 0.5 (pad 160 above and below), the student by 0.25 (pad 80)
        List<BoxMatching.Box> boxes = target.teacherBoxes(raw, 1280, 640);
        assertThat(boxes).hasSize(1);
        BoxMatching.Box b = boxes.get(0);
        assertThat(b.classIndex()).isZero();
        assertThat(b.x1()).isCloseTo(144f, Offset.offset(0.01f));
        assertThat(b.x2()).isCloseTo(176f, Offset.offset(0.01f));
        assertThat(b.y1()).isCloseTo(152f, Offset.offset(0.01f));
        assertThat(b.y2()).isCloseTo(168f, Offset.offset(0.01f));
    }

    @Test
    void liveComparesAGroupedDetectorWithItsTeacherThroughItsGroups() {
        Preprocessing p = new Preprocessing(256, 256, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB,
                1 / 255.0, Preprocessing.ZERO, Preprocessing.ONE, Preprocessing.ResizeMode.LETTERBOX_CENTER, 1, 114, 0,
                "float");
        var teacher = new dev.distillery.model.TeacherProfile(new TaskSpec(TaskKind.DETECTION, DetectionLayout.COLUMNS,
                3, true, List.of(), "out"), p, List.of("person", "car", "ball"));
        var student = new dev.distillery.model.TeacherProfile(new TaskSpec(TaskKind.DETECTION, DetectionLayout.COLUMNS,
                1, true, List.of(), "logits"), p, List.of("ball"));
        String groups = ClassGroups.parse(List.of("ball=2"), teacher.labels(), 3).encode();
        var setup = StudentComparison.liveSetup(List.of(Map.of(), Map.of(StudentMetadata.GROUPS, groups)),
                List.of(teacher, student));
        assertThat(setup.teacher()).isZero();
        assertThat(setup.mapping().studentClassOf(2)).isZero();
        assertThat(setup.mapping().names().get(setup.mapping().studentClassOf(0))).isEqualTo("other");
    }

    @Test
    void boxesMoveWithTheAugmentedView() {
        int w = 96;
        int h = 64;
        byte[] px = new byte[w * h];
        BoxMatching.Box box = new BoxMatching.Box(20, 10, 44, 40, 0, 1f);
        for (int y = 10; y < 40; y++) {
            for (int x = 20; x < 44; x++) {
                px[y * w + x] = (byte) 255;
            }
        }
        Image8 img = new Image8(w, h, 1, px);
        Augmenter aug = new Augmenter(5, true, 0.3, 0.12);
        int flips = 0;
        for (int i = 0; i < 12; i++) {
            Augmenter.Draw d = aug.draw(1, i);
            flips += d.flip() ? 1 : 0;
            byte[] out = Augmenter.applyGeometry(img, d).data();
            int x1 = w;
            int y1 = h;
            int x2 = 0;
            int y2 = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if ((out[y * w + x] & 0xff) >= 128) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x + 1);
                        y2 = Math.max(y2, y + 1);
                    }
                }
            }
            List<BoxMatching.Box> moved = Augmenter.applyToBoxes(List.of(box), d, w, h);
            if (x2 <= x1) {
                assertThat(moved).as("draw %s", d).isEmpty();
                continue;
            }
            assertThat(moved).as("draw %s", d).hasSize(1);
            BoxMatching.Box m = moved.get(0);
            assertThat(new float[] {m.x1(), m.y1(), m.x2(), m.y2()}).as("draw %s", d)
                    .containsExactly(new float[] {x1, y1, x2, y2}, Offset.offset(1.5f));
        }
        assertThat(flips).isPositive();
    }

    /** A detection teacher made here ({@link dev.distillery.testing.TinyModels#detector}). */
    private Teacher fixtureTeacher() throws Exception {
        Teacher t = fixture.teachers().importFile(dev.distillery.testing.TinyModels.detector(tmp.resolve("teacher-det.onnx")),
                null, null).teacher();
        assertThat(t.profile().task().kind()).isEqualTo(TaskKind.DETECTION);
        return t;
    }

    private Dataset scenes(int count, int valPercent) {
        Path images = tmp.resolve("scenes");
        SyntheticData.write(SyntheticData.Kind.SCENES, count, 9, 256, images);
        return new DatasetBuilder(fixture.db().datasets(), fixture.dir().datasets()).addFolder(images).valPercent(valPercent)
                .build("scenes");
    }

    @Test
    void aDetectorDistilsExportsAndComparesWithTheSameFigure() throws Exception {
        Teacher teacher = fixtureTeacher();
        Dataset data = scenes(6, 0);
        Distiller.Settings d = Distiller.Settings.defaults(StudentTask.DETECTION);
        Distiller.Settings settings = new Distiller.Settings(d.mode(), 3, d.learningRate(), d.weightDecay(),
                d.temperature(), d.ceWeight(), 60, 0, 0, false, 42, 2);
        Path out = tmp.resolve("out/det.onnx");
        long id = fixture.service().create(new DistillService.Request(null, teacher.id(), data.id(), List.of("ball=2", "car=1"),
                "det-tiny", 0, 0, settings, out.toString(), false));
        DistillService.Result result = fixture.service().run(id, null, new RunControl());
        DistillReport r = result.report();
        System.out.println("fixture detector: " + Json.write(r));
        assertThat(r.metricName()).isEqualTo("mAP@0.5");
        assertThat(r.detection()).isNotNull();
        assertThat(r.detection().perClass()).extracting(DistillReport.ClassAp::name).containsAnyOf("ball", "car");
        assertThat(r.detection().teacherBoxesPerFrame()).isPositive();
        // 60 epochs on the six images it validates on: it has learnt the teacher's boxes by heart
        assertThat(r.detection().map50()).isGreaterThan(0.5);
        assertThat(r.valMetric()).isEqualTo(r.detection().map50());
        assertThat(r.parityMaxAbsDiff()).isLessThanOrEqualTo(OnnxExporter.DETECTOR_PARITY_TOLERANCE);
        assertThat(fixture.db().runs().find(id).orElseThrow().status()).isEqualTo(RunRow.COMPLETED);

        // the student is a detector anywhere in the app: its classes are the groups, in YOLOv8's layout
        Teacher asTeacher = fixture.teachers().importFile(out, null, null).teacher();
        assertThat(asTeacher.profile().task().kind()).isEqualTo(TaskKind.DETECTION);
        assertThat(asTeacher.profile().task().detectionLayout()).isEqualTo(DetectionLayout.COLUMNS);
        assertThat(asTeacher.profile().labels()).containsExactly("ball", "car");
        assertThat(asTeacher.profile().preprocessing().resize()).isEqualTo(Preprocessing.ResizeMode.LETTERBOX_CENTER);

        // compare on the same images gives the figure the run reported
        StudentComparison.Result c = StudentComparison.compare(fixture.teachers().fileOf(teacher), teacher.name(),
                teacher.profile(), out, tmp.resolve("scenes"), StudentComparison.Options.defaults(2), null, null);
        assertThat(c.kind()).isEqualTo("DETECTOR");
        assertThat(c.detection().map50()).isCloseTo(r.detection().map50(), Offset.offset(0.02));
        assertThat(c.detection().classes()).containsExactly("ball", "car");
        String json = Json.write(c);
        assertThat(Json.mapper().readTree(json).at("/detection/map50").isNumber()).isTrue();
        assertThat(Json.mapper().readTree(json).at("/detection/map50_95").isNumber()).isTrue();
        assertThat(Json.mapper().readTree(json).at("/ratios/latency").isNumber()).isTrue();
    }

    @Test
    void detectionRequestsThatCannotWorkAreRefusedBeforeTraining() throws Exception {
        Teacher teacher = fixtureTeacher();
        Dataset data = scenes(6, 0);
        Distiller.Settings s = Distiller.Settings.defaults(StudentTask.DETECTION);
        assertThatThrownBy(() -> fixture.service().create(new DistillService.Request(null, teacher.id(), data.id(),
                List.of("dog=/dog/"), "det-tiny", 0, 0, s, null, false))).hasMessageContaining("matches no teacher class");
        assertThatThrownBy(() -> fixture.service().create(new DistillService.Request(null, teacher.id(), data.id(),
                List.of("ball=2"), "cls-tiny", 0, 0, s, null, false))).hasMessageContaining("det-*");
        assertThat(fixture.db().runs().list()).isEmpty();
    }

    @Test
    void yoloxNanoDistilsIntoAPersonDetector() throws Exception {
        Path yolox = SHARED.resolve("teachers/yolox_nano_coco_416.onnx");
        Path images = SHARED.resolve("images/yolo_demo");
        assumeTrue(Files.isRegularFile(yolox) && Files.isDirectory(images),
                yolox + " not found: skipping the YOLOX-Nano distillation");
        Teacher teacher = fixture.teachers().importFile(yolox, null, null).teacher();
        Dataset data = new DatasetBuilder(fixture.db().datasets(), fixture.dir().datasets()).addFolder(images).valPercent(0)
                .build("yolo demo");
        Distiller.Settings d = Distiller.Settings.defaults(StudentTask.DETECTION);
        Distiller.Settings settings = new Distiller.Settings(d.mode(), 3, d.learningRate(), d.weightDecay(),
                d.temperature(), d.ceWeight(), 60, 0, 0, false, 42, 2);
        long id = fixture.service().create(new DistillService.Request(null, teacher.id(), data.id(), List.of("person=0"),
                "det-tiny", 0, 0, settings, null, true));
        DistillReport r = fixture.service().run(id, null, new RunControl()).report();
        System.out.println("YOLOX-Nano → person: " + Json.write(r));
        // six photos learnt by heart: the student finds the teacher's people on them
        assertThat(r.detection().map50()).isGreaterThan(0.5);
        assertThat(r.studentP50Ms()).isLessThan(r.teacherP50Ms());
        assertThat(r.int8()).isNotNull();
        assertThat(r.int8().bytes()).isLessThan(r.studentBytes() / 2);
        assertThat(Path.of(r.int8().path())).exists();
        // a clip where the teacher finds nobody is refused with a reason
        Path empty = tmp.resolve("empty");
        SyntheticData.write(SyntheticData.Kind.SCENES, 4, 1, 256, empty);
        Dataset none = new DatasetBuilder(fixture.db().datasets(), fixture.dir().datasets()).addFolder(empty).build("no people");
        long id2 = fixture.service().create(new DistillService.Request(null, teacher.id(), none.id(), List.of("person=0"),
                "det-tiny", 0, 0, settings, null, false));
        assertThatThrownBy(() -> fixture.service().run(id2, null, new RunControl())).hasMessageContaining("found no person");
        assertThat(Map.of("status", fixture.db().runs().find(id2).orElseThrow().status())).containsEntry("status",
                RunRow.FAILED);
    }
}
