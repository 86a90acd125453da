package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.teacher.TeacherService;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The New run wizard offers the shipped sample images as data, and builds a dataset from them. */
class SampleImagesWizardTest {
    @TempDir
    Path dir;

    @Test
    void sampleImagesBecomeADataset() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir.resolve("data"))) {
            TeacherService teachers = fx.app.window().context().teachers();
            var entry = teachers.catalog().stream().filter(e -> e.id().equals("ppocr-mobile-v2-cls")).findFirst()
                    .orElseThrow();
            teachers.importCatalog(entry, null, null);
            fx.robot.clickOn("#nav-distill");
            fx.await("New run button", () -> fx.exists("#distill-new-run"));
            fx.clickWhenVisible("#distill-new-run");
            fx.await("teacher chosen", () -> fx.exists("#wizard-teacher")
                    && fx.find("#wizard-teacher", ComboBox.class).getValue() != null);
            fx.await("Next enabled", () -> !fx.find("#wizard-next", Button.class).isDisabled());
            fx.clickWhenVisible("#wizard-next");

            RadioButton samples = fx.find("#wizard-data-samples", RadioButton.class);
            fx.await("samples offered", () -> !samples.isDisabled());
            assertThat(samples.getText()).isEqualTo("Sample images (24 text scenes)");
            // no dataset exists yet: the step starts on building one from the samples, not on "built before"
            assertThat(samples.isSelected()).isTrue();
            assertThat(fx.find("#wizard-data-existing", RadioButton.class).isDisabled()).isTrue();
            fx.clickWhenVisible("#wizard-data-samples");
            fx.clickWhenVisible("#wizard-build");
            ShellFixture.await("the dataset built", 60, () -> fx.exists("#wizard-build-result")
                    && fx.find("#wizard-build-result", Label.class).getText().startsWith("Built"));
            assertThat(fx.find("#wizard-build-result", Label.class).getText())
                    .startsWith("Built \"Sample images\"")
                    .matches(".*: \\d+ train · [1-9]\\d* val · 0 unreadable · 0 duplicates left out");
            var rows = fx.session.database().datasets().list();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).itemCount()).isEqualTo(24);
            fx.robot.push(javafx.scene.input.KeyCode.ESCAPE);
        }
    }
}
