package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench label} measures the built-in teachers and writes its section (figures are not asserted). */
class BenchLabelCliTest {
    @TempDir
    Path dir;

    @Test
    void writesOneRowPerBuiltInTeacher() throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\nkept text\n");
        CliTest.Result r = CliTest.run("--data-dir", dir.resolve("data").toString(), "bench", "label", "--count", "8",
                "--rounds", "1", "--write", doc.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(doc);
        assertThat(text).contains("kept text", "<!-- bench:label:begin -->", "<!-- bench:label:end -->",
                "| PP-OCRv4 text detector | 320×320 | 8 |", "| PaddleOCR text-direction classifier | 192×48 | 8 |");
        assertThat(text.lines().filter(l -> l.matches("\\| .* \\| \\d+\\.\\d\\d× \\|"))).hasSize(2);
    }
}
