package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.distill.StudentZoo;
import dev.distillery.distill.bench.StudentJson;
import dev.distillery.distill.bench.TrainBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery bench train}: what it writes and how it copes without Python; no timing asserted. */
class BenchTrainCliTest {
    @TempDir
    Path dir;

    @Test
    void withoutPythonItStillWritesTheDjlFigures() throws Exception {
        Path md = dir.resolve("benchmarks.md");
        Files.writeString(md, "# Benchmarks\n\n## Teachers\n\n" + BenchCommand.begin("teachers") + "\nkept\n"
                + BenchCommand.end("teachers") + "\n");
        CliTest.Result r = CliTest.run("--data-dir", dir.resolve("data").toString(), "bench", "train",
                "--preset", "cls-tiny", "--samples", "8", "--batch", "4", "--seconds", "0", "--rounds", "1",
                "--threads", "1", "--python", dir.resolve("no-such-python").toString(), "--write", md.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("reference not available", "python3-torch", "| cls-tiny | 3x64x64 | 4 | 8 |");
        // 1 thread unless another test in this JVM loaded the engine first (it reads its threads once).
        String section = BenchCommand.Train.trainSection(TrainBenchmark.engineThreads()[0]);
        String text = Files.readString(md);
        assertThat(text).contains("kept", BenchCommand.begin(section), BenchCommand.end(section),
                "## Student training throughput, ", "| cls-tiny | 3x64x64 | 4 | 8 |", "reference not available");

        // A second run replaces the section instead of adding another.
        CliTest.run("bench", "train", "--preset", "cls-tiny", "--samples", "8", "--batch", "4", "--seconds", "0",
                "--rounds", "1", "--threads", "1", "--python", dir.resolve("no-such-python").toString(), "--write",
                md.toString());
        String again = Files.readString(md);
        assertThat(again.split(java.util.regex.Pattern.quote(BenchCommand.begin(section)), -1)).hasSize(2);
        assertThat(again).contains("kept");
    }

    @Test
    void dumpJobPrintsTheLayerListForThePythonReference() {
        CliTest.Result r = CliTest.run("bench", "train", "--preset", "dense-tiny", "--dump-job", "--samples", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(StudentJson.layers(r.out().strip())).isEqualTo(StudentZoo.preset("dense-tiny").layers());
    }

    @Test
    void anUnknownPresetIsAUsageError() {
        CliTest.Result r = CliTest.run("bench", "train", "--preset", "cls-huge");
        assertThat(r.code()).isEqualTo(DistilleryCommand.EXIT_USAGE);
        assertThat(r.err()).contains("cls-huge", "cls-tiny");
    }
}
