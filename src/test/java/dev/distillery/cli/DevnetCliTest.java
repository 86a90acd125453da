package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery devnet}: headless, it prints where the ledger and validators listen and keeps its state. */
class DevnetCliTest {
    @TempDir
    Path dir;

    @Test
    void runsHeadlessAndSaysWhereEverythingListens() throws Exception {
        CliTest.Result r = CliTest.run("--data-dir", dir.toString(), "devnet", "--port", "0", "--no-simulated",
                "--block-ms", "100", "--for-seconds", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ledger     127.0.0.1:").contains("validator-1")
                .contains("validator-2").contains("stake 1000").contains("stake 400").contains("no simulated miners");
        assertThat(dir.resolve("devnet").resolve("devnet.json")).exists();
        assertThat(Files.readString(dir.resolve("devnet").resolve("devnet.json"))).contains("validator-2");
        assertThat(dir.resolve("devnet").resolve("ledger")).isDirectory();
    }

    @Test
    void badOptionsAreAUsageError() throws Exception {
        CliTest.Result r = CliTest.run("--data-dir", dir.toString(), "devnet", "--tempo", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--tempo").doesNotContain("\n");
    }
}
