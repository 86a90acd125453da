package dev.distillery.ui.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every uncaught exception, on any thread, ends here: it is logged, and the user sees a dialog with
 * the message, the details they can copy, and where the log is. While one dialog is open, further
 * errors are counted into it instead of stacking more windows.
 */
public final class ErrorReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorReporter.class);
    public static final ButtonType COPY = new ButtonType("Copy details", ButtonBar.ButtonData.LEFT);
    public static final ButtonType OPEN_LOGS = new ButtonType("Open log folder", ButtonBar.ButtonData.LEFT);

    private static volatile Path logFile;
    private static volatile Window owner;
    private static final AtomicBoolean SHOWING = new AtomicBoolean();
    private static final AtomicInteger MORE = new AtomicInteger();
    private static volatile Alert current;

    private ErrorReporter() {
    }

    /** Routes uncaught exceptions of every thread (the FX thread included) here. */
    public static void install(Path log, Window ownerWindow) {
        logFile = log;
        owner = ownerWindow;
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> report("Unexpected error in " + t.getName(), e));
        if (Platform.isFxApplicationThread()) {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> report("Unexpected error", e));
        }
    }

    public static void report(String context, Throwable error) {
        Throwable e = error == null ? new IllegalStateException("unknown error") : error;
        LOG.error("{}", context == null || context.isBlank() ? "Unexpected error" : context, e);
        try {
            Platform.runLater(() -> show(context, e));
        } catch (IllegalStateException toolkitGone) {
            // No UI (yet or any more): the log has it.
        }
    }

    /** The text a user copies into a bug report. */
    public static String details(String context, Throwable e) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        if (context != null && !context.isBlank()) {
            pw.println(context);
        }
        pw.println("Distillery " + dev.distillery.core.BuildInfo.get().version() + ", Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name"));
        if (logFile != null) {
            pw.println("Log: " + logFile);
        }
        e.printStackTrace(pw);
        pw.flush();
        return sw.toString();
    }

    public static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root
                && (root.getMessage() == null || root.getMessage().startsWith(root.getCause().getClass().getName()))) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
    }

    private static void show(String context, Throwable e) {
        if (!SHOWING.compareAndSet(false, true)) {
            int n = MORE.incrementAndGet();
            Alert a = current;
            if (a != null) {
                a.setTitle("Something went wrong (+" + n + " more)");
            }
            return;
        }
        MORE.set(0);
        try {
            Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.CLOSE, COPY, OPEN_LOGS);
            current = alert;
            if (owner != null && owner.isShowing()) {
                alert.initOwner(owner);
            }
            alert.setTitle("Something went wrong");
            alert.setHeaderText(summary(e));
            String details = details(context, e);
            Label where = new Label(logFile == null
                    ? "The details below were not written to a log."
                    : "The full details are in the log: " + logFile);
            where.setWrapText(true);
            where.setId("error-log-path");
            TextArea area = new TextArea(details);
            area.setEditable(false);
            area.setWrapText(false);
            area.setPrefRowCount(12);
            area.setId("error-details");
            VBox.setVgrow(area, Priority.ALWAYS);
            VBox box = new VBox(8, where, area);
            box.setPrefWidth(640);
            alert.getDialogPane().setContent(box);
            alert.getDialogPane().setId("error-dialog");
            Button copy = (Button) alert.getDialogPane().lookupButton(COPY);
            copy.setId("error-copy");
            copy.addEventFilter(ActionEvent.ACTION, ev -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(details);
                javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
                copy.setText("Copied");
                ev.consume();
            });
            Button open = (Button) alert.getDialogPane().lookupButton(OPEN_LOGS);
            open.setDisable(logFile == null);
            open.addEventFilter(ActionEvent.ACTION, ev -> {
                DesktopActions.open(logFile.getParent(), alert.getDialogPane().getScene().getWindow());
                ev.consume();
            });
            alert.setOnHidden(ev -> {
                current = null;
                SHOWING.set(false);
            });
            alert.show();
        } catch (RuntimeException failure) {
            SHOWING.set(false);
            LOG.error("Could not show the error dialog", failure);
        }
    }
}
