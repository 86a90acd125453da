package dev.distillery.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * macOS opens a document with an "open files" Apple event, not a command-line argument: the .onnx file
 * association of the .dmg reaches the app only through {@code java.awt.Desktop}'s open-file handler. Events that
 * arrive before the window exists (a double-click that starts the app) wait here until
 * {@link #deliverTo(Consumer)}. Not exercised on this project's Linux CI; on other systems nothing is installed
 * and {@link #deliverTo} does nothing.
 */
final class MacOpenFiles {
    private static final Logger LOG = LoggerFactory.getLogger(MacOpenFiles.class);
    private static final List<Path> PENDING = new ArrayList<>();
    private static Consumer<List<Path>> sink;

    private MacOpenFiles() {
    }

    static void install() {
        try {
            java.awt.Desktop desktop = java.awt.Desktop.getDesktop();
            if (desktop.isSupported(java.awt.Desktop.Action.APP_OPEN_FILE)) {
                desktop.setOpenFileHandler(e -> offer(e.getFiles().stream().map(File::toPath).toList()));
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("no open-file handler: files opened from the Finder will not be imported", e);
        }
    }

    private static void offer(List<Path> files) {
        Consumer<List<Path>> to;
        synchronized (PENDING) {
            to = sink;
            if (to == null) {
                PENDING.addAll(files);
                return;
            }
        }
        to.accept(files);
    }

    /** From now on files go to {@code target}; those that came before are given to it at once. */
    static void deliverTo(Consumer<List<Path>> target) {
        List<Path> waiting;
        synchronized (PENDING) {
            sink = target;
            waiting = List.copyOf(PENDING);
            PENDING.clear();
        }
        if (!waiting.isEmpty()) {
            target.accept(waiting);
        }
    }
}
