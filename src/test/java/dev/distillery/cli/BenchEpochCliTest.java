package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench epoch} runs a small subnet end to end and writes its section (figures not asserted). */
class BenchEpochCliTest {
    @TempDir
    Path dir;

    @Test
    void writesTheEpochSection() throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        CliTest.Result r = CliTest.runIn(dir.resolve("data"), "bench", "epoch", "--uids", "24", "--validators", "4",
                "--runs", "3", "--write", doc.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(doc)).contains("<!-- bench:epoch:begin -->", "| 24 | 4 |");
        assertThat(CliTest.run("bench", "epoch", "--uids", "4", "--validators", "4").code()).isEqualTo(2);
    }
}
