package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.cli.DistilleryCommand;
import dev.distillery.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
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
}
