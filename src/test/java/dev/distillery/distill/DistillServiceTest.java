package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.distillery.core.DataDirectory;
import dev.distillery.distill.data.Dataset;
import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.distill.data.TextSceneGenerator;
import dev.distillery.store.Database;
import dev.distillery.store.EpochRow;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distillation end to end on the built-in PaddleOCR text-direction classifier (ships in a Maven jar, so always
 * available) and generated text lines, with a CI-sized budget: the student must agree with the teacher well
 * above chance, be small, export with parity, and leave its run, epochs and report in H2.
 */
class DistillServiceTest {
    @TempDir
    Path tmp;
    DataDirectory dir;
    Database db;
    TeacherService teachers;
    DistillService service;

    @BeforeEach
    void open() {
        dir = DataDirectory.open(tmp.resolve("data"));
        db = Database.open(dir.databaseBase());
        teachers = new TeacherService(dir, db, () -> 2);
        service = new DistillService(dir, db, teachers);
    }

    @AfterEach
    void close() {
        db.close();
    }

    Teacher builtin(String id) {
        var entry = teachers.catalog().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
        return teachers.importCatalog(entry, null, null).teacher();
    }

    @Test
    void directionClassifierDistilsIntoATinyStudent() throws Exception {
        Teacher teacher = builtin("ppocr-mobile-v2-cls");
        Dataset data = new DatasetBuilder(db.datasets(), dir.datasets())
                .addGeneratedLines(new TextSceneGenerator(11), 700).valPercent(15).build("lines");
        Distiller.Settings settings = Distiller.Settings.defaults(StudentTask.CLASSIFICATION).withBudget(40, 100);
        Path out = tmp.resolve("out/direction.onnx");
        long id = service.create(new DistillService.Request(null, teacher.id(), data.id(), List.of(), "cls-tiny", 0, 0,
                settings, out.toString(), true));
        List<Distiller.EpochInfo> epochs = new ArrayList<>();
        List<Distiller.StepInfo> steps = new ArrayList<>();
        DistillService.Result result = service.run(id, new Distiller.Listener() {
            @Override
            public void step(Distiller.StepInfo s) {
                steps.add(s);
            }

            @Override
            public void epoch(Distiller.EpochInfo e) {
                epochs.add(e);
            }
        }, new RunControl());

        DistillReport r = result.report();
        System.out.println("direction: " + r);
        assertThat(r.inputWidth()).isEqualTo(192);
        assertThat(r.inputHeight()).isEqualTo(48);
        assertThat(r.valMetric()).isGreaterThanOrEqualTo(0.7);
        assertThat(r.studentBytes()).isLessThanOrEqualTo(200_000);
        assertThat(r.parityMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(Path.of(r.studentPath())).isEqualTo(out.toAbsolutePath()).exists();
        assertThat(r.int8()).isNotNull();
        assertThat(r.int8().bytes()).isLessThan(r.studentBytes() / 2);
        assertThat(r.int8().valMetric()).isGreaterThanOrEqualTo(r.valMetric() - 0.1);
        assertThat(Path.of(r.int8().path())).exists().hasFileName("direction-int8.onnx");
        assertThat(steps).isNotEmpty();
        assertThat(steps.get(steps.size() - 1).learningRate()).isLessThan(steps.get(0).learningRate() * 10);
        assertThat(epochs).isNotEmpty();

        RunRow row = db.runs().find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(RunRow.COMPLETED);
        assertThat(row.reportJson()).contains("\"valMetric\"");
        List<EpochRow> stored = db.runs().epochs(id);
        assertThat(stored).hasSize(epochs.size());
        assertThat(stored.get(stored.size() - 1).valMetric()).isBetween(0.0, 1.0);

        // The student runs anywhere: its metadata names its classes and preprocessing.
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString())) {
            var meta = s.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry(StudentMetadata.TEACHER_SHA, teacher.sha256())
                    .containsEntry(StudentMetadata.TARGET, "classes").containsKey("mean");
        }
        var asTeacher = teachers.importFile(out, null, null).teacher();
        assertThat(asTeacher.profile().preprocessing().width()).isEqualTo(192);
        assertThat(asTeacher.profile().task().numClasses()).isEqualTo(2);
    }

    @Test
    void requestsThatCannotWorkAreRefusedWithAReason() {
        Teacher teacher = builtin("ppocr-mobile-v2-cls");
        Dataset data;
        data = new DatasetBuilder(db.datasets(), dir.datasets()).addGeneratedLines(new TextSceneGenerator(1), 8)
                .build("few");
        Distiller.Settings s = Distiller.Settings.defaults(StudentTask.CLASSIFICATION);
        assertThatThrownBy(() -> service.create(new DistillService.Request(null, teacher.id(), data.id(), List.of(),
                "dense-tiny", 0, 0, s, null, false))).hasMessageContaining("cls-");
        assertThatThrownBy(() -> service.create(new DistillService.Request(null, teacher.id(), data.id(),
                List.of("up=0-5"), "cls-tiny", 0, 0, s, null, false))).hasMessageContaining("outside");
        assertThatThrownBy(() -> service.create(new DistillService.Request(null, 999, data.id(), List.of(),
                "cls-tiny", 0, 0, s, null, false))).hasMessageContaining("not in the library");
        assertThat(db.runs().list()).isEmpty();
    }
}
