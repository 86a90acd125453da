package dev.distillery.ui;

import dev.distillery.boot.AppSession;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.ErrorReporter;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

/** The JavaFX application. Started by {@code dev.distillery.Launcher} through the CLI. */
public class DistilleryApp extends Application {
    private static volatile AppSession launchSession;

    private final AppSession session;
    private MainWindow window;

    /** Used by {@link Application#launch}: takes the session handed to {@link #launch(AppSession)}. */
    public DistilleryApp() {
        this(launchSession);
    }

    public DistilleryApp(AppSession session) {
        this.session = Objects.requireNonNull(session, "start Distillery through dev.distillery.Launcher");
    }

    /** Opens the window on an open session; returns when the window closes. */
    public static void launch(AppSession session) {
        launchSession = session;
        Application.launch(DistilleryApp.class);
    }

    @Override
    public void start(Stage stage) {
        ErrorReporter.install(session.logFile(), stage);
        window = new MainWindow(new ShellContext(session), stage);
        stage.show();
    }

    @Override
    public void stop() {
        if (window != null) {
            window.saveLayout();
        }
        Background.drainWrites();
    }

    public MainWindow window() {
        return window;
    }

    /**
     * Tells the user, in a dialog, why the app cannot start (another instance runs). Quietly does
     * nothing when there is no display: the caller also prints the message.
     */
    public static void showStartupProblem(String title, String message) {
        CountDownLatch closed = new CountDownLatch(1);
        Runnable dialog = () -> {
            try {
                Alert a = new Alert(Alert.AlertType.WARNING, message, ButtonType.OK);
                a.setTitle(title);
                a.setHeaderText(title);
                a.showAndWait();
            } finally {
                closed.countDown();
            }
        };
        try {
            Platform.startup(dialog);
        } catch (UnsupportedOperationException | IllegalStateException noDisplay) {
            return;
        }
        try {
            closed.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
    }
}
