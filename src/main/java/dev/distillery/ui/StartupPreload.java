package dev.distillery.ui;

/**
 * Loads the window's classes on a spare core while the main thread opens the database, so the JavaFX thread finds
 * them ready: {@code startup-classes.txt} lists the JavaFX, icon and screen classes a start loads (from a
 * {@code -Xlog:class+load} run). Classes are loaded, not initialised; a name that no longer exists is skipped, so a
 * stale list only costs the time it saves.
 */
public final class StartupPreload {
    private StartupPreload() {
    }

    /** Starts the loading thread (a daemon; it ends by itself). */
    public static void start() {
        Thread t = new Thread(StartupPreload::run, "startup-preload");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        try {
            dev.distillery.core.ClassList.load(StartupPreload.class, "startup-classes.txt");
        } catch (java.io.IOException e) {
            // only a speed-up
        }
    }
}
