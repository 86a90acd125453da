package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.TinyModels;
import dev.distillery.ui.teachers.TeachersView;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A teacher's Try tab works with nothing chosen: the shipped sample images, one after the other. */
class SampleImageTryTest {
    @TempDir
    Path dir;

    @Test
    void tryOnASampleImageShowsTheAnswerOverIt() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir.resolve("data"))) {
            fx.robot.clickOn("#nav-teachers");
            Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
            TeachersView view = (TeachersView) fx.app.window().view(Screen.TEACHERS);
            fx.robot.interact(() -> view.importFiles(List.of(model)));
            fx.await("detail", () -> fx.exists("#detail-name"));
            fx.clickWhenVisible("#tab-try");
            fx.clickWhenVisible("#teacher-try-sample");
            fx.await("prediction on the first sample", () -> fx.exists("#prediction-bars")
                    && !fx.find("#prediction-bars", VBox.class).getChildren().isEmpty()
                    && fx.find("#teacher-try-hint", Label.class).getText().equals("scene-00000.jpg"));
            assertThat(dir.resolve("data/samples/images/scene-00000.jpg")).isRegularFile();
            fx.clickWhenVisible("#teacher-try-sample");
            fx.await("the next sample", () -> fx.find("#teacher-try-hint", Label.class).getText()
                    .equals("scene-00001.jpg"));
        }
    }
}
