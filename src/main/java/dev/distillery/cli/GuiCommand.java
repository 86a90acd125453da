package dev.distillery.cli;

import dev.distillery.boot.AppSession;
import dev.distillery.boot.Handoff;
import dev.distillery.core.AlreadyRunningException;
import dev.distillery.ui.DistilleryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code distillery gui}: opens the window (also what {@code distillery} alone does). */
@Command(name = "gui", description = "Open the Distillery window (the default). ONNX files given are imported as "
        + "teachers; when a window is already open on the data directory, they go to that window.")
final class GuiCommand implements Callable<Integer> {
    /** How long a second start waits for the open window to take its request. */
    static final Duration HANDOFF_WAIT = Duration.ofSeconds(5);

    @ParentCommand
    DistilleryCommand parent;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "ONNX models to import as teachers.")
    List<Path> files = List.of();

    @Override
    public Integer call() {
        return run(parent, files);
    }

    int run(DistilleryCommand root, List<Path> models) {
        for (Path f : models) {
            if (!Files.isRegularFile(f)) {
                // a mistyped command lands here too, as a "file" (picocli matches command names first)
                System.err.println("distillery: '" + f + "' is neither a command nor a file. See distillery --help.");
                return DistilleryCommand.EXIT_USAGE;
            }
        }
        // the window's classes load on the other core while this one opens the database
        dev.distillery.ui.StartupPreload.start();
        dev.distillery.core.DataDirectory dir = dev.distillery.core.DataDirectory.open(root.dataDirectory());
        dev.distillery.core.InstanceLock lock;
        try {
            lock = dev.distillery.core.InstanceLock.acquire(dir.root());
        } catch (AlreadyRunningException e) {
            // A window open on this directory takes the start over: it comes to the front and imports the files.
            if (Handoff.send(e.dataDir(), models, HANDOFF_WAIT)) {
                System.err.println("distillery: handed over to the Distillery window already open on " + e.dataDir()
                        + (models.isEmpty() ? "" : " (importing " + models.size() + " file" + (models.size() == 1 ? "" : "s")
                        + " there)"));
                return 0;
            }
            // Nobody took it (a command-line tool holds the directory): say it where the user looks, on the
            // terminal and, when there is a display, in a dialog.
            String why = notTakenOver(e);
            System.err.println("distillery: " + why);
            DistilleryApp.showStartupProblem("Distillery is already running", why);
            return DistilleryCommand.EXIT_IN_USE;
        }
        // The toolkit starts on this thread while another opens the log and the database (a first start creates
        // and migrates it): the window waits for the database only in the app's init().
        CompletableFuture<AppSession> session = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                session.complete(AppSession.openLocked(dir, lock, false));
            } catch (Throwable t) {
                session.completeExceptionally(t);
            }
        }, "open-database");
        opener.start();
        try {
            DistilleryApp.launch(session, models);
            RuntimeException storeProblem = failure(session);
            if (storeProblem != null) {
                throw storeProblem;
            }
            return 0;
        } catch (RuntimeException e) {
            RuntimeException storeProblem = failure(session);
            if (storeProblem != null) { // reported as when the database opened before the window
                throw storeProblem;
            }
            if (!DisplayCheck.isNoWindow(e)) {
                throw e;
            }
            System.err.println("distillery: " + DisplayCheck.explain(e.getMessage(), System.getProperty("os.name"),
                    System.getenv(), DisplayCheck::libraryPresent));
            return DistilleryCommand.EXIT_ERROR;
        } finally {
            AppSession opened = opened(session);
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** Why the session could not open, once the opener has finished; null when it opened. */
    static RuntimeException failure(CompletableFuture<AppSession> session) {
        try {
            session.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The session once the opener has finished, or null when it failed (its lock already released). */
    static AppSession opened(CompletableFuture<AppSession> session) {
        return failure(session) == null ? session.join() : null;
    }

    /** Why a window cannot open when the data directory's holder did not take the start over. */
    static String notTakenOver(AlreadyRunningException e) {
        String who = e.holderPid().map(p -> "Another Distillery (process " + p + ")").orElse("Another Distillery");
        return who + " is using the data directory " + e.dataDir() + ", and it is not a window that could take "
                + "this start over: probably a command running in a terminal (distillery distill or teacher), "
                + "or a window that stopped responding.\nStop it first, or open a window on another folder with "
                + "--data-dir <another folder>.";
    }
}
