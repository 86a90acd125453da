package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any uncaught exception reaches the user as a dialog with the message, details to copy and the log. */
class ErrorDialogTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (fx.exists("#error-dialog")) {
            fx.clickWhenVisible("Close");
        }
        fx.close();
    }

    @Test
    void exceptionOnTheFxThreadShowsTheDialog() throws Exception {
        Platform.runLater(() -> {
            throw new IllegalStateException("boom on the FX thread");
        });
        fx.await("error dialog", () -> fx.exists("#error-dialog"));
        DialogPane pane = fx.find("#error-dialog", DialogPane.class);
        assertThat(pane.getHeaderText()).isEqualTo("boom on the FX thread");
        assertThat(fx.find("#error-log-path", Label.class).getText()).contains(fx.session.logFile().toString());
        assertThat(fx.find("#error-details", TextArea.class).getText())
                .contains("java.lang.IllegalStateException: boom on the FX thread")
                .contains("Log: " + fx.session.logFile());

        fx.clickWhenVisible("#error-copy");
        assertThat(fx.find("#error-copy", Button.class).getText()).isEqualTo("Copied");
        String copied = readClipboard();
        assertThat(copied).contains("boom on the FX thread").contains("IllegalStateException");
        assertThat(fx.exists("#error-dialog")).as("copying keeps the dialog open").isTrue();

        assertThat(Files.readString(fx.session.logFile())).contains("boom on the FX thread");
    }

    @Test
    void exceptionOnABackgroundThreadShowsTheDialogToo() throws Exception {
        Thread t = new Thread(() -> {
            throw new IllegalArgumentException("boom in the background");
        }, "worker-under-test");
        t.start();
        t.join();
        fx.await("error dialog", () -> fx.exists("#error-dialog"));
        assertThat(fx.find("#error-dialog", DialogPane.class).getHeaderText()).isEqualTo("boom in the background");
        assertThat(fx.find("#error-details", TextArea.class).getText()).contains("worker-under-test");
    }

    private String readClipboard() {
        String[] box = new String[1];
        fx.robot.interact(() -> box[0] = Clipboard.getSystemClipboard().getString());
        return box[0];
    }
}
