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
            BenchCommand.Train.class, BenchLabelCommand.class,
            BenchCommand.Epoch.class, BenchEarningsCommand.class})
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

    /** The header line every benchmark table gets: the CPU, its features and the int8-precision choice. */
    static String machineLine() {
        return dev.distillery.core.Int8Precision.describe() + ".";
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

    /**
     * Replaces one section between its markers, or appends it under a heading. Every table starts with the
     * machine line ({@link dev.distillery.core.Int8Precision#describe()}): an int8 model's speed and answers
     * depend on the CPU and on the int8-precision choice.
     */
    static void writeSection(Path file, String section, String heading, String content) {
        String block = begin(section) + "\n" + machineLine() + "\n\n" + content.stripTrailing() + "\n" + end(section);
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

    @Command(name = "train", description = "Student training samples/s: DJL's KdTrainer against a PyTorch-in-Python "
            + "reference (benchmarks/torch_reference.py) of the same student, data size, batch and threads.")
    static final class Train implements Callable<Integer> {
        static final String NOT_AVAILABLE = "reference not available";

        @Spec
        CommandSpec spec;
        @Option(names = "--preset", split = ",", defaultValue = "cls-tiny,dense-tiny", paramLabel = "P",
                description = "Student presets (default: ${DEFAULT-VALUE})")
        List<String> presets;
        @Option(names = "--batch", defaultValue = "32")
        int batch;
        @Option(names = "--samples", paramLabel = "N",
                description = "Samples held in memory (default: per preset, up to 1024 and about 256 MB)")
        Integer samples;
        @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
                description = "Timed epochs run until S seconds have passed, after one warm-up epoch (default: ${DEFAULT-VALUE})")
        double seconds;
        @Option(names = "--rounds", defaultValue = "2",
                description = "DJL then Python, this many times per preset; the best of each is kept (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads on both sides (inter-op: 1)")
        int threads;
        @Option(names = "--python", paramLabel = "EXE",
                description = "Python with PyTorch (default: python3 on the PATH, else /usr/bin/python3)")
        String python;
        @Option(names = "--dump-job", description = "Print the reference's JSON job for the first preset and exit "
                + "(pipe it into benchmarks/torch_reference.py)")
        boolean dumpJob;
        @Option(names = "--write", paramLabel = "FILE", description = "Also rewrite the train section of this Markdown file")
        Path write;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (batch < 2 || rounds < 1 || threads < 1 || seconds < 0 || (samples != null && samples < 2)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--batch and --samples must be at least 2, --rounds and --threads at least 1");
            }
            List<dev.distillery.distill.StudentSpec> students = new ArrayList<>();
            for (String p : presets) {
                try {
                    var preset = dev.distillery.distill.StudentZoo.preset(p.strip());
                    if (preset.kind().torchReferenceKind() == null) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), preset.name()
                                + " is a " + preset.kind().word() + ": bench train compares classifiers and dense maps "
                                + "with the PyTorch reference, which has no " + preset.kind().word() + " loss");
                    }
                    students.add(preset);
                } catch (java.util.NoSuchElementException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            if (dumpJob) {
                var s = students.get(0);
                out.println(dev.distillery.distill.bench.StudentJson.job(s, config(), samplesFor(s), threads, seconds));
                out.flush();
                return 0;
            }
            // Before anything loads the PyTorch engine: it reads these once.
            dev.distillery.distill.bench.TrainBenchmark.useThreads(threads);
            var ref = dev.distillery.distill.bench.TorchReference.find(
                    python != null ? List.of(python) : dev.distillery.distill.bench.TorchReference.DEFAULT_PYTHONS);
            if (!ref.available()) {
                out.println("PyTorch-in-Python " + NOT_AVAILABLE + ": " + ref.problem()
                        + ". Install Debian's python3-torch (apt-get install python3-torch) or pass --python; "
                        + "measuring DJL alone.");
            } else {
                out.println("Reference: " + ref.python() + ", torch " + ref.torchVersion());
            }
            int[] djlThreads = dev.distillery.distill.bench.TrainBenchmark.engineThreads();
            if (djlThreads[0] != threads || djlThreads[1] != 1) {
                out.printf(Locale.ROOT, "Note: the PyTorch engine was already loaded with %d intra-op / %d inter-op "
                        + "threads; DJL figures use those.%n", djlThreads[0], djlThreads[1]);
            }
            String load = loadAverage();
            List<String> rows = new ArrayList<>();
            String torchVersion = null;
            for (var s : students) {
                int n = samplesFor(s);
                out.printf(Locale.ROOT, "%s: %d samples of %dx%d, batch %d, %d threads, %d round(s) of >= %.0f s%n",
                        s.name(), n, s.inputSize(), s.inputSize(), batch, threads, rounds, seconds);
                out.flush();
                dev.distillery.distill.bench.TrainBenchmark.Measurement bestDjl = null;
                dev.distillery.distill.bench.TorchReference.Result bestRef = null;
                String refProblem = ref.available() ? null : NOT_AVAILABLE;
                for (int round = 1; round <= rounds; round++) {
                    var m = dev.distillery.distill.bench.TrainBenchmark.djl(s, config(), n, seconds);
                    out.printf(Locale.ROOT, "  round %d  DJL     %8.1f samples/s (%d samples in %.1f s)%n", round,
                            m.samplesPerSecond(), m.samples(), m.seconds());
                    out.flush();
                    if (bestDjl == null || m.samplesPerSecond() > bestDjl.samplesPerSecond()) {
                        bestDjl = m;
                    }
                    if (refProblem != null) {
                        continue;
                    }
                    try {
                        var r = dev.distillery.distill.bench.TorchReference.run(ref,
                                dev.distillery.distill.bench.StudentJson.job(s, config(), n, threads, seconds), seconds);
                        out.printf(Locale.ROOT, "  round %d  PyTorch %8.1f samples/s (%d samples in %.1f s, %d/%d threads;"
                                        + " ms/step %s)%n", round, r.samplesPerSecond(), r.samples(), r.seconds(),
                                r.threads(), r.interopThreads(), r.msPerStep());
                        out.flush();
                        torchVersion = r.torchVersion();
                        if (r.params() != s.parameterCount()) {
                            out.printf(Locale.ROOT, "  warning: the reference holds %d values, DJL %d%n", r.params(),
                                    s.parameterCount());
                        }
                        if (bestRef == null || r.samplesPerSecond() > bestRef.samplesPerSecond()) {
                            bestRef = r;
                        }
                    } catch (java.io.IOException e) {
                        refProblem = NOT_AVAILABLE + " (" + e.getMessage() + ")";
                        out.println("  PyTorch " + refProblem);
                    }
                }
                String refCell = bestRef != null ? String.format(Locale.ROOT, "%.1f", bestRef.samplesPerSecond())
                        : refProblem;
                String ratio = bestRef != null
                        ? String.format(Locale.ROOT, "%.2f×", bestDjl.samplesPerSecond() / bestRef.samplesPerSecond()) : "—";
                String row = String.format(Locale.ROOT, "| %s | %dx%dx%d | %d | %d | %,d | %.1f | %s | %s |", s.name(),
                        s.inputChannels(), s.inputSize(), s.inputSize(), batch, n, s.parameterCount(),
                        bestDjl.samplesPerSecond(), refCell, ratio);
                out.println(row);
                out.flush();
                rows.add(row);
            }
            if (write != null) {
                // One section per thread count, so a 1-thread and a 2-thread table can stand side by side.
                writeSection(write, trainSection(djlThreads[0]), "Student training throughput, " + djlThreads[0]
                        + (djlThreads[0] == 1 ? " thread" : " threads"), trainTable(rows, ref, torchVersion, djlThreads, load));
                out.println("Wrote " + write);
            }
            out.flush();
            return 0;
        }

        static String trainSection(int threads) {
            return "train-" + threads + "t";
        }

        private dev.distillery.distill.KdTrainer.Config config() {
            var d = dev.distillery.distill.KdTrainer.Config.defaults();
            return new dev.distillery.distill.KdTrainer.Config(1, batch, d.learningRate(), d.weightDecay(),
                    d.temperature(), d.seed());
        }

        private int samplesFor(dev.distillery.distill.StudentSpec s) {
            return samples != null ? samples : dev.distillery.distill.bench.TrainBenchmark.defaultSamples(s, batch);
        }

        private String trainTable(List<String> rows, dev.distillery.distill.bench.TorchReference.Interpreter ref,
                                  String torchVersion, int[] djlThreads, String load) {
            String djl = dev.distillery.core.RuntimeVersions.pyTorch().display();
            String python = ref.available() && torchVersion != null
                    ? "Python PyTorch " + torchVersion + " (`" + ref.python() + "`)"
                    : "the Python reference (" + NOT_AVAILABLE + ")";
            return "Measured " + LocalDate.now() + " by `distillery bench train` on "
                    + Runtime.getRuntime().availableProcessors() + " cores (load average before the run: " + load
                    + "): DJL PyTorch " + djl + " against " + python + ", " + djlThreads[0] + " intra-op and "
                    + djlThreads[1] + " inter-op thread(s) on both sides, best of " + rounds + " alternating rounds of at "
                    + "least " + String.format(Locale.ROOT, "%.0f", seconds) + " s of whole epochs after a warm-up epoch. "
                    + "Ratio = DJL samples/s ÷ PyTorch samples/s (higher is better; goal ≥ 0.9×).\n\n"
                    + "| student | input | batch | samples in memory | params | DJL samples/s | PyTorch samples/s | ratio |\n"
                    + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                    + String.join("\n", rows);
        }

    }

    /** The 1, 5 and 15 minute load averages ("unknown" off Linux), printed next to benchmark figures. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    @Command(name = "epoch", description = "Ledger epoch time for a full subnet (256 UIDs, 64 validators by default): "
            + "Yuma alone and the whole H2 epoch, against an n×n matrix product in the same process.")
    static final class Epoch implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--uids", defaultValue = "256")
        int uids;
        @Option(names = "--validators", defaultValue = "64")
        int validators;
        @Option(names = "--runs", defaultValue = "20")
        int runs;
        @Option(names = "--write", paramLabel = "FILE", description = "Also rewrite the epoch section of this Markdown file")
        Path write;

        @Override
        public Integer call() throws IOException {
            if (validators < 1 || validators >= uids || uids > 4096 || runs < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "need 1 ≤ validators < uids ≤ 4096 and runs ≥ 1");
            }
            Path scratch = Files.createTempDirectory("distillery-bench-epoch");
            var r = dev.distillery.network.ledger.EpochBenchmark.measure(uids, validators, runs, scratch);
            dev.distillery.core.Folders.deleteTree(scratch);
            String row = String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f× | %.2f× |", r.uids(),
                    r.validators(), r.baselineMs(), r.yumaMs(), r.ledgerEpochMs(), r.yumaMs() / r.baselineMs(),
                    r.ledgerEpochMs() / r.baselineMs());
            PrintWriter out = spec.commandLine().getOut();
            out.println(row);
            if (write != null) {
                writeSection(write, "epoch", "Ledger epoch time", "Measured " + LocalDate.now()
                        + " by `distillery bench epoch` on " + Runtime.getRuntime().availableProcessors()
                        + " cores: p50 over " + r.runs() + " Yuma runs and " + Math.max(3, r.runs() / 5)
                        + " ledger epochs (H2: read state, Yuma, write neurons, bonds, balances and the epoch in one "
                        + "transaction). Baseline: an n×n by n×n matrix product in Java, same process.\n\n"
                        + "| UIDs | validators | baseline ms | Yuma ms | ledger epoch ms | Yuma / baseline | "
                        + "epoch / baseline |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n" + row + "\n");
                out.println("wrote the epoch section of " + write);
            }
            return 0;
        }
    }
}
