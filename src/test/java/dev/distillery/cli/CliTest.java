package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.DataDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    /** Runs the command line with {@code --data-dir dataDir} in front of {@code args}. */
    static Result runIn(java.nio.file.Path dataDir, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    static Result run(String... args) {
        CommandLine cl = DistilleryCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndOptions() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: distillery", "gui", "info", "help", "--data-dir", "--version",
                "DISTILLERY_HOME");
    }

    @Test
    void versionNamesTheApp() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Distillery ").contains("Java 17");
    }

    @Test
    void infoUsesTheDataDirOptionAndReportsRuntimes() {
        Path data = dir.resolve("custom data");
        Result r = run("--data-dir", data.toString(), "info");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Data directory  " + data)
                .contains("ONNX Runtime")
                .contains("OpenCV")
                .contains("not created yet");
        for (String sub : DataDirectory.LAYOUT) {
            assertThat(data.resolve(sub)).isDirectory();
        }
    }

    @Test
    void infoNamesTheCpuAndTheInt8PrecisionChoice() {
        Path data = dir.resolve("cpu");
        Result r = run("--data-dir", data.toString(), "info");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("CPU             ", "CPU features    ", "Int8 precision  ");
        Result forced = run("info", "--data-dir", data.toString(), "--int8-precision", "on");
        assertThat(forced.out()).contains("Int8 precision  on: forced on by --int8-precision");
        Result off = run("--int8-precision", "OFF", "--data-dir", data.toString(), "info");
        assertThat(off.out()).contains("Int8 precision  off: forced off by --int8-precision");
        Result again = run("--data-dir", data.toString(), "info");
        assertThat(again.out()).doesNotContain("forced");
        Result bad = run("--int8-precision", "maybe", "info");
        assertThat(bad.code()).isEqualTo(DistilleryCommand.EXIT_USAGE);
        assertThat(bad.err()).contains("auto, on or off");
    }

    @Test
    void dataDirOptionAlsoWorksAfterTheSubcommand() {
        Path data = dir.resolve("after");
        Result r = run("info", "--data-dir", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Data directory  " + data);
    }

    @Test
    void unusableDataDirIsOneClearLineAndExitCode1() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Result r = run("--data-dir", file.toString(), "info");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("is a file, not a folder").doesNotContain("\tat ");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result r = run("--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("Usage: distillery");
    }
}
