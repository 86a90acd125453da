package dev.distillery.ui;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.distill.data.TextSceneGenerator;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.TeacherService;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Distill screen driven as a user would: the wizard checks class groups as they are typed; a real run of the
 * built-in text-direction teacher into cls-tiny on generated lines trains with live charts, pauses and resumes,
 * and ends Completed with its report; a second run is cancelled.
 */
class DistillViewTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
        TeacherService teachers = fx.app.window().context().teachers();
        var entry = teachers.catalog().stream().filter(e -> e.id().equals("ppocr-mobile-v2-cls")).findFirst()
                .orElseThrow();
        teachers.importCatalog(entry, null, null);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    /** Like {@link ShellFixture#await} with room for training on busy cores. */
    void awaitLong(String what, Supplier<Boolean> condition) {
        ShellFixture.await(what, 150, condition);
    }

    String text(String query) {
        return fx.exists(query) ? fx.find(query, Label.class).getText() : "";
    }

    Button button(String query) {
        return fx.find(query, Button.class);
    }

    void next(int toStep) {
        fx.await("Next enabled", () -> fx.exists("#wizard-next") && !button("#wizard-next").isDisabled());
        fx.clickWhenVisible("#wizard-next");
        fx.await("step " + toStep, () -> text("#wizard-step").startsWith("Step " + toStep + " of 5"));
    }

    void openWizardWithTeacher() {
        fx.robot.clickOn("#nav-distill");
        fx.await("New run button", () -> fx.exists("#distill-new-run"));
        fx.clickWhenVisible("#distill-new-run");
        fx.await("teacher chosen", () -> fx.exists("#wizard-teacher")
                && fx.find("#wizard-teacher", ComboBox.class).getValue() != null);
    }

    @Test
    void classGroupsAreCheckedAsTheyAreTyped() throws Exception {
        var ctx = fx.app.window().context();
        var few = new DatasetBuilder(ctx.session().database().datasets(), ctx.session().dataDirectory().datasets())
                .addGeneratedLines(new TextSceneGenerator(3), 8).build("few lines");
        fx.robot.clickOn("#nav-distill");
        fx.await("empty state", () -> text("#empty-title").equals("No distillation runs yet"));
        // the library has a teacher: the next step says to use it, not to import one first
        fx.await("the next step read", () -> text("#empty-next").contains("New run and pick your teacher"));
        assertThat(text("#empty-next")).doesNotContain("import").doesNotContain("none yet");

        fx.frame();
        openWizardWithTeacher();
        next(2);
        fx.await("dataset chosen", () -> fx.find("#wizard-dataset", ComboBox.class).getValue() != null);
        next(3);
        fx.clickWhenVisible("#wizard-grouped");
        fx.clickWhenVisible("#wizard-groups");
        fx.robot.write("upright=0-5");
        fx.await("range error", () -> fx.find("#wizard-groups-result", Label.class).getStyleClass().contains("error-text"));
        assertThat(text("#wizard-groups-result")).contains("outside");
        assertThat(button("#wizard-next").isDisabled()).isTrue();

        TextArea groups = fx.find("#wizard-groups", TextArea.class);
        fx.robot.interact(groups::clear);
        fx.robot.write("up right=0\n");
        fx.await("groups accepted", () -> !fx.find("#wizard-groups-result", Label.class).getStyleClass()
                .contains("error-text"));
        assertThat(text("#wizard-groups-result")).isEqualTo("2 student classes: up right (1 teacher class), other (1 teacher class)");
        assertThat(button("#wizard-next").isDisabled()).isFalse();
        fx.snap("distill-wizard");

        fx.robot.interact(() -> button("#wizard-next").requestFocus());
        fx.robot.push(KeyCode.ESCAPE);
        fx.await("wizard closed", () -> !fx.exists("#wizard"));
        assertThat(ctx.distill().runs().list()).isEmpty();

        // A run whose process died shows Resume; resuming makes it live again here (then it is cancelled).
        long teacherId = ctx.teachers().list().get(0).id();
        long id = ctx.distill().create(new dev.distillery.distill.DistillService.Request("interrupted one", teacherId,
                few.id(), List.of(), "cls-tiny", 0, 0, dev.distillery.distill.Distiller.Settings.defaults(
                        StudentTask.CLASSIFICATION).withBudget(120, 1000).withPatience(0), null, false));
        ctx.distill().runs().finish(id, RunRow.INTERRUPTED, "Interrupted at epoch 0", null);
        var view = (dev.distillery.ui.distill.DistillView) fx.app.window().view(Screen.DISTILL);
        fx.robot.interact(() -> view.refresh(id));
        fx.await("interrupted page", () -> text("#run-status").equals("Interrupted") && fx.exists("#run-resume"));
        fx.clickWhenVisible("#run-resume");
        awaitLong("live again", () -> fx.exists("#run-cancel") && text("#run-status").equals("Running"));
        fx.clickWhenVisible("#run-cancel");
        fx.clickWhenVisible("#cancel-confirm");
        awaitLong("cancelled", () -> text("#run-status").equals("Cancelled"));
        assertThat(ctx.distill().runs().find(id).orElseThrow().status()).isEqualTo(RunRow.CANCELLED);

        aDetectionTeacherIsOfferedWithItsClassesAndDetectorPresets();
    }

    /** A detection teacher is offered with its classes, the detector summary of its groups and detector presets. */
    void aDetectionTeacherIsOfferedWithItsClassesAndDetectorPresets() throws Exception {
        var ctx = fx.app.window().context();
        var det = ctx.teachers().importFile(dev.distillery.testing.TinyModels.detector(dir.resolve("det.onnx")),
                null, null).teacher();
        fx.clickWhenVisible("#distill-new-run");
        fx.await("teacher chosen", () -> fx.exists("#wizard-teacher")
                && fx.find("#wizard-teacher", ComboBox.class).getValue() != null);
        ComboBox<?> teacher = fx.find("#wizard-teacher", ComboBox.class);
        fx.robot.interact(() -> selectTeacher(teacher, det.id()));
        fx.await("detector described", () -> fx.find("#wizard-teacher-info", Label.class).getText()
                .startsWith("Object detector with 3 classes"));
        assertThat(fx.find("#wizard-teacher-info", Label.class).getText()).doesNotContain("Cannot be distilled");
        next(2);
        fx.await("dataset chosen", () -> fx.find("#wizard-dataset", ComboBox.class).getValue() != null);
        next(3);
        fx.clickWhenVisible("#wizard-grouped");
        fx.clickWhenVisible("#wizard-groups");
        fx.robot.write("ball=2");
        fx.await("groups accepted", () -> text("#wizard-groups-result").startsWith("1 class to find"));
        assertThat(text("#wizard-groups-result"))
                .isEqualTo("1 class to find: ball (1 teacher class); boxes of the other 2 classes are dropped");
        next(4);
        @SuppressWarnings("unchecked")
        ListView<dev.distillery.distill.StudentSpec> presets = fx.find("#wizard-presets", ListView.class);
        fx.await("detector presets", () -> !presets.getItems().isEmpty());
        assertThat(presets.getItems()).extracting(dev.distillery.distill.StudentSpec::name)
                .containsExactly("det-tiny", "det-small", "det-base");
        assertThat(presets.getItems()).allSatisfy(p -> assertThat(p.outputs()).isEqualTo(1));
        // as distill without --preset: the presets are timed against a share of the teacher's own time here
        fx.await("the teacher timed", () -> text("#wizard-budget").contains("% of det's"));
        assertThat(text("#wizard-budget")).containsPattern("a budget of [0-9.]+ ms \\(20 % of det's [0-9.]+ ms here\\)");
        next(5);
        // a detector trains its whole budget: the epoch limit is the task's, not the classifiers' 200
        @SuppressWarnings("unchecked")
        javafx.scene.control.Spinner<Integer> epochs = fx.find("#wizard-epochs", javafx.scene.control.Spinner.class);
        assertThat(epochs.getValue()).isEqualTo(dev.distillery.distill.Distiller.Settings.defaults(
                dev.distillery.distill.StudentTask.DETECTION).maxEpochs()).isGreaterThan(200);
        fx.robot.interact(() -> button("#wizard-next").requestFocus());
        fx.robot.push(KeyCode.ESCAPE);
        fx.await("wizard closed", () -> !fx.exists("#wizard"));
    }

    @SuppressWarnings("unchecked")
    private static void selectTeacher(ComboBox<?> box, long id) {
        ComboBox<dev.distillery.teacher.library.Teacher> c = (ComboBox<dev.distillery.teacher.library.Teacher>) box;
        c.getItems().stream().filter(t -> t.id() == id).findFirst().ifPresent(c::setValue);
    }

    @Test
    void aRunTrainsLivePausesResumesCompletesAndAnotherIsCancelled() throws Exception {
        fx.frame();
        openWizardWithTeacher();
        next(2);
        // no dataset was built before: the data step starts on building one, not on "a dataset built before"
        javafx.scene.control.RadioButton existing = fx.find("#wizard-data-existing",
                javafx.scene.control.RadioButton.class);
        fx.await("a build source chosen", () -> !existing.isSelected() && existing.isDisabled());
        assertThat(button("#wizard-build").isDisabled()).isFalse();
        // Data: 120 generated text lines, built inside the wizard.
        fx.clickWhenVisible("#wizard-data-generated");
        @SuppressWarnings("unchecked")
        Spinner<Integer> count = fx.find("#wizard-generated-count", Spinner.class);
        // for a screenshot, more lines: slower epochs, so the shot catches the run training
        fx.robot.interact(() -> count.getValueFactory().setValue(ShellFixture.SHOTS == null ? 120 : 600));
        fx.clickWhenVisible("#wizard-build");
        awaitLong("dataset built", () -> text("#wizard-build-result").startsWith("Built"));
        assertThat(text("#wizard-build-result")).matches(".*\\d+ train · \\d+ val · 0 unreadable.*");
        // the new dataset is selected and previewed
        dev.distillery.ui.common.ThumbnailStrip strip = fx.find("#wizard-thumbnails",
                dev.distillery.ui.common.ThumbnailStrip.class);
        fx.await("thumbnails", () -> strip.getChildren().size() == 10);
        next(3);
        next(4);
        @SuppressWarnings("unchecked")
        ListView<dev.distillery.distill.StudentSpec> presets = fx.find("#wizard-presets", ListView.class);
        assertThat(presets.getItems()).extracting(dev.distillery.distill.StudentSpec::name).allMatch(n -> n.startsWith("cls-"));
        fx.robot.interact(() -> presets.getItems().stream().filter(s -> s.name().equals("cls-tiny")).findFirst()
                .ifPresent(s -> presets.getSelectionModel().select(s)));
        next(5);
        @SuppressWarnings("unchecked")
        Spinner<Double> minutes = fx.find("#wizard-minutes", Spinner.class);
        // 18 s of training; for a screenshot, long enough to catch it mid-run
        fx.robot.interact(() -> minutes.getValueFactory().setValue(ShellFixture.SHOTS == null ? 0.3 : 1.5));
        fx.clickWhenVisible("#wizard-finish");

        // The live page: a chart point per finished epoch, then pause and resume.
        awaitLong("live run page", () -> fx.exists("#run-pause"));
        awaitLong("first epoch on the chart", () -> fx.exists("#run-chart-metric")
                && !fx.find("#run-chart-metric", LineChart.class).getData().isEmpty()
                && !((javafx.scene.chart.XYChart.Series<?, ?>) fx.find("#run-chart-metric", LineChart.class)
                .getData().get(0)).getData().isEmpty());
        assertThat(text("#run-status")).isEqualTo("Running");
        if (ShellFixture.SHOTS != null) {
            awaitLong("three epochs on the chart", () -> ((javafx.scene.chart.XYChart.Series<?, ?>) fx.find(
                    "#run-chart-metric", LineChart.class).getData().get(0)).getData().size() >= 3);
            fx.snap("distill-run");
        }
        fx.clickWhenVisible("#run-pause");
        fx.await("paused", () -> text("#run-status").equals("Paused"));
        assertThat(button("#run-pause").getText()).isEqualTo("Resume");
        fx.await("phase says paused", () -> text("#run-phase").startsWith("Paused"));
        fx.clickWhenVisible("#run-pause");
        fx.await("running again", () -> text("#run-status").equals("Running"));
        assertThat(button("#run-pause").getText()).isEqualTo("Pause");

        awaitLong("completed with a report", () -> text("#run-status").equals("Completed") && fx.exists("#run-report"));
        assertThat(text("#report-metric")).contains("%").contains("images");
        assertThat(text("#report-student-bytes")).matches("[0-9.]+ (KB|B|MB)");
        // the stat beside it is the kept model's figure, the report's own (not the highest of any epoch)
        var runs = fx.app.window().context().distill().runs().list();
        var report = dev.distillery.teacher.library.Json.read(runs.get(0).reportJson(),
                dev.distillery.distill.DistillReport.class);
        fx.await("the kept figure", () -> text("#run-best").equals(
                String.format(java.util.Locale.ROOT, "%.3f", report.valMetric())));
        // The finished run's page comes from the database: stored epochs as charts.
        var stored = (javafx.scene.chart.XYChart.Series<?, ?>) fx.find("#run-chart-loss", LineChart.class).getData().get(0);
        assertThat(stored.getData()).isNotEmpty();
        // Submit opens the submit dialog on this student; with no network (the devnet is off in tests) it says so
        assertThat(button("#run-submit").isDisabled()).isFalse();
        fx.clickWhenVisible("#run-submit");
        fx.await("the submit dialog", () -> fx.exists("#submit-preview")
                && text("#submit-preview").startsWith("Not connected to a network"));
        fx.robot.interact(() -> button("#submit-close").fire());
        assertThat(button("#run-save-as").isDisabled()).isFalse();
        List<RunRow> rows = fx.app.window().context().distill().runs().list();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).status()).isEqualTo(RunRow.COMPLETED);

        // A second run on the same data, cancelled while it runs.
        fx.clickWhenVisible("#distill-new-run");
        fx.await("teacher chosen", () -> fx.exists("#wizard-teacher")
                && fx.find("#wizard-teacher", ComboBox.class).getValue() != null);
        next(2);
        fx.await("dataset chosen", () -> fx.find("#wizard-dataset", ComboBox.class).getValue() != null);
        assertThat(fx.find("#wizard-data-existing", javafx.scene.control.RadioButton.class).isSelected())
                .as("with a dataset built before, it is the default").isTrue();
        next(3);
        next(4);
        next(5);
        fx.clickWhenVisible("#wizard-finish");
        // left alone, the Student step picks the biggest preset that fits the latency budget on this CPU
        awaitLong("second run page", () -> fx.exists("#run-cancel") && text("#run-name").contains("cls-")
                && fx.app.window().context().distill().runs().list().size() == 2);
        fx.clickWhenVisible("#run-cancel");
        fx.clickWhenVisible("#cancel-confirm");
        awaitLong("cancelled", () -> text("#run-status").equals("Cancelled"));
        assertThat(fx.app.window().context().distill().runs().list().get(0).status()).isEqualTo(RunRow.CANCELLED);
        assertThat(fx.exists("#run-report")).isFalse();

        // Deleting the cancelled run asks first, then leaves the completed one.
        fx.clickWhenVisible("#run-delete");
        fx.clickWhenVisible("Delete");
        fx.await("one run left", () -> fx.app.window().context().distill().runs().list().size() == 1
                && text("#run-status").equals("Completed"));
    }
}
