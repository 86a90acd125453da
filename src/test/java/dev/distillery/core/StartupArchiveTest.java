package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start says about its archive; writing one and mapping it is in {@code PackagedAppIT} (needs the jar). */
class StartupArchiveTest {
    @TempDir
    Path dir;

    /** Runs {@link Probe} in a new JVM on this test's class path with the given JVM options; returns its output. */
    static String probe(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    @Test
    void aStartWithoutTheLauncherNamesNoArchiveAndWritesNone() throws Exception {
        assertThat(StartupArchive.inUse()).isFalse();
        assertThat(probe(List.of())).endsWith("false none (only the launchers app/distillery and the installed app use one)");
    }

    @Test
    void anArchiveNotYetWrittenOrNotFittingIsReportedAsUnused() throws Exception {
        Path archive = dir.resolve("startup.jsa");
        String property = "-D" + StartupArchive.PROPERTY + "=" + archive;
        assertThat(probe(List.of(property))).endsWith("false " + archive
                + " (not written yet: the window writes it once, in the background)");
        // damaged, or written for another jar or Java: the JVM starts without it, and the app says so
        Files.write(archive, new byte[4096]);
        assertThat(probe(List.of("-XX:SharedArchiveFile=" + archive, property))).endsWith("false " + archive
                + " (not used: written for another jar or Java; the window writes it again)");
    }

    @Test
    void writingFromAClassPathOfFoldersFailsWithAReasonAndLeavesNothing() throws Exception {
        // this test's class path has target/classes, and the JVM archives only from jars. Run in a small JVM: the
        // dump goes through every class the process has loaded, and this one has loaded the whole suite's.
        Path archive = dir.resolve("cache").resolve("startup.jsa");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), archive.toString());
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("IOException: the JVM could not write it").contains("directory");
        try (var left = Files.list(archive.getParent())) {
            assertThat(left.toList()).as("nothing beside the archive").isEmpty();
        }
        try (var logs = Files.list(cwd)) {
            assertThat(logs.toList()).as("the dump's logs removed from the working directory").isEmpty();
        }
    }

    /** Writes the archive named by its argument; prints the exception when it cannot. */
    public static final class Writer {
        public static void main(String[] args) {
            try {
                StartupArchive.write(Path.of(args[0]));
                System.out.println("written");
            } catch (java.io.IOException e) {
                System.out.println(e);
            }
        }
    }

    /** Prints whether the archive is in use and the line {@code distillery info} shows. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(StartupArchive.inUse() + " " + StartupArchive.describe());
        }
    }
}
