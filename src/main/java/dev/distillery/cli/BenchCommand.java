package dev.distillery.cli;

import dev.distillery.teacher.eval.BenchResult;
import dev.distillery.teacher.library.Teacher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery bench …}: measured, never guessed. */
@Command(name = "bench", description = "Benchmarks on this machine.", subcommands = BenchCommand.Teacher_.class)
final class BenchCommand {
    @ParentCommand
    DistilleryCommand root;

    static final String BEGIN = "<!-- bench:teachers:begin -->";
    static final String END = "<!-- bench:teachers:end -->";

    @Command(name = "teacher", description = "p50/p95 latency at batch 1, throughput at batch 8, peak memory; "
            + "stored with the teacher.")
    static final class Teacher_ implements Callable<Integer> {
        @ParentCommand
        BenchCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--model", required = true, paramLabel = "M", description = "Library id, name or .onnx file (repeatable)")
        List<String> models;
        @Option(names = "--threads", description = "CPU threads (default: the app setting)")
        Integer threads;
        @Option(names = "--write", paramLabel = "FILE",
                description = "Also rewrite the teachers table in this Markdown file (e.g. docs/benchmarks.md)")
        Path write;
        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return TeacherCommand.withService(parent.root, threads, s -> {
                List<String> rows = new ArrayList<>();
                for (String m : models) {
                    Teacher t = TeacherCommand.resolve(s, m);
                    BenchResult r = s.benchmark(t, null, null);
                    if (json) {
                        out.println(dev.distillery.teacher.TeacherService.json(java.util.Map.of("name", t.name(), "bench", r)));
                    } else {
                        out.printf(Locale.ROOT, "%s: p50 %.2f ms, p95 %.2f ms (batch %d), %.1f img/s (batch %d), "
                                        + "%d threads, peak RSS %.0f MB, %.2fx reference (%.2f ms)%n",
                                t.name(), r.p50Ms(), r.p95Ms(), r.latencyBatch(), r.imagesPerSecond(), r.throughputBatch(),
                                r.threads(), r.peakRssMb(), r.ratioToBaseline(), r.baselineP50Ms());
                    }
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %dx%d | %.2f | %.2f | %.2f× | %.1f (b%d) | %d | %.0f |",
                            t.name(), t.profile().task().kind().title(), r.inputWidth(), r.inputHeight(), r.p50Ms(),
                            r.p95Ms(), r.ratioToBaseline(), r.imagesPerSecond(), r.throughputBatch(), r.threads(),
                            r.peakRssMb()));
                }
                out.flush();
                if (write != null) {
                    writeTable(write, rows);
                    out.println("Wrote " + write);
                }
                return 0;
            });
        }
    }

    /** Replaces the teachers table between the markers (or appends it). */
    static void writeTable(Path file, List<String> rows) {
        StringBuilder table = new StringBuilder(BEGIN).append('\n')
                .append("Measured ").append(LocalDate.now()).append(" by `distillery bench teacher`, ONNX Runtime ")
                .append(dev.distillery.core.RuntimeVersions.onnxRuntime().display()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores. Ratio = teacher p50 / reference "
                        + "CNN p50 measured in the same process (lower is faster).\n\n")
                .append("| teacher | task | input | p50 ms (batch 1) | p95 ms | ratio to reference | images/s | threads | peak RSS MB |\n")
                .append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.forEach(r -> table.append(r).append('\n'));
        table.append(END);
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            int b = old.indexOf(BEGIN);
            int e = old.indexOf(END);
            String updated = b >= 0 && e > b
                    ? old.substring(0, b) + table + old.substring(e + END.length())
                    : old.stripTrailing() + "\n\n## Teachers\n\n" + table + "\n";
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new dev.distillery.model.TeacherException("Cannot write " + file + ": " + ex.getMessage());
        }
    }
}
