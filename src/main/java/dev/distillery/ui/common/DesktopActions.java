package dev.distillery.ui.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands files and folders to the desktop's file manager, off the FX thread. */
public final class DesktopActions {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopActions.class);

    private DesktopActions() {
    }

    /** Opens a folder (or file) in the system's file manager; says so when that is not possible. */
    public static void open(Path path, Window owner) {
        Background.tasks().execute(() -> {
            String problem = tryOpen(path);
            if (problem != null) {
                LOG.info("Could not open {}: {}", path, problem);
                Platform.runLater(() -> explain(path, problem, owner));
            }
        });
    }

    /** The command that opens a path on this OS. */
    static List<String> command(Path path) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return List.of("explorer", path.toString());
        }
        if (os.contains("mac")) {
            return List.of("open", path.toString());
        }
        return List.of("xdg-open", path.toString());
    }

    private static String tryOpen(Path path) {
        if (!Files.exists(path)) {
            return "it does not exist";
        }
        try {
            Process p = new ProcessBuilder(command(path)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() != 0) {
                return "no file manager answered (exit " + p.exitValue() + ")";
            }
            return null;
        } catch (IOException e) {
            return "no file manager found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void explain(Path path, String problem, Window owner) {
        ClipboardContent c = new ClipboardContent();
        c.putString(path.toString());
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        Alert a = new Alert(Alert.AlertType.INFORMATION,
                "The path has been copied to the clipboard:\n" + path, ButtonType.OK);
        a.setTitle("Could not open the folder");
        a.setHeaderText("Couldn't open it in a file manager: " + problem + ".");
        if (owner != null && owner.isShowing()) {
            a.initOwner(owner);
        }
        a.show();
    }
}
