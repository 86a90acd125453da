package dev.distillery.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a start of the app over to the window that already runs on the same data directory: a second
 * launch (the menu entry clicked again, or an {@code .onnx} file opened from the file manager) leaves a
 * request in {@code <data>/inbox/}; the running window takes it (deletes it), comes to the front and imports
 * the files. A request nobody takes within the wait is withdrawn, so the second launch can say why it
 * cannot start instead of leaving a file behind (the directory may be held by a command-line tool, which does
 * not listen).
 *
 * <p>A request is a UTF-8 text file of absolute paths, one per line (possibly none), written under a temporary
 * name and renamed, so a reader never sees half of one.
 */
public final class Handoff {
    private static final Logger LOG = LoggerFactory.getLogger(Handoff.class);
    public static final String INBOX = "inbox";
    static final String SUFFIX = ".open";
    /** Requests older than this when a window starts were left by a start that gave up: not acted on. */
    static final Duration STALE = Duration.ofMinutes(2);

    private Handoff() {
    }

    /**
     * Leaves a request for the window running on {@code dataRoot} and waits for it to be taken.
     *
     * @return true when the running window took it; false when nobody did within {@code wait} (withdrawn)
     */
    public static boolean send(Path dataRoot, List<Path> files, Duration wait) {
        Path inbox = dataRoot.resolve(INBOX);
        Path request = inbox.resolve(Instant.now().toEpochMilli() + "-" + UUID.randomUUID() + SUFFIX);
        try {
            Files.createDirectories(inbox);
            Path tmp = inbox.resolve(request.getFileName() + ".tmp");
            StringBuilder text = new StringBuilder();
            for (Path f : files) {
                text.append(f.toAbsolutePath().normalize()).append('\n');
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, request, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not leave a request for the running window in {}", inbox, e);
            return false;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!Files.exists(request)) {
                    return true;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // withdrawn; if it was taken at the last moment, the delete finds nothing and that counts as taken
            return !Files.deleteIfExists(request);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts taking requests for {@code dataRoot} on a daemon thread and gives each one's files to
     * {@code onRequest} (on that thread). Requests already waiting are taken at once, except stale ones.
     */
    public static Listener listen(Path dataRoot, Consumer<List<Path>> onRequest) {
        Path inbox = dataRoot.resolve(INBOX);
        try {
            Files.createDirectories(inbox);
        } catch (IOException e) {
            LOG.warn("cannot create {}: a second start will not reach this window", inbox, e);
        }
        dropStale(inbox, Instant.now().minus(STALE));
        Listener l = new Listener(inbox, onRequest);
        l.thread.start();
        return l;
    }

    /** Takes (reads and deletes) the requests in {@code inbox}, oldest first. */
    static List<List<Path>> take(Path inbox) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox, "*" + SUFFIX)) {
            ds.forEach(found::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.debug("cannot list {}", inbox, e);
            return List.of();
        }
        found.sort(null);
        List<List<Path>> requests = new ArrayList<>();
        for (Path r : found) {
            try {
                List<Path> files = new ArrayList<>();
                for (String line : Files.readAllLines(r, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        files.add(Path.of(line));
                    }
                }
                // delete last: the sender waits for the file to vanish, and then the request is ours
                if (Files.deleteIfExists(r)) {
                    requests.add(files);
                }
            } catch (IOException | RuntimeException e) {
                // withdrawn by its sender meanwhile, or unreadable: not ours to act on
                LOG.debug("skipped request {}", r, e);
            }
        }
        return requests;
    }

    private static void dropStale(Path inbox, Instant before) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox)) {
            for (Path r : ds) {
                FileTime t = Files.getLastModifiedTime(r);
                if (t.toInstant().isBefore(before)) {
                    Files.deleteIfExists(r);
                    LOG.info("dropped a stale start request {}", r.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot clean {}", inbox, e);
        }
    }

    /** The thread taking requests; {@link #close()} stops it. */
    public static final class Listener implements AutoCloseable {
        private static final long POLL_MILLIS = 200;
        private final Thread thread;
        private volatile boolean running = true;

        private Listener(Path inbox, Consumer<List<Path>> onRequest) {
            // polling: portable (WatchService polls on macOS anyway) and cheap, one directory listing per tick
            thread = new Thread(() -> {
                while (running) {
                    for (List<Path> files : take(inbox)) {
                        try {
                            onRequest.accept(files);
                        } catch (RuntimeException e) {
                            LOG.warn("a start request failed", e);
                        }
                    }
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "distillery-handoff");
            thread.setDaemon(true);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
