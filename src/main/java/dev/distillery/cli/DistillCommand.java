package dev.distillery.cli;

import dev.distillery.distill.StudentTask;
import dev.distillery.boot.AppSession;
import dev.distillery.distill.DistillReport;
import dev.distillery.distill.DistillService;
import dev.distillery.distill.PresetFit;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.RunControl;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.distill.data.Dataset;
import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.distill.data.TextSceneGenerator;
import dev.distillery.model.TaskKind;
import dev.distillery.store.DatasetRow;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery distill}: train a student from a teacher, export it, report teacher vs student. */
@Command(name = "distill", description = {
    "Train a tiny student that copies a teacher (knowledge distillation), export it to ONNX and report",
    "teacher vs student: size, parameters, CPU latency, validation agreement (or IoU for maps).",
    "",
    "--data is a dataset id or name, an image folder (searched recursively; sub-folder names are ground",
    "truth when they match the student's classes), a video, or generated:N (N text scenes for a map",
    "teacher, N text lines for a classifier such as the PP-OCR direction classifier).",
    "A killed run resumes from its last checkpoint with --resume RUN_ID."})
final class DistillCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", paramLabel = "M", description = "Teacher: library id, name, SHA-256 prefix or .onnx file")
    String teacher;
    @Option(names = "--data", paramLabel = "D", description = "Dataset id/name, image folder, video, or generated:N")
    String data;
    @Option(names = "--preset", paramLabel = "P", description = "Student preset: ${COMPLETION-CANDIDATES} (default: "
            + "the biggest that fits --latency-budget on this CPU, measured)", completionCandidates = Presets.class)
    String preset;
    @Option(names = "--latency-budget", paramLabel = "MS", description = "Without --preset: the p95 latency the "
            + "student must fit, as the validators time it (default: the devnet challenge's, ${DEFAULT-VALUE} ms)")
    double latencyBudgetMs = dev.distillery.network.score.Challenge.devnetDefault().latencyBudgetMs();
    @Option(names = "--minutes", paramLabel = "N", description = "Wall-time budget for training (default: none)")
    Double minutes;
    @Option(names = "--epochs", paramLabel = "E", description = "At most E epochs (default 200; detectors 1000, so that --minutes governs)")
    Integer epochs;
    @Option(names = "--out", paramLabel = "S.onnx", description = "Also copy the student here")
    Path outFile;
    @Option(names = "--group", paramLabel = "NAME=SPEC",
            description = "A student class made of teacher classes: indices/ranges (151-268,270) or /regex/ over "
                    + "label names; repeat for more; classes in no group become 'other'")
    List<String> groups = new ArrayList<>();
    @Option(names = "--mode", paramLabel = "cached|consistent",
            description = "cached: teacher outputs computed once (fast, default); consistent: the teacher sees every "
                    + "augmented view (best quality, slower)")
    String mode;
    @Option(names = "--size", paramLabel = "WxH", description = "Student input size (default: the preset's)")
    String size;
    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default 32, maps 8)")
    Integer batch;
    @Option(names = "--seed", paramLabel = "S", description = "Seed for initialisation, order and augmentation "
            + "(default 42)")
    Long seed;
    @Option(names = "--patience", paramLabel = "K", description = "Stop after K epochs without a better validation "
            + "score (0: never)")
    Integer patience;
    @Option(names = "--no-augment", description = "Train on the plain images")
    boolean noAugment;
    @Option(names = "--every", paramLabel = "K", defaultValue = "10", description = "For a video: every K-th frame "
            + "(default ${DEFAULT-VALUE})")
    int every;
    @Option(names = "--threads", paramLabel = "N", description = "Teacher threads (default: the app's setting)")
    Integer threads;
    @Option(names = "--name", description = "Run name")
    String name;
    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue an interrupted run from its checkpoint")
    Long resume;
    @Option(names = "--int8", description = "Also write a static int8 (QDQ) copy, calibrated on validation images, "
            + "with its size, latency and agreement")
    boolean int8;
    @Option(names = "--json", description = "Print the report as one JSON object")
    boolean json;

    static final class Presets extends ArrayList<String> {
        Presets() {
            super(StudentZoo.presets().stream().map(StudentSpec::name).toList());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resume == null && (teacher == null || data == null)) {
            throw new ParameterException(spec.commandLine(), "--teacher and --data are required "
                    + "(or --resume RUN_ID)");
        }
        if (!(latencyBudgetMs > 0)) {
            throw new ParameterException(spec.commandLine(), "--latency-budget must be positive");
        }
        if (minutes != null && !(minutes > 0)) {
            throw new ParameterException(spec.commandLine(), "--minutes must be positive");
        }
        if (preset != null) {
            try {
                StudentZoo.preset(preset);
            } catch (NoSuchElementException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        int[] wh = parseSize();
        try (AppSession session = AppSession.open(root.dataDirectory(), true)) {
            int n = threads != null ? threads : dev.distillery.core.ComputeThreads.resolve(
                    session.settings().getInt(dev.distillery.core.ComputeThreads.SETTING));
            TeacherService teachers = new TeacherService(session.dataDirectory(), session.database(), () -> n);
            DistillService service = new DistillService(session.dataDirectory(), session.database(), teachers);
            service.markInterrupted();
            long runId;
            if (resume != null) {
                runId = resume;
                if (service.runs().find(runId).isEmpty()) {
                    err.println("distillery: no run " + runId + " (see the Distill screen)");
                    return DistilleryCommand.EXIT_USAGE;
                }
                err.println("Resuming run " + runId);
            } else {
                Teacher t = TeacherCommand.resolve(teachers, teacher);
                dev.distillery.distill.target.ClassGroups parsed = null;
                if (!groups.isEmpty()) {
                    try { // a group naming no teacher class is said before any data is read or model timed
                        parsed = dev.distillery.distill.target.ClassGroups.parse(groups, t.profile().labels(),
                                t.profile().task().numClasses());
                    } catch (IllegalArgumentException e) {
                        err.println(spec.commandLine().getColorScheme().errorText("distillery: " + e.getMessage()));
                        return DistilleryCommand.EXIT_USAGE;
                    }
                }
                if (preset == null) {
                    preset = pickPreset(teachers, t, parsed, wh, err);
                }
                StudentSpec base = StudentZoo.preset(preset);
                Distiller.Settings settings = settings(base.kind(), n);
                int sw = wh != null ? wh[0] : base.inputWidth();
                int sh = wh != null ? wh[1] : base.inputHeight();
                long datasetId = dataset(session, t, sw, sh, settings.seed(), err);
                try {
                    runId = service.create(new DistillService.Request(name, t.id(), datasetId, groups, preset,
                            wh != null ? wh[0] : 0, wh != null ? wh[1] : 0, settings,
                            outFile == null ? null : outFile.toAbsolutePath().toString(), int8));
                } catch (IllegalArgumentException e) {
                    err.println(spec.commandLine().getColorScheme().errorText("distillery: " + e.getMessage()));
                    return DistilleryCommand.EXIT_USAGE;
                }
                err.println("Run " + runId + ": " + service.runs().find(runId).orElseThrow().name());
            }
            RunControl control = new RunControl();
            Thread hook = new Thread(control::cancel, "distill-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            DistillService.Result r;
            try {
                r = service.run(runId, new Progress(err), control);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down
                }
            }
            if (r.report() == null) {
                err.println("distillery: run " + runId + " was cancelled; resume it with --resume " + runId);
                return DistilleryCommand.EXIT_ERROR;
            }
            out.println(json ? Json.write(r.report()) : text(r.report()));
            out.flush();
            return 0;
        }
    }

    /** The biggest preset of the teacher's kind that fits the latency budget here, measured as validators do. */
    private String pickPreset(TeacherService teachers, Teacher t, dev.distillery.distill.target.ClassGroups parsed,
                              int[] wh, PrintWriter err) {
        StudentTask kind = StudentTask.ofTeacher(t.profile().task().kind());
        int outputs = kind.outputs(parsed, t.profile().task().numClasses());
        List<StudentSpec> specs = StudentZoo.presets().stream().filter(s -> s.kind() == kind)
                .map(s -> (wh != null ? s.withInput(wh[0], wh[1]) : s).withOutputs(outputs)).toList();
        if (!Double.isNaN(kind.teacherLatencyShare())
                && !spec.commandLine().getParseResult().hasMatchedOption("--latency-budget")) {
            // e.g. a detector is judged against its teacher: a share of its time here
            double teacherP50 = DistillService.teacherP50Ms(teachers.fileOf(t), t,
                    dev.distillery.network.score.Challenge.THREADS);
            latencyBudgetMs = kind.teacherLatencyShare() * teacherP50;
            err.printf(Locale.ROOT, "The teacher runs at p50 %.1f ms here; a %s student gets %.0f %% of it.%n",
                    teacherP50, kind.word(), 100 * kind.teacherLatencyShare());
        }
        err.printf(Locale.ROOT, "No --preset: timing the %d %s presets on this CPU (%s) against a %.1f ms budget…%n",
                specs.size(), kind.word(),
                dev.distillery.core.CpuFeatures.current().modelName(), latencyBudgetMs);
        List<PresetFit.Fit> fits = PresetFit.measure(specs, latencyBudgetMs,
                dev.distillery.network.score.Challenge.THREADS, () -> false);
        for (PresetFit.Fit f : fits) {
            err.println("  " + f.spec().name() + ": " + f.describe());
        }
        PresetFit.Fit pick = PresetFit.pick(fits);
        err.println(pick.fits() ? "Preset " + pick.spec().name() + ": the biggest that fits with room to spare."
                : "Preset " + pick.spec().name() + ": the fastest, and still over the budget here; a smaller --size "
                + "or a machine with more cores would help.");
        return pick.spec().name();
    }

    private int[] parseSize() {
        if (size == null) {
            return null;
        }
        String[] p = size.toLowerCase(Locale.ROOT).split("[x×]");
        try {
            int w = Integer.parseInt(p[0].strip());
            int h = p.length > 1 ? Integer.parseInt(p[1].strip()) : w;
            if (w < 8 || h < 8 || w > 1024 || h > 1024) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ParameterException(spec.commandLine(), "--size must look like 192x48 (8 to 1024 each)");
        }
    }

    private Distiller.Settings settings(StudentTask kind, int threads) {
        Distiller.Settings d = Distiller.Settings.defaults(kind);
        Distiller.Mode m = d.mode();
        if (mode != null) {
            try {
                m = Distiller.Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--mode is cached or consistent");
            }
        }
        int b = batch != null ? batch : d.batchSize();
        if (b < 2) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 2");
        }
        return new Distiller.Settings(m, b, d.learningRate(), d.weightDecay(), d.temperature(), d.ceWeight(),
                epochs != null ? Math.max(1, epochs) : d.maxEpochs(), minutes != null ? minutes * 60 : 0,
                patience != null ? Math.max(0, patience) : d.patience(), !noAugment, seed != null ? seed : d.seed(),
                Math.max(1, threads));
    }

    /** Finds or builds the dataset --data names. */
    private long dataset(AppSession session, Teacher t, int w, int h, long seed, PrintWriter err) {
        var store = session.database().datasets();
        String d = data.strip();
        if (d.matches("\\d+") && store.findById(Long.parseLong(d)).isPresent()) {
            return Long.parseLong(d);
        }
        for (DatasetRow row : store.list()) {
            if (row.name().equalsIgnoreCase(d)) {
                return row.id();
            }
        }
        DatasetBuilder b = new DatasetBuilder(store, session.dataDirectory().datasets())
                .progress((done, total, phase) -> {
                    if (done == total || done % 200 == 0) {
                        err.printf("%s %d/%d%n", phase, done, total);
                    }
                });
        String dsName;
        if (d.startsWith("generated:")) {
            int count;
            try {
                count = Integer.parseInt(d.substring("generated:".length()).strip());
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--data generated:N needs a number, e.g. generated:2000");
            }
            if (count < 4) {
                throw new ParameterException(spec.commandLine(), "generated:N needs N ≥ 4");
            }
            if (t.profile().task().kind() == TaskKind.DETECTION) {
                throw new ParameterException(spec.commandLine(), "generated:N makes text images; a detector needs "
                        + "frames that show its classes: give a video or an image folder");
            }
            if (t.profile().task().kind() == TaskKind.DENSE) {
                b.addGenerated(new TextSceneGenerator(seed, w, h), count);
                dsName = "generated text scenes " + w + "×" + h + " ×" + count + " (seed " + seed + ")";
            } else {
                b.addGeneratedLines(new TextSceneGenerator(seed), count);
                dsName = "generated text lines ×" + count + " (seed " + seed + ")";
            }
            for (DatasetRow row : store.list()) {
                if (row.name().equals(dsName)) {
                    return row.id(); // same generator, same seed: the same images
                }
            }
        } else {
            Path p = Path.of(d);
            if (Files.isDirectory(p)) {
                b.addFolder(p);
            } else if (Files.isRegularFile(p)) {
                b.addVideo(p, every);
            } else {
                throw new ParameterException(spec.commandLine(), "--data " + d + " is no dataset, folder, video or "
                        + "generated:N");
            }
            dsName = p.toAbsolutePath().normalize().getFileName().toString();
        }
        Dataset built = b.build(dsName);
        err.printf("Dataset %d '%s': %d images (%d validation), %d unreadable, %d duplicates%n", built.id(),
                built.name(), built.itemCount(), built.valCount(), built.skippedUnreadable(),
                built.skippedDuplicates());
        return built.id();
    }

    /** Phases and epochs on stderr, one line each. */
    private static final class Progress implements Distiller.Listener {
        private final PrintWriter err;
        private String lastPhase = "";
        private long lastPrint;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void phase(String text, double fraction, double eta) {
            long now = System.nanoTime();
            if (!text.equals(lastPhase) || fraction >= 1 || now - lastPrint > 5_000_000_000L) {
                lastPhase = text;
                lastPrint = now;
                err.printf(Locale.ROOT, "%s%s%s%n", text, fraction >= 0 ? String.format(Locale.ROOT, " %3.0f%%",
                        fraction * 100) : "", Double.isFinite(eta) && eta > 0 && fraction < 1
                        ? String.format(Locale.ROOT, ", ETA %.0f s", eta) : "");
                err.flush();
            }
        }

        @Override
        public void epoch(Distiller.EpochInfo e) {
            err.printf(Locale.ROOT, "epoch %3d  loss %.4f  val %.4f%s%s  lr %.2e  %.0f samples/s  %.0f s%s%n", e.epoch(),
                    e.trainLoss(), e.valMetric(), e.valBalanced() == null ? ""
                            : String.format(Locale.ROOT, "  balanced %.3f  kappa %.3f", e.valBalanced(),
                            e.valKappa() == null ? 0 : e.valKappa()), e.valAccuracy() == null ? ""
                            : String.format(Locale.ROOT, "  acc %.3f", e.valAccuracy()), e.learningRate(),
                    e.samplesPerSecond(), e.elapsedSeconds(), e.best() ? "  *" : "");
            err.flush();
        }
    }

    static String text(DistillReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "student %s (%s %d×%d) from %s%n", r.studentPath(), r.preset(),
                r.inputWidth(), r.inputHeight(), r.teacherName()));
        b.append(String.format(Locale.ROOT, "%-16s %14s %14s %9s%n", "", "teacher", "student", "ratio"));
        b.append(String.format(Locale.ROOT, "%-16s %,14d %,14d %8.3f×%n", "file bytes", r.teacherBytes(),
                r.studentBytes(), r.sizeRatio()));
        b.append(String.format(Locale.ROOT, "%-16s %,14d %,14d %8.3f×%n", "parameters", r.teacherParams(),
                r.studentParams(), (double) r.studentParams() / Math.max(1, r.teacherParams())));
        b.append(String.format(Locale.ROOT, "%-16s %11.3f ms %11.3f ms %8.3f×   (batch 1, %d threads)%n",
                "latency p50", r.teacherP50Ms(), r.studentP50Ms(), r.latencyRatio(), r.threads()));
        b.append(String.format(Locale.ROOT, "%-16s %.4f on %d validation images%s%n", r.metricName(), r.valMetric(),
                r.valImages(), r.valAccuracy() == null ? ""
                        : String.format(Locale.ROOT, ", accuracy %.4f", r.valAccuracy())));
        if (r.classification() != null) {
            var c = r.classification();
            b.append(String.format(Locale.ROOT, "%-16s %.4f (always \"%s\" would score this)%n", "majority baseline",
                    c.majorityBaseline(), c.majorityClass()));
            b.append(String.format(Locale.ROOT, "%-16s %.4f (mean per-class recall)   kappa %.4f%n", "balanced",
                    c.balancedAgreement(), c.kappa()));
            b.append(String.format(Locale.ROOT, "%-16s %s%n", "per class", c.perClass().stream()
                    .filter(x -> x.count() > 0).limit(8)
                    .map(x -> String.format(Locale.ROOT, "%s %.2f (%d)", x.name(), x.recall(), x.count()))
                    .collect(java.util.stream.Collectors.joining(", "))));
            b.append(String.format(Locale.ROOT, "%-16s %s%s%n", "verdict", c.verdict(), c.failed()
                    ? String.format(Locale.ROOT, ": %s%n%-16s %s", c.verdictReason(), "", c.advice()) : ""));
        }
        if (r.detection() != null) {
            var d = r.detection();
            b.append(String.format(Locale.ROOT, "%-16s %.4f   mAP@0.5:0.95 %.4f (the teacher's boxes as truth)%n",
                    "mAP@0.5", d.map50(), d.map50to95()));
            b.append(String.format(Locale.ROOT, "%-16s teacher %.2f, student %.2f%n", "boxes/image",
                    d.teacherBoxesPerFrame(), d.studentBoxesPerFrame()));
            b.append(String.format(Locale.ROOT, "%-16s %s%n", "per class", d.perClass().stream()
                    .map(x -> String.format(Locale.ROOT, "%s AP50 %.2f (%d boxes)", x.name(), x.ap50(), x.boxes()))
                    .collect(java.util.stream.Collectors.joining(", "))));
        }
        b.append(String.format(Locale.ROOT, "%-16s %d epochs (best %d), %.0f s, %.0f samples/s, %s%n", "training",
                r.epochs(), r.bestEpoch(), r.trainSeconds(), r.samplesPerSecond(), r.stopReason()));
        b.append(String.format(Locale.ROOT, "%-16s ONNX Runtime vs DJL max |diff| %.2g%n", "export check",
                r.parityMaxAbsDiff()));
        if (r.int8() != null) {
            b.append(String.format(Locale.ROOT, "%-16s %s: %,d bytes, %.3f ms, %s %.4f%n", "int8", r.int8().path(),
                    r.int8().bytes(), r.int8().p50Ms(), r.metricName(), r.int8().valMetric()));
        }
        return b.toString();
    }
}
