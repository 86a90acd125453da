package dev.distillery.ui;

import dev.distillery.boot.AppSession;
import dev.distillery.boot.Handoff;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.ErrorReporter;
import java.nio.file.Path;
import java.util.List;
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
    private static volatile java.util.concurrent.CompletableFuture<AppSession> launchSession;
    private static volatile List<Path> launchFiles = List.of();
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

    private final java.util.concurrent.CompletableFuture<AppSession> pending;
    private volatile AppSession session;
    private final List<Path> openFiles;
    private MainWindow window;
    private Handoff.Listener handoff;

    /** Used by {@link Application#launch}: takes the session handed to {@link #launch}, once it has opened. */
    public DistilleryApp() {
        this.pending = Objects.requireNonNull(launchSession, "start Distillery through dev.distillery.Launcher");
        this.openFiles = launchFiles;
    }

    public DistilleryApp(AppSession session) {
        this(session, List.of());
    }

    /** @param openFiles ONNX models to import once the window shows (given on the command line) */
    public DistilleryApp(AppSession session, List<Path> openFiles) {
        this.session = Objects.requireNonNull(session, "start Distillery through dev.distillery.Launcher");
        this.pending = java.util.concurrent.CompletableFuture.completedFuture(session);
        this.openFiles = List.copyOf(openFiles);
    }

    /**
     * Opens the window on a session that may still be opening (the database is created and migrated while the
     * toolkit starts), importing {@code files}; returns when the window closes. A session that fails to open
     * fails the launch, with its own exception as the cause.
     */
    public static void launch(java.util.concurrent.CompletableFuture<AppSession> session, List<Path> files) {
        quietClassPathWarning();
        launchSession = session;
        launchFiles = List.copyOf(files);
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            MacOpenFiles.install();
        }
        Application.launch(DistilleryApp.class);
    }

    /** On the launcher thread, after the toolkit started: waits for the session (usually open by then). */
    @Override
    public void init() {
        if (session == null) {
            try {
                session = pending.join();
            } catch (java.util.concurrent.CompletionException e) {
                // the caller reports it from the future, as when the database opened before the toolkit: no
                // window, and no "Exception in Application init method" from JavaFX
                Platform.exit();
            }
        }
    }

    @Override
    public void start(Stage stage) {
        if (session == null) {
            return; // the session failed to open: init() has asked the toolkit to exit
        }
        ErrorReporter.install(session.logFile(), stage);
        window = new MainWindow(new ShellContext(session), stage);
        stage.show();
        // the start-up figure users feel: from the process's start to the window on screen
        org.slf4j.LoggerFactory.getLogger(DistilleryApp.class).info("Window shown {} ms after the process started",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        // started by the launcher without a fitting start-up archive: write one once the machine is quiet
        dev.distillery.core.StartupArchive.refreshLater(java.time.Duration.ofSeconds(45));
        if (!openFiles.isEmpty()) {
            // queued behind a first start's welcome tour, which then steps aside for the models
            Platform.runLater(() -> window.importModels(openFiles));
        }
        MacOpenFiles.deliverTo(files -> Platform.runLater(() -> window.openFromOutside(files)));
        // a second start on this data directory (menu entry again, an .onnx opened in the file manager) lands here
        handoff = Handoff.listen(session.dataDirectory().root(), files -> Platform.runLater(() -> {
            if (window != null) {
                window.openFromOutside(files);
            }
        }));
    }

    @Override
    public void stop() {
        if (handoff != null) {
            handoff.close();
        }
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
