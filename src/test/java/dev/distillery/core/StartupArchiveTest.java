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
        assertThat(probe(List.of())).endsWith("false none (only the launcher app/distillery uses one)");
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
        // this test's class path has target/classes: the JVM archives only from jars
        Path archive = dir.resolve("cache").resolve("startup.jsa");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StartupArchive.write(archive))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("could not write")
                .hasMessageContaining("directory");
        try (var left = Files.list(archive.getParent())) {
            assertThat(left.toList()).isEmpty();
        }
        try (var logs = Files.list(Path.of(System.getProperty("user.dir")))) {
            assertThat(logs.map(p -> p.getFileName().toString())).noneMatch(n -> n.matches("java_pid\\d+_std(out|err)"));
        }
    }

    /** Prints whether the archive is in use and the line {@code distillery info} shows. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(StartupArchive.inUse() + " " + StartupArchive.describe());
        }
    }
}
