package dev.distillery.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

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
        ClassLoader loader = StartupPreload.class.getClassLoader();
        try (InputStream in = StartupPreload.class.getResourceAsStream("startup-classes.txt")) {
            if (in == null) {
                return;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.strip();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // renamed or platform-specific: nothing to warm
                }
            }
        } catch (IOException e) {
            // only a speed-up
        }
    }
}
