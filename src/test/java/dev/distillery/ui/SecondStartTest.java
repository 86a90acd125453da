package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.cli.DistilleryCommand;
import dev.distillery.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the app again while its window is open (the menu entry clicked twice, an .onnx file opened from the
 * file manager) goes through the real command line and reaches the open window instead of a refusal.
 */
class SecondStartTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) throws Exception {
        if (!test.getTags().contains("own-start")) {
            fx = ShellFixture.start(dir.resolve("data"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /**
     * Runs the command line in this JVM, which already holds the data directory through the open window. The
     * parsed command line without the entry point's native-cache step, which would pin this shared test JVM's
     * caches to a temporary folder.
     */
    int launch(StringBuilder err, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return DistilleryCommand.commandLine().execute(args);
        } finally {
            System.setErr(old);
            err.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anOnnxFileOpenedAgainIsImportedByTheOpenWindow() throws Exception {
        fx.robot.interact(() -> fx.app.window().tour().start()); // as on a first start
        Path model = TinyModels.colourClassifier(dir.resolve("from the file manager.onnx"));
        StringBuilder err = new StringBuilder();
        int code = launch(err, "--data-dir", dir.resolve("data").toString(), model.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("handed over to the Distillery window already open")
                .contains("importing 1 file");
        fx.await("the Teachers screen", () -> fx.current() == Screen.TEACHERS);
        fx.await("the model imported", () -> fx.exists("#detail-name")
                && fx.find("#detail-name", Label.class).getText().equals("from the file manager"));
        assertThat(fx.app.window().context().teachers().list()).hasSize(1);
        assertThat(fx.app.window().tour().isCardShowing()).as("the tour stepped aside for the model").isFalse();
        assertThat(fx.app.window().tour().step()).as("folded, not ended").isZero();
    }

    @Test
    void aPlainSecondStartJustRaisesTheWindow() throws Exception {
        StringBuilder err = new StringBuilder();
        int code = launch(err, "gui", "--data-dir", dir.resolve("data").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("handed over").doesNotContain("importing");
        assertThat(fx.stage.isShowing()).isTrue();
        assertThat(fx.current()).as("nothing else changes").isEqualTo(Screen.DASHBOARD);
    }

    @Test
    void aMistypedCommandOrMissingFileIsAUsageErrorNotAWindow() {
        StringBuilder err = new StringBuilder();
        assertThat(launch(err, "--data-dir", dir.resolve("data").toString(), "teachr")).isEqualTo(2);
        assertThat(err.toString()).contains("'teachr' is neither a command nor a file").contains("--help");
        assertThat(fx.current()).isEqualTo(Screen.DASHBOARD);
    }

    @Test
    @org.junit.jupiter.api.Tag("own-start")
    void aFirstStartWithAFileImportsItAndTheWelcomeTourStepsAside() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("double-clicked.onnx"));
        String before = System.getProperty(WelcomeTour.AUTOSTART_PROPERTY);
        System.setProperty(WelcomeTour.AUTOSTART_PROPERTY, "true");
        try {
            fx = ShellFixture.start(dir.resolve("data"), List.of(model));
        } finally {
            if (before == null) {
                System.clearProperty(WelcomeTour.AUTOSTART_PROPERTY);
            } else {
                System.setProperty(WelcomeTour.AUTOSTART_PROPERTY, before);
            }
        }
        fx.await("the model imported", () -> fx.exists("#detail-name")
                && fx.find("#detail-name", Label.class).getText().equals("double-clicked"));
        assertThat(fx.current()).isEqualTo(Screen.TEACHERS);
        WelcomeTour tour = fx.app.window().tour();
        assertThat(tour.step()).as("the first start's tour is there").isZero();
        assertThat(tour.isCardShowing()).as("folded away from the model").isFalse();
    }
}
