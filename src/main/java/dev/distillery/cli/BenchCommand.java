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
@Command(name = "bench", description = "Benchmarks on this machine.",
        subcommands = {BenchCommand.Teacher_.class, BenchCommand.Decode.class, BenchCommand.Live.class,
            BenchLabelCommand.class})
final class BenchCommand {
    @ParentCommand
    DistilleryCommand root;

    static final String BEGIN = begin("teachers");
    static final String END = end("teachers");

    static String begin(String section) {
        return "<!-- bench:" + section + ":begin -->";
    }

    static String end(String section) {
        return "<!-- bench:" + section + ":end -->";
    }

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
        StringBuilder table = new StringBuilder()
                .append("Measured ").append(LocalDate.now()).append(" by `distillery bench teacher`, ONNX Runtime ")
                .append(dev.distillery.core.RuntimeVersions.onnxRuntime().display()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores. Ratio = teacher p50 / reference "
                        + "CNN p50 measured in the same process (lower is faster).\n\n")
                .append("| teacher | task | input | p50 ms (batch 1) | p95 ms | ratio to reference | images/s | threads | peak RSS MB |\n")
                .append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.forEach(r -> table.append(r).append('\n'));
        writeSection(file, "teachers", "Teachers", table.toString());
    }

    /** Replaces one section between its markers, or appends it under a heading. */
    static void writeSection(Path file, String section, String heading, String content) {
        String block = begin(section) + "\n" + content.stripTrailing() + "\n" + end(section);
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            int b = old.indexOf(begin(section));
            int e = old.indexOf(end(section));
            String updated = b >= 0 && e > b
                    ? old.substring(0, b) + block + old.substring(e + end(section).length())
                    : old.stripTrailing() + "\n\n## " + heading + "\n\n" + block + "\n";
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new dev.distillery.model.TeacherException("Cannot write " + file + ": " + ex.getMessage());
        }
    }

    @Command(name = "decode", description = "Video decode and decode + preprocess (224x224) frames/s on one thread.")
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--video", required = true, paramLabel = "FILE")
        Path video;
        @Option(names = "--rounds", defaultValue = "3")
        int rounds;
        @Option(names = "--write", paramLabel = "FILE", description = "Also rewrite the decode section of this Markdown file")
        Path write;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(video)) {
                throw new dev.distillery.vision.SourceException("No video at " + video);
            }
            var r = dev.distillery.vision.DecodeBenchmark.measure(video, rounds);
            String line = String.format(Locale.ROOT, "%s: %d frames; decode only %.0f frames/s (baseline); decode + "
                    + "preprocess to 224x224 %.0f frames/s = %.2fx the baseline; preprocess alone %.0f frames/s",
                    video.getFileName(), r.frames(), r.decodeFps(), r.decodePreFps(), r.ratio(), r.preprocessOnlyFps());
            spec.commandLine().getOut().println(line);
            if (write != null) {
                writeSection(write, "decode", "Video decode and preprocessing", "Measured " + LocalDate.now()
                        + " by `distillery bench decode` on one thread (FFmpeg and OpenCV limited to 1 thread), best of "
                        + rounds + " passes.\n\n| video | frames | decode only (baseline) | decode + preprocess 224x224 "
                        + "| ratio | preprocess only |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
                        + String.format(Locale.ROOT, "| %s | %d | %.0f fps | %.0f fps | %.2f× | %.0f fps |", video.getFileName(),
                                r.frames(), r.decodeFps(), r.decodePreFps(), r.ratio(), r.preprocessOnlyFps()));
                spec.commandLine().getOut().println("Wrote " + write);
            }
            return 0;
        }
    }

    @Command(name = "live", description = "The live pipeline against bare inference on the same frames.")
    static final class Live implements Callable<Integer> {
        @ParentCommand
        BenchCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--source", required = true, paramLabel = "S")
        String source;
        @Option(names = "--model", required = true, paramLabel = "M")
        List<String> models;
        @Option(names = "--frames", defaultValue = "400")
        int frames;
        @Option(names = "--threads", description = "Inference threads per model (repeatable runs: 1,2)", split = ",",
                defaultValue = "1,2")
        List<Integer> threads;
        @Option(names = "--write", paramLabel = "FILE")
        Path write;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<String> rows = new ArrayList<>();
            for (String m : models) {
                for (int n : threads) {
                    var report = TeacherCommand.withService(parent.root, n, s -> {
                        Teacher t = TeacherCommand.resolve(s, m);
                        try (var model = new dev.distillery.live.RunnerModel(t.name(),
                                dev.distillery.teacher.run.TeacherRunner.open(s.fileOf(t), t.profile(), n));
                             var src = dev.distillery.vision.FrameSources.open(source)) {
                            return dev.distillery.live.LiveRun.run(src, List.of(model), frames);
                        }
                    });
                    var r = report.models().get(0);
                    String row = String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.2f | %.2f | %+.1f %% |",
                            r.name(), report.source(), n, r.frames(), r.fps(), r.bareMsPerFrame(), r.pipelineMsPerFrame(),
                            r.overheadPercent());
                    out.println(row);
                    rows.add(row);
                }
            }
            if (write != null) {
                writeSection(write, "live", "Live pipeline overhead", "Measured " + LocalDate.now() + " by `distillery "
                        + "bench live` on " + Runtime.getRuntime().availableProcessors() + " cores. Bare = the model "
                        + "alone in a plain loop over frames of the run (the baseline, same process); pipeline = "
                        + "wall time per frame with the decode thread, frame slot and worker running concurrently. "
                        + "On 2 cores a 2-thread model shares its cores with decoding, so the 2-thread rows measure "
                        + "that contention as much as the pipeline; the Live screen therefore leaves one core to "
                        + "decoding.\n\n| model | source | inference threads | frames | fps | bare ms/frame | "
                        + "pipeline ms/frame | overhead |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                        + String.join("\n", rows));
                out.println("Wrote " + write);
            }
            out.flush();
            return 0;
        }
    }
}
