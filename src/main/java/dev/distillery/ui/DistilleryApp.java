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
    /**
     * JavaFX warns on stderr when it is loaded from the class path rather than as modules, which is
     * how 'java -jar' and the launchers run it, supported by OpenJFX in practice. Held strongly:
     * java.util.logging forgets levels of loggers nobody references.
     */
    private static final java.util.logging.Logger FX_LOG = java.util.logging.Logger.getLogger("javafx");

    /** Drops only the class-path warning; every other JavaFX warning still shows. */
    private static void quietClassPathWarning() {
        FX_LOG.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
    }

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
        quietClassPathWarning();
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
            window.context().close();
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
        quietClassPathWarning();
        try {
            // Start the toolkit first: a dialog shown from inside startup()'s own runnable runs
            // before the render loop and stays a blank white window.
            Platform.startup(() -> { });
        } catch (UnsupportedOperationException | IllegalStateException noDisplay) {
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                Alert a = new Alert(Alert.AlertType.WARNING, message, ButtonType.OK);
                a.setTitle(title);
                a.setHeaderText(title);
                a.setOnHidden(e -> closed.countDown());
                a.show();
            } catch (RuntimeException e) {
                closed.countDown();
                throw e;
            }
        });
        try {
            closed.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
    }
}
