package dev.distillery.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up archive: a class-data-sharing (CDS) archive of the classes a start loads, which the JVM maps instead of
 * reading, checking and parsing them one by one (about a quarter of the time to the window here).
 *
 * <p>The launcher ({@code app/distillery}) names the archive's path in the system property {@value #PROPERTY} and,
 * when the file exists, starts the JVM with {@code -XX:SharedArchiveFile} on it. The JVM checks the archive against
 * itself and the class path (a rebuilt jar, another Java) and silently ignores one that does not fit. When the window
 * finds that no archive is in use, it writes one once the machine is quiet: the JVM's own {@code VM.cds static_dump},
 * with exactly the classes this process loaded, into a temporary file moved into place when complete. Started without
 * the property ({@code java -jar}, tests), nothing is written.
 */
public final class StartupArchive {
    private static final Logger LOG = LoggerFactory.getLogger(StartupArchive.class);
    /** System property naming the archive's file (set by the launcher). */
    public static final String PROPERTY = "distillery.startup.archive";

    private StartupArchive() {
    }

    /** The archive's path when the launcher named one. */
    public static Optional<Path> configured() {
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p).toAbsolutePath());
    }

    /** One line for {@code distillery info}: where the archive is and whether this start used it. */
    public static String describe() {
        Optional<Path> given = given();
        if (given.isPresent() && sharing()) {
            return given.get() + " (in use)";
        }
        Optional<Path> target = configured().or(() -> given);
        if (target.isEmpty()) {
            return "none (only the launchers app/distillery and the installed app use one)";
        }
        return target.get() + (Files.isRegularFile(target.get())
                ? " (not used: written for another jar or Java" + (configured().isPresent()
                ? "; the window writes it again)" : ")")
                : " (not written yet" + (configured().isPresent()
                ? ": the window writes it once, in the background)" : ")"));
    }

    /** The archive named by this JVM's {@code -XX:SharedArchiveFile}, if any. */
    private static Optional<Path> given() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
                .map(a -> Path.of(a.substring("-XX:SharedArchiveFile=".length())).toAbsolutePath())
                .reduce((a, b) -> b);
    }

    /** Whether this JVM runs with an archive of the app's classes mapped (its {@code -XX:SharedArchiveFile}). */
    public static boolean inUse() {
        return given().isPresent() && sharing();
    }

    private static boolean sharing() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("UseSharedSpaces").getValue());
        } catch (RuntimeException e) { // not HotSpot
            return false;
        }
    }

    /**
     * When the launcher named an archive and none is in use, writes it on a background thread after {@code delay},
     * once no training run or other foreground work is going on (the dump keeps a core busy for 10–25 s).
     */
    public static void refreshLater(Duration delay) {
        Optional<Path> target = configured();
        if (target.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                if (inUse()) { // asked here, off the caller's (FX) thread: it loads the JVM's management beans
                    return;
                }
                Thread.sleep(delay.toMillis());
                while (!Foreground.awaitIdle(Duration.ofMinutes(1))) {
                    // a run is training: wait for it
                }
                write(target.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.info("No start-up archive written (starts stay as they are): {}", e.getMessage());
            }
        }, "startup-archive");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The error lines of the dump's logs (see {@link #removeDumpLogs}), joined. */
    private static String dumpErrors(long sinceNanos) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        for (Path f : dumpLogs(sinceNanos)) {
            try {
                for (String line : Files.readAllLines(f)) {
                    if (line.contains("Error")) {
                        errors.add(line.replaceFirst("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] *", "").strip());
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // only detail
            }
        }
        return String.join("; ", errors);
    }

    /**
     * The JVM's dump runs a second JVM whose output it keeps in {@code java_pid<N>_stdout} and {@code _stderr} in the
     * working directory, which would be the user's home for a start from the menu: those written since
     * {@code sinceNanos} go.
     */
    private static void removeDumpLogs(long sinceNanos) {
        for (Path f : dumpLogs(sinceNanos)) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // only tidying
            }
        }
    }

    private static java.util.List<Path> dumpLogs(long sinceNanos) {
        long sinceMillis = System.currentTimeMillis() - (System.nanoTime() - sinceNanos) / 1_000_000 - 1000;
        java.util.List<Path> found = new java.util.ArrayList<>();
        try (var files = Files.list(Path.of(System.getProperty("user.dir")))) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().matches("java_pid\\d+_std(out|err)")
                        && Files.getLastModifiedTime(f).toMillis() >= sinceMillis) {
                    found.add(f);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // none to see
        }
        return found;
    }

    /**
     * Writes the archive of the classes this process has loaded to {@code target} (through a temporary file next to
     * it), replacing an older one.
     *
     * @throws IOException when the JVM cannot dump (not HotSpot 17+, no write access) or wrote nothing
     */
    public static void write(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        long started = System.nanoTime();
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"static_dump", tmp.toString()}},
                    new String[] {String[].class.getName()});
            if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                throw new IOException("the JVM wrote no archive" + (out == null ? "" : ": " + out.toString().strip()));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (javax.management.JMException | javax.management.JMRuntimeException e) {
            String errors = dumpErrors(started);
            throw new IOException("the JVM could not write it" + (errors.isEmpty() ? " (" + e.getMessage() + ")"
                    : ": " + errors), e);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(Path.of(tmp + ".classlist"));
            Files.deleteIfExists(Path.of(tmp + ".temp"));
            removeDumpLogs(started);
        }
        LOG.info("Start-up archive written to {} ({} MB, {} s); the next start through the launcher uses it", target,
                Files.size(target) >> 20, Math.round((System.nanoTime() - started) / 1e9));
    }
}
