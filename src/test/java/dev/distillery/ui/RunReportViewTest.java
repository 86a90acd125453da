package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.distill.DistillReport;
import dev.distillery.store.RunRow;
import dev.distillery.store.RunStore;
import dev.distillery.teacher.library.Json;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finished run's report card tells a student that only answers the majority class from one that learnt:
 * baseline, balanced agreement, kappa, per-class recall and a FAILED mark with what to try next.
 */
class RunReportViewTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    String text(String query) {
        return fx.exists(query) ? fx.find(query, Label.class).getText() : "";
    }

    long storedRun(String name, DistillReport.Classification c, double agreement) {
        RunStore runs = fx.app.window().context().distill().runs();
        long id = runs.create(name, "ab".repeat(32), "text direction", null, "cls-tiny", "{}",
                dir.resolve("runs/{id}").toString());
        DistillReport r = new DistillReport("text direction", 600_000, 150_000, 2.5,
                dir.resolve("runs/student.onnx").toString(), "cls-tiny", 64, 32, 40_000, 9_000, 0.3, 2, "agreement",
                agreement, null, 100, 5, 4, "epoch limit", 60, 200, 1e-6, null, c);
        runs.report(id, r.studentPath(), Json.write(r));
        runs.finish(id, RunRow.COMPLETED, "Done", null);
        return id;
    }

    void open(long id) {
        fx.robot.clickOn("#nav-distill");
        fx.clickWhenVisible("#run-item-" + id);
        fx.await("report card", () -> fx.exists("#run-report") && fx.exists("#report-verdict"));
    }

    @Test
    void aMajorityOnlyStudentIsMarkedFailedWithItsKappaAndWhatToTry() throws Exception {
        // 90 of 100 validation images are "0": always answering "0" agrees 90 % of the time
        DistillReport.Classification majorityOnly = new DistillReport.Classification("0", 0.9, 0.5, 0.0,
                List.of(new DistillReport.ClassRecall("0", 90, 1.0), new DistillReport.ClassRecall("180", 10, 0.0)),
                "FAILED", "Agreement 0.900 is no better than always answering the most frequent class "
                + "(baseline 0.900).", dev.distillery.metrics.Verdict.ADVICE);
        long id = storedRun("majority only", majorityOnly, 0.9);
        open(id);
        fx.snap("distill-report-failed");
        assertThat(text("#report-metric")).startsWith("90.0 %");
        assertThat(text("#report-baseline")).startsWith("90.0 %").contains("“0”");
        assertThat(text("#report-balanced")).startsWith("50.0 %");
        assertThat(text("#report-kappa")).startsWith("0.000");
        assertThat(text("#report-per-class")).isEqualTo("0 100.0 % of 90 · 180 0.0 % of 10");
        assertThat(text("#report-verdict")).startsWith("FAILED").contains("baseline 0.900", "--minutes",
                "cls-small/cls-base");
        assertThat(fx.exists("#report-failed")).isTrue();
        assertThat(text("#report-failed")).isEqualTo("FAILED");
        assertThat(text("#run-balanced")).isEqualTo("0.500 · 0.000");
    }

    @Test
    void aStudentThatLearntPassesWithoutTheMark() {
        DistillReport.Classification learnt = new DistillReport.Classification("0", 0.6, 0.93, 0.86,
                List.of(new DistillReport.ClassRecall("0", 60, 0.95), new DistillReport.ClassRecall("180", 40, 0.9)),
                "PASSED", "", "");
        long id = storedRun("learnt", learnt, 0.93);
        open(id);
        assertThat(text("#report-verdict")).startsWith("PASSED");
        assertThat(text("#report-kappa")).startsWith("0.860");
        assertThat(fx.exists("#report-failed")).isFalse();
        // one clock and one count: the card shows the report's training time and finished epochs
        assertThat(text("#run-epoch")).isEqualTo("5");
        assertThat(text("#run-elapsed")).isEqualTo("1 min 00 s");
    }
}
