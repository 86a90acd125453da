package dev.distillery.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built artifact as a user runs it: {@code java -jar target/distillery-*.jar} and the
 * {@code app/distillery} launcher, in fresh processes (runs after {@code package}).
 */
class PackagedAppIT {
    static final Path JAR = Path.of(System.getProperty("distillery.jar", "target/distillery.jar"));

    @TempDir
    Path home;

    record Run(int code, String output) {
    }

    Run run(List<String> command) throws IOException, InterruptedException {
        return run(command, java.util.Map.of());
    }

    Run run(List<String> command, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("DISTILLERY_HOME", home.resolve("data").toString());
        pb.environment().remove("DISPLAY");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void jarHelpListsTheCommands() throws Exception {
        assertThat(JAR).exists();
        Run r = run(List.of(java(), "-jar", JAR.toString(), "--help"));
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("Usage: distillery", "gui", "info", "--data-dir", "--version");
    }

    @Test
    void jarInfoLoadsEveryNativeRuntimeFromTheLibFolder() throws Exception {
        Run r = run(List.of(java(), "-Dai.djl.offline=true", "-jar", JAR.toString(), "info"));
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("Data directory  " + home.resolve("data"))
                .doesNotContain("unavailable");
    }

    @Test
    void launcherScriptRunsTheBuiltApp() throws Exception {
        Path launcher = Path.of("app", "distillery").toAbsolutePath();
        assertThat(Files.isExecutable(launcher)).isTrue();
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString(), "--version"));
        Run r = run(cmd);
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("Distillery ");
    }

    @Test
    void noDisplayGivesAClearMessageNotAStackTrace() throws Exception {
        Run r = run(List.of(java(), "-Djava.awt.headless=true", "-jar", JAR.toString(), "gui"));
        assertThat(r.code()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("cannot open a window").contains("DISPLAY").doesNotContain("\tat ");
    }

    @Test
    void launcherMapsTheStartupArchiveOnceItIsWritten() throws Exception {
        String launcher = Path.of("app", "distillery").toAbsolutePath().toString();
        Path cache = home.resolve("cache");
        java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", cache.toString());
        Run before = run(List.of("bash", launcher, "info"), env);
        assertThat(before.code()).as(before.output()).isZero();
        var m = java.util.regex.Pattern.compile("Startup archive (\\S+) \\(not written yet").matcher(before.output());
        assertThat(m.find()).as(before.output()).isTrue();
        Path archive = Path.of(m.group(1));
        assertThat(archive.startsWith(cache)).as(archive.toString()).isTrue();
        assertThat(archive).doesNotExist();

        // the archive in that place, written as the installer build writes it (StartupArchiveBuild, through
        // StartupArchive.write as the window does), from a working directory that must stay clean: the JVM's dump
        // leaves its logs there
        Path cwd = Files.createDirectories(home.resolve("cwd"));
        ProcessBuilder pb = new ProcessBuilder(java(), "-D" + dev.distillery.boot.StartupArchiveBuild.PROPERTY + "="
                + archive, "-jar", JAR.toRealPath().toString()).directory(cwd.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String written = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(written).isZero();
        assertThat(archive).isRegularFile();
        try (var left = Files.list(cwd)) {
            assertThat(left.toList()).as("nothing left in the working directory").isEmpty();
        }
        try (var beside = Files.list(archive.getParent())) {
            assertThat(beside.toList()).as("no temporary file beside the archive").containsExactly(archive);
        }

        Run after = run(List.of("bash", launcher, "info"), env);
        assertThat(after.output()).as("the launcher maps it").contains("Startup archive " + archive + " (in use)");
        Run off = run(List.of("bash", launcher, "info"), java.util.Map.of("XDG_CACHE_HOME", cache.toString(),
                "DISTILLERY_NO_CDS", "1"));
        assertThat(off.output()).contains("Startup archive none");
    }
}
