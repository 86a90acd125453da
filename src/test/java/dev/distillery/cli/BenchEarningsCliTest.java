package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench earnings} fills a small history, measures it and writes its section (figures not asserted). */
class BenchEarningsCliTest {
    @TempDir
    Path dir;

    @Test
    void writesTheEarningsSectionAndSaysWhatItMeasured() throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\n## Ledger epoch time\n\n<!-- bench:epoch:begin -->\nkept\n<!-- bench:epoch:end -->\n");
        // --no-paint: the test JVM's JavaFX toolkit belongs to the UI tests
        CliTest.Result r = CliTest.runIn(dir.resolve("data"), "bench", "earnings", "--rows", "3000", "--uids", "16",
                "--runs", "2", "--no-paint", "--write", doc.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Filled 3,000 earnings rows (188 epochs × 16 UIDs, 188 of them the user's)")
                .contains("baseline: SELECT of the user's 188 raw rows")
                .contains("paint: not measured: --no-paint given");
        String md = Files.readString(doc);
        assertThat(md).contains("<!-- bench:epoch:begin -->\nkept\n<!-- bench:epoch:end -->")
                .contains("<!-- bench:earnings:begin -->", "<!-- bench:earnings:end -->", "## Earnings chart first paint")
                .contains("| 3,000 | 188 |").contains("data only");
        assertThat(CliTest.run("bench", "earnings", "--rows", "0").code()).isEqualTo(2);
    }
}
