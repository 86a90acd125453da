package dev.distillery.ui.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.concurrent.Task;

/**
 * Where the UI sends work that must not run on the FX thread: {@link #tasks()} for javafx
 * {@link Task}s (parallel), {@link #writes()} for small database writes that must stay in order.
 */
public final class Background {
    private static final ExecutorService TASKS = Executors.newCachedThreadPool(daemon("distillery-task"));
    private static final ExecutorService WRITES = Executors.newSingleThreadExecutor(daemon("distillery-write"));

    private Background() {
    }

    public static ExecutorService tasks() {
        return TASKS;
    }

    public static ExecutorService writes() {
        return WRITES;
    }

    /** Starts a task; its failures reach the error dialog unless the task handles them itself. */
    public static <T> Task<T> run(Task<T> task) {
        if (task.getOnFailed() == null) {
            task.setOnFailed(e -> ErrorReporter.report(task.getTitle(), task.getException()));
        }
        TASKS.execute(task);
        return task;
    }

    /** Lets queued writes finish (at app exit), waiting at most a few seconds. */
    public static void drainWrites() {
        try {
            WRITES.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            // tasks run native inference, which needs a large stack
            Thread t = dev.distillery.core.NativeThreads.create(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
