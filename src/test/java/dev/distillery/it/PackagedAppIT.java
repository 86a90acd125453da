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
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
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
}
