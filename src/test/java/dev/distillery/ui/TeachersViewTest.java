package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.model.TaskKind;
import dev.distillery.testing.TinyModels;
import dev.distillery.ui.teachers.TeachersView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TabPane;
import javafx.scene.layout.VBox;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Teachers screen driven as a user would: import, look, try, benchmark, refuse, delete. */
class TeachersViewTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
        fx.robot.clickOn("#nav-teachers");
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    TeachersView view() {
        return (TeachersView) fx.app.window().view(Screen.TEACHERS);
    }

    @Test
    void importTryBenchmarkAndDelete() throws Exception {
        assertThat(fx.find("#empty-title", Label.class).getText()).isEqualTo("No teachers yet");
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        fx.robot.interact(() -> view().importFiles(List.of(model)));
        fx.await("teacher card", () -> fx.exists("#teacher-card-1"));
        fx.await("detail", () -> fx.exists("#detail-name"));
        assertThat(fx.find("#detail-name", Label.class).getText()).isEqualTo("colours");
        fx.await("overview values", () -> fx.exists("#detail-inputs"));
        Label inputs = fx.find("#detail-inputs", Label.class);
        assertThat(inputs.getText()).isEqualTo("image  float [N, 3, 32, 32]");
        // Readable: a value label must not inherit a light text colour on the white card.
        assertThat(((javafx.scene.paint.Color) inputs.getTextFill()).getBrightness()).isLessThan(0.5);

        Path red = dir.resolve("red.png");
        try (Mat m = new Mat(60, 90, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(20, 20, 230, 0))) {
            opencv_imgcodecs.imwrite(red.toString(), m);
        }
        fx.robot.interact(() -> view().tryOn(red));
        fx.await("prediction bars", () -> fx.exists("#prediction-bars")
                && !fx.find("#prediction-bars", VBox.class).getChildren().isEmpty());
        VBox bars = fx.find("#prediction-bars", VBox.class);
        Label first = (Label) ((javafx.scene.layout.HBox) bars.getChildren().get(0)).getChildren().get(0);
        assertThat(first.getText()).isEqualTo("red");

        fx.clickWhenVisible("#teacher-bench");
        fx.await("benchmark stored", () -> fx.exists("#teacher-speed-1")
                && fx.find("#teacher-speed-1", Label.class).getText().startsWith("p50"));

        fx.clickWhenVisible("#teacher-delete");
        fx.await("confirmation", () -> fx.exists("#delete-dialog"));
        fx.clickWhenVisible("Delete");
        fx.await("empty again", () -> fx.exists("#empty-title")
                && fx.find("#empty-title", Label.class).getText().equals("No teachers yet"));
        try (var s = Files.walk(fx.session.dataDirectory().models())) {
            assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    /** What a closed combo box shows: the text of its button cell. */
    static String shownIn(ComboBox<?> c) {
        return c.getChildrenUnmodifiable().stream().filter(n -> n instanceof ListCell<?>)
                .map(n -> ((ListCell<?>) n).getText()).findFirst().orElse(null);
    }

    @Test
    void preprocessingShowsNamesAndOnlyTheSettingsOfTheTask() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        fx.robot.interact(() -> view().importFiles(List.of(model)));
        fx.await("detail", () -> fx.exists("#detail-name"));
        TabPane tabs = fx.find("#teacher-detail .tab-pane", TabPane.class);
        fx.robot.interact(() -> tabs.getSelectionModel().select(tabs.getTabs().stream()
                .filter(t -> "tab-preprocessing".equals(t.getId())).findFirst().orElseThrow()));
        fx.await("the editor", () -> fx.exists("#edit-task"));

        // words, not constants: in the closed box and in its list
        fx.await("the task shown", () -> "Classification".equals(shownIn(fx.find("#edit-task", ComboBox.class))));
        @SuppressWarnings("unchecked")
        ComboBox<Object> resize = fx.find("#edit-resize", ComboBox.class);
        fx.robot.interact(resize::show);
        javafx.scene.Node list = ((javafx.scene.control.skin.ComboBoxListViewSkin<?>) resize.getSkin())
                .getPopupContent();
        java.util.function.Supplier<List<String>> cells = () -> list.lookupAll(".list-cell").stream()
                .map(n -> ((ListCell<?>) n).getText()).filter(t -> t != null && !t.isEmpty()).toList();
        fx.await("the resize list", () -> cells.get().size() >= 4);
        List<String> shown = cells.get();
        fx.robot.interact(resize::hide);
        assertThat(shown).contains("Resize, then centre crop", "Stretch to the input size")
                .noneMatch(t -> t.contains("_") || t.equals(t.toUpperCase(java.util.Locale.ROOT)));
        assertThat(fx.find("#detail-source", Label.class).getText()).doesNotContain("FILE");

        // a classifier has no detection layout; it shows once the task says Detection
        ComboBox<?> layout = fx.find("#edit-detection-layout", ComboBox.class);
        assertThat(layout.isVisible()).isFalse();
        assertThat(layout.isManaged()).isFalse();
        @SuppressWarnings("unchecked")
        ComboBox<TaskKind> task = fx.find("#edit-task", ComboBox.class);
        fx.robot.interact(() -> task.setValue(TaskKind.DETECTION));
        assertThat(layout.isVisible()).isTrue();
        fx.await("the layout shown", () -> "Rows, decoded boxes (YOLOv5/v7)".equals(shownIn(layout)));
    }

    @Test
    void modelsDroppedOnTheWindowOpenTeachersAndImport() throws Exception {
        fx.robot.clickOn("#nav-dashboard");
        Path model = TinyModels.colourClassifier(dir.resolve("dropped.onnx"));
        // What the window's drop handler calls with the dropped .onnx files.
        fx.robot.interact(() -> fx.app.window().importModels(List.of(model)));
        assertThat(fx.current()).isEqualTo(Screen.TEACHERS);
        fx.await("imported", () -> fx.exists("#detail-name")
                && fx.find("#detail-name", Label.class).getText().equals("dropped"));
    }

    @Test
    void aBrokenFileGetsAClearDialogAndNothingIsAdded() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.onnx"), "definitely not a model");
        fx.robot.interact(() -> view().importFiles(List.of(broken)));
        fx.await("error dialog", () -> fx.exists("#teacher-error"));
        assertThat(fx.find("#teacher-error", DialogPane.class).getContentText()).contains("broken.onnx");
        fx.clickWhenVisible("OK");
        assertThat(fx.find("#empty-title", Label.class).getText()).isEqualTo("No teachers yet");
        assertThat(fx.exists("#error-dialog")).as("no crash dialog").isFalse();
    }
}
