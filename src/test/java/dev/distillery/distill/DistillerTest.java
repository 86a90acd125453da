package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.DataDirectory;
import dev.distillery.distill.data.Dataset;
import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.store.Database;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop's promises on a tiny teacher written by code (mean colour → red/green/blue): a seed makes a
 * run repeatable, consistent mode works, cancel stops and keeps the best weights, unreadable files are skipped.
 */
class DistillerTest {
    @TempDir
    Path tmp;
    DataDirectory dir;
    Database db;
    TeacherService teachers;
    DistillService service;
    Teacher teacher;
    Dataset data;

    @BeforeEach
    void open() throws Exception {
        dir = DataDirectory.open(tmp.resolve("data"));
        db = Database.open(dir.databaseBase());
        teachers = new TeacherService(dir, db, () -> 1);
        service = new DistillService(dir, db, teachers);
        teacher = teachers.importFile(TinyModels.colourClassifier(tmp.resolve("colours.onnx")), null, null).teacher();
        Path images = tmp.resolve("images");
        Files.createDirectories(images);
        Random r = new Random(5);
        for (int i = 0; i < 96; i++) {
            try (Mat m = new Mat(40, 40, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                    new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0))) {
                opencv_imgcodecs.imwrite(images.resolve("c" + i + ".png").toString(), m);
            }
        }
        Files.writeString(images.resolve("broken.png"), "not an image");
        data = new DatasetBuilder(db.datasets(), dir.datasets()).addFolder(images).valPercent(20).build("colours");
    }

    @AfterEach
    void close() {
        db.close();
    }

    DistillService.Request request(Distiller.Settings s) {
        return new DistillService.Request(null, teacher.id(), data.id(), List.of(), "cls-tiny", 32, 32, s, null,
                false);
    }

    static Distiller.Settings settings(int epochs) {
        return Distiller.Settings.defaults(StudentTask.CLASSIFICATION).withBudget(0, epochs).withBatch(16)
                .withPatience(0);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        List<Double> a = losses(service.run(service.create(request(settings(3))), null, new RunControl()));
        List<Double> b = losses(service.run(service.create(request(settings(3))), null, new RunControl()));
        List<Double> c = losses(service.run(service.create(request(settings(3).withSeed(7))), null,
                new RunControl()));
        assertThat(a).hasSize(3).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    static List<Double> losses(DistillService.Result r) {
        return r.outcome().history().stream().map(Distiller.EpochInfo::trainLoss).toList();
    }

    @Test
    void consistentModeLabelsEveryAugmentedViewAndLearns() {
        DistillService.Result r = service.run(service.create(request(settings(6)
                .withMode(Distiller.Mode.CONSISTENT))), null, new RunControl());
        assertThat(r.outcome().unreadable()).isEqualTo(0); // the broken file never made it into the dataset
        assertThat(r.report().valMetric()).isGreaterThan(0.5);
        assertThat(r.outcome().history()).hasSize(6);
        // the report's honest companions are measured on the same validation images as valMetric
        DistillReport.Classification c = r.report().classification();
        assertThat(c).isNotNull();
        long images = c.perClass().stream().mapToLong(DistillReport.ClassRecall::count).sum();
        assertThat(images).isEqualTo(r.report().valImages());
        double agreed = c.perClass().stream().filter(x -> x.recall() != null).mapToDouble(x -> x.recall() * x.count())
                .sum();
        assertThat(agreed / images).isCloseTo(r.report().valMetric(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.verdict()).isIn("PASSED", "FAILED");
        assertThat(c.failed()).isEqualTo(c.verdict().equals("FAILED"));
        assertThat(r.outcome().history()).allSatisfy(e -> {
            assertThat(e.valBalanced()).isBetween(0.0, 1.0);
            assertThat(e.valBaseline()).isBetween(0.0, 1.0);
            assertThat(e.valKappa()).isNotNull();
        });
    }

    @Test
    void cancelStopsWithinAStepAndKeepsTheBestWeights() {
        long id = service.create(request(settings(50)));
        RunControl control = new RunControl();
        List<Integer> epochs = new ArrayList<>();
        DistillService.Result r = service.run(id, new Distiller.Listener() {
            @Override
            public void epoch(Distiller.EpochInfo e) {
                epochs.add(e.epoch());
                if (e.epoch() == 2) {
                    control.cancel();
                }
            }
        }, control);
        assertThat(r.outcome().stop()).isEqualTo(Distiller.Stop.CANCELLED);
        assertThat(r.outcome().epochs()).isEqualTo(2);
        assertThat(r.report()).isNull();
        RunRow row = db.runs().find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(RunRow.CANCELLED);
        assertThat(Distiller.bestWeights(Path.of(row.runDir()))).exists();
        assertThat(db.runs().epochs(id)).hasSize(2);
        assertThat(row.bestMetric()).isEqualTo(r.outcome().history().stream().filter(Distiller.EpochInfo::best)
                .reduce((a, b) -> b).orElseThrow().valMetric());

        // the kept weights export later, with the same parity check and a report
        DistillReport report = service.export(id, null);
        assertThat(Path.of(report.studentPath())).exists();
        assertThat(report.parityMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(db.runs().find(id).orElseThrow().reportJson()).contains("valMetric");

        service.delete(id);
        assertThat(db.runs().find(id)).isEmpty();
        assertThat(Path.of(row.runDir())).doesNotExist();
    }

    @Test
    void pauseHoldsTheRunUntilResumed() throws Exception {
        long id = service.create(request(settings(4)));
        RunControl control = new RunControl();
        List<Distiller.StepInfo> steps = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> service.run(id, new Distiller.Listener() {
            @Override
            public void step(Distiller.StepInfo s) {
                if (steps.isEmpty()) {
                    control.pause(); // the loop stops before its next step
                }
                steps.add(s);
            }
        }, control));
        t.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (steps.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(steps).hasSize(1);
        Thread.sleep(2000);
        assertThat(steps).hasSize(1);
        assertThat(t.isAlive()).isTrue();
        assertThat(control.isPaused()).isTrue();
        control.resume();
        t.join(120_000);
        assertThat(steps.size()).isGreaterThan(1);
        assertThat(db.runs().find(id).orElseThrow().status()).isEqualTo(RunRow.COMPLETED);
    }

    /** The tolerance within which a classifier's later epoch replaces the best: one standard error of a rate. */
    @Test
    void aLaterEpochIsKeptWithinOneStandardErrorOfTheBest() {
        assertThat(Distiller.oneStandardError(0.9, 50)).isCloseTo(0.0424, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(Distiller.oneStandardError(0.9, 500)).isLessThan(Distiller.oneStandardError(0.9, 50));
        assertThat(Distiller.oneStandardError(1.0, 50)).as("a perfect score leaves no room").isZero();
        assertThat(Distiller.oneStandardError(0.5, 0)).as("no validation images").isZero();
    }
}
