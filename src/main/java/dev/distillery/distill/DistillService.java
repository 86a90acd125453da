package dev.distillery.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.onnx.OrtSessions;
import dev.distillery.core.DataDirectory;
import dev.distillery.distill.target.Target;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherProfile;
import dev.distillery.store.Database;
import dev.distillery.store.DatasetItemRow;
import dev.distillery.store.EpochRow;
import dev.distillery.store.RunRow;
import dev.distillery.store.RunStore;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.eval.BenchResult;
import dev.distillery.teacher.eval.TeacherBenchmark;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distillation runs end to end, as the app and the CLI start them: a {@link Request} is stored (so a run can be
 * resumed after a crash), resolved into a {@link Distiller.Plan} (teacher, target, student, data), trained, and
 * exported with its {@link DistillReport}. Run status, phases and every epoch's metrics go to H2 as they happen.
 */
public final class DistillService {
    private static final Logger LOG = LoggerFactory.getLogger(DistillService.class);
    public static final float MAP_THRESHOLD = (float) dev.distillery.metrics.MapIou.DEFAULT_THRESHOLD;
    /**
     * Share of its teacher's p50 a detector student's p95 may take when its preset is picked for it. Below the 0.3×
     * the detection benchmark asks for, because another CPU or load moves the ratio, and because a faster preset also
     * trains faster: at 15 minutes det-base (p95 2.5 ms against a 12 ms teacher) did worse on held-out frames than
     * det-small (1.1 ms) did in 7.5 (docs/benchmarks.md).
     */
    public static final double DETECTOR_LATENCY_SHARE = 0.2;

    /**
     * The teacher's p50 latency in ms at batch 1 on {@code threads} threads, timed here (3 warm-up runs, 20 timed):
     * what a detector student's latency budget is a share of ({@link #DETECTOR_LATENCY_SHARE}).
     */
    public static double teacherP50Ms(java.nio.file.Path file, dev.distillery.teacher.library.Teacher t, int threads) {
        return new dev.distillery.teacher.eval.TeacherBenchmark(threads, 3, 20, 1).run(file,
                t.info().inputs().get(0).name(), t.profile().preprocessing(), null, () -> false).p50Ms();
    }

    /**
     * What the user asked for.
     *
     * @param groups      class groups ({@code NAME=SPEC}); empty: the teacher's full class list (or a dense map)
     * @param inputWidth  student input width, 0 for the preset's choice
     * @param exportPath  where to copy the student .onnx as well (null: only the run folder)
     */
    public record Request(String name, long teacherId, long datasetId, List<String> groups, String preset,
                          int inputWidth, int inputHeight, Distiller.Settings settings, String exportPath,
                          boolean int8) {
        public Request {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /** The finished run. */
    public record Result(long runId, Distiller.Outcome outcome, DistillReport report) {
    }

    private final DataDirectory dir;
    private final Database db;
    private final TeacherService teachers;

    public DistillService(DataDirectory dir, Database db, TeacherService teachers) {
        this.dir = dir;
        this.db = db;
        this.teachers = teachers;
    }

    public RunStore runs() {
        return db.runs();
    }

    /**
     * Checks the request against the teacher and data (groups, task, preset) and registers the run.
     *
     * @throws IllegalArgumentException with a message for the user when the request cannot work
     */
    public long create(Request r) {
        Teacher t = teacher(r.teacherId());
        Distiller.Plan plan = plan(r, t, Path.of("unused"));
        String name = r.name() == null || r.name().isBlank()
                ? plan.student().name() + " from " + t.name() : r.name();
        long id = db.runs().create(name, t.sha256(), t.name(), r.datasetId(), plan.student().name(), Json.write(r),
                dir.runs().resolve("{id}").toString());
        LOG.info("Run {} created: {}", id, name);
        return id;
    }

    public Request request(long runId) {
        RunRow row = db.runs().find(runId).orElseThrow(() -> new NoSuchElementException("No run " + runId));
        return Json.read(row.requestJson(), Request.class);
    }

    /** Marks runs whose process died as INTERRUPTED; call once at start-up. */
    public List<RunRow> markInterrupted() {
        return db.runs().markInterrupted(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * Trains (resuming from the run's checkpoint when it has one), exports and reports. Blocks; run it on a
     * worker thread. Returns normally when cancelled (status CANCELLED, the best weights kept).
     */
    public Result run(long runId, Distiller.Listener listener, RunControl control) {
        // the embedded devnet's evaluations wait while this trains (core.Foreground)
        try (dev.distillery.core.Foreground.Handle busy = dev.distillery.core.Foreground.begin()) {
            return runHere(runId, listener, control);
        }
    }

    private Result runHere(long runId, Distiller.Listener listener, RunControl control) {
        RunStore store = db.runs();
        RunRow row = store.find(runId).orElseThrow(() -> new NoSuchElementException("No run " + runId));
        Request r = Json.read(row.requestJson(), Request.class);
        Path runDir = Path.of(row.runDir());
        Distiller.Listener l = listener == null ? new Distiller.Listener() { } : listener;
        store.markRunning(runId, Distiller.hasCheckpoint(runDir) ? "Resuming" : "Starting");
        try {
            Files.createDirectories(runDir);
            Teacher t = teacher(r.teacherId());
            Distiller.Plan plan = plan(r, t, runDir);
            Distiller.Listener recording = new Distiller.Listener() {
                String lastPhase = "";

                @Override
                public void phase(String text, double fraction, double eta) {
                    if (!text.equals(lastPhase)) {
                        lastPhase = text;
                        store.phase(runId, text);
                    }
                    l.phase(text, fraction, eta);
                }

                @Override
                public void step(Distiller.StepInfo s) {
                    l.step(s);
                }

                Double bestSoFar;

                @Override
                public void epoch(Distiller.EpochInfo e) {
                    if (e.best() || bestSoFar == null) {
                        bestSoFar = e.valMetric(); // the best epoch's metric (what export uses), not the latest
                    }
                    if (e.epoch() > 0) {
                        store.epoch(new EpochRow(runId, e.epoch(), e.trainLoss(), e.valMetric(), e.valAccuracy(),
                                e.learningRate(), e.samplesPerSecond(), e.elapsedSeconds()), e.epoch(), bestSoFar);
                        store.phase(runId, String.format(Locale.ROOT, "Training: epoch %d done", e.epoch()));
                    }
                    l.epoch(e);
                }
            };
            Distiller distiller = new Distiller(plan, recording, control);
            Distiller.Outcome outcome = distiller.train();
            if (outcome.stop() == Distiller.Stop.CANCELLED) {
                store.finish(runId, RunRow.CANCELLED, "Cancelled after epoch " + outcome.epochs()
                        + "; the best weights are kept and can be exported", null);
                return new Result(runId, outcome, null);
            }
            l.phase("Exporting and measuring", -1, Double.NaN);
            store.phase(runId, "Exporting and measuring");
            DistillReport report = export(runId, plan, distiller, outcome, r, t);
            store.report(runId, report.studentPath(), Json.write(report));
            store.finish(runId, RunRow.COMPLETED, String.format(Locale.ROOT, "Done: %s %.3f, %s", report.metricName(),
                    report.valMetric(), stopText(outcome.stop())), null);
            return new Result(runId, outcome, report);
        } catch (CancellationException e) {
            store.finish(runId, RunRow.CANCELLED, "Cancelled before training started", null);
            return new Result(runId, null, null);
        } catch (IOException e) {
            store.finish(runId, RunRow.FAILED, "Failed", e.getMessage());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            store.finish(runId, RunRow.FAILED, "Failed", e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
    }

    /**
     * Exports the best weights of a run that was cancelled (or whose export failed): reads its data and cached
     * teacher outputs again, exports with the parity check and stores the report. Blocks.
     *
     * @throws IllegalStateException when the run has no checkpoint yet
     */
    public DistillReport export(long runId, Distiller.Listener listener) {
        RunStore store = db.runs();
        RunRow row = store.find(runId).orElseThrow(() -> new NoSuchElementException("No run " + runId));
        Path runDir = Path.of(row.runDir());
        if (!Files.isRegularFile(Distiller.bestWeights(runDir)) || !Distiller.hasCheckpoint(runDir)) {
            throw new IllegalStateException("Run " + runId + " has no trained weights yet: it stopped before its first "
                    + "epoch ended");
        }
        Request r = Json.read(row.requestJson(), Request.class);
        Teacher t = teacher(r.teacherId());
        Distiller.Plan plan = plan(r, t, runDir);
        Distiller d = new Distiller(plan, listener, new RunControl());
        try {
            Distiller.Outcome outcome = d.prepareForExport();
            DistillReport report = export(runId, plan, d, outcome, r, t);
            store.report(runId, report.studentPath(), Json.write(report));
            store.phase(runId, String.format(Locale.ROOT, "Exported the best weights: %s %.3f", report.metricName(),
                    report.valMetric()));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the run, its epochs and its folder (checkpoints and exported student). */
    public void delete(long runId) {
        RunRow row = db.runs().find(runId).orElse(null);
        if (row == null) {
            return;
        }
        if (RunRow.RUNNING.equals(row.status()) && row.ownerPid() != null
                && ProcessHandle.of(row.ownerPid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("Run " + runId + " is still training; cancel it first");
        }
        db.runs().delete(runId);
        Path folder = Path.of(row.runDir()).toAbsolutePath().normalize();
        if (folder.startsWith(dir.runs().toAbsolutePath().normalize()) && !dev.distillery.core.Folders.deleteTree(folder)) {
            LOG.warn("Could not delete all of the folder of run {}", runId);
        }
    }

    static String stopText(Distiller.Stop s) {
        return switch (s) {
            case EPOCHS -> "all epochs done";
            case BUDGET -> "time budget reached";
            case EARLY_STOPPING -> "stopped early (no better validation score)";
            case CANCELLED -> "cancelled";
        };
    }

    private Teacher teacher(long id) {
        return teachers.get(id).orElseThrow(() -> new IllegalArgumentException("Teacher " + id
                + " is not in the library (deleted?); import it again"));
    }

    // ------------------------------------------------------------------------------------------------ planning

    /** Resolves a request into a plan; all user-facing checks live here. */
    Distiller.Plan plan(Request r, Teacher t, Path runDir) {
        TeacherProfile profile = t.profile();
        TaskKind kind = profile.task().kind();
        StudentSpec base = StudentZoo.preset(r.preset());
        StudentTask task = StudentTask.forTeacher(kind).orElseThrow(() -> new IllegalArgumentException(
                "Distill works with classification, dense-map and detection teachers; this one is "
                        + kind.title().toLowerCase(Locale.ROOT) + ": set its task on the Teachers screen"));
        task.checkTeacher(profile, r.groups());
        if (base.kind() != task) {
            throw new IllegalArgumentException("Preset " + base.name() + " is a " + base.kind().word() + "; for a "
                    + kind.title().toLowerCase(Locale.ROOT) + " teacher pick a " + task.presetPrefix() + "* preset "
                    + "(or leave the preset out)");
        }
        int[] size = studentSize(r, base, profile.preprocessing());
        Preprocessing tp = profile.preprocessing();
        Target target = task.target(profile, r.groups(), studentPreprocessing(tp, size[0], size[1]));
        StudentSpec student = base.withInput(size[0], size[1]).withOutputs(target.outputs());
        if (target instanceof Target.Map) {
            // the teacher must see what the student sees, at the same size, so the maps align pixel for pixel
            tp = tp.withSize(size[0], size[1]);
            profile = new TeacherProfile(profile.task(), tp, profile.labels());
        }
        Preprocessing sp = studentPreprocessing(tp, size[0], size[1]);
        List<Distiller.Sample> train = new ArrayList<>();
        List<Distiller.Sample> val = new ArrayList<>();
        List<DatasetItemRow> items = db.datasets().items(r.datasetId());
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Dataset " + r.datasetId() + " has no images (or does not exist)");
        }
        for (DatasetItemRow it : items) {
            Path p = Path.of(it.path());
            String truth = DatasetItemRow.ORIGIN_FOLDER.equals(it.origin()) && p.getParent() != null
                    ? p.getParent().getFileName().toString() : null;
            Distiller.Sample s = new Distiller.Sample(p, it.contentSha256(), truth);
            (DatasetItemRow.SPLIT_VAL.equals(it.split()) ? val : train).add(s);
        }
        return new Distiller.Plan(teachers.fileOf(t), t.sha256(), t.name(), profile, target, student, sp, train, val,
                r.settings(), runDir, dir.cache().resolve("teacher-outputs"));
    }

    /** The request's size, else the preset's; a non-square teacher input keeps its aspect ratio. */
    public static int[] studentSize(Request r, StudentSpec base, Preprocessing teacher) {
        if (r.inputWidth() > 0 && r.inputHeight() > 0) {
            return new int[] {r.inputWidth(), r.inputHeight()};
        }
        return studentSize(base, teacher);
    }

    /** The preset's size for this teacher: a non-square teacher input keeps its aspect ratio (classifiers). */
    public static int[] studentSize(StudentSpec base, Preprocessing teacher) {
        int w = base.inputWidth();
        int h = base.inputHeight();
        int tw = teacher.width();
        int th = teacher.height();
        if (base.kind().keepsTeacherAspect() && tw != th) {
            if ((long) tw * th <= 4L * w * h) {
                return new int[] {tw, th};
            }
            double area = (double) w * h;
            double aspect = (double) tw / th;
            int nh = Math.max(16, (int) Math.round(Math.sqrt(area / aspect) / 8) * 8);
            int nw = Math.max(16, (int) Math.round(nh * aspect / 8) * 8);
            return new int[] {nw, nh};
        }
        return new int[] {w, h};
    }

    /** The teacher's normalisation at the student's size, as float NCHW. */
    static Preprocessing studentPreprocessing(Preprocessing t, int w, int h) {
        boolean uint8 = "uint8".equals(t.elementType());
        return new Preprocessing(w, h, Preprocessing.Layout.NCHW, t.channelOrder(), uint8 ? 1 / 255.0 : t.scale(),
                uint8 ? Preprocessing.ZERO : t.mean(), uint8 ? Preprocessing.ONE : t.std(), t.resize(),
                t.cropFraction(), t.padValue(), 0, "float");
    }

    // ------------------------------------------------------------------------------------------------ export

    private DistillReport export(long runId, Distiller.Plan plan, Distiller d, Distiller.Outcome outcome, Request r,
                                 Teacher t) throws IOException {
        StudentSpec spec = plan.student();
        Path out = plan.runDir().resolve("student.onnx");
        Map<String, String> meta = new LinkedHashMap<>(StudentMetadata.preprocessing(plan.studentPreprocessing()));
        meta.put(StudentMetadata.TEACHER_SHA, plan.teacherSha());
        meta.put(StudentMetadata.TEACHER_NAME, plan.teacherName());
        meta.put(StudentMetadata.RUN_ID, Long.toString(runId));
        meta.put(StudentMetadata.CREATED, Instant.now().toString());
        List<String> labels = List.of();
        String metricName = spec.kind().reportMetricName();
        if (plan.target() instanceof Target.Boxes bx) {
            meta.put(StudentMetadata.TARGET, "boxes");
            meta.put(StudentMetadata.TEACHER_CLASSES, Integer.toString(bx.groups().teacherClasses()));
            meta.put(StudentMetadata.GROUPS, bx.groups().encode());
            labels = bx.names();
        } else if (plan.target() instanceof Target.Classes c) {
            meta.put(StudentMetadata.TARGET, "classes");
            meta.put(StudentMetadata.TEACHER_CLASSES, Integer.toString(c.groups().teacherClasses()));
            if (!r.groups().isEmpty()) {
                meta.put(StudentMetadata.GROUPS, c.groups().encode());
            }
            labels = c.names();
        } else {
            meta.put(StudentMetadata.TARGET, "map");
            meta.put(StudentMetadata.MAP_THRESHOLD, Float.toString(MAP_THRESHOLD));
        }
        meta.put(StudentMetadata.METRICS, Json.write(Map.of("bestEpoch", outcome.bestEpoch(),
                // the figure that picked the best epoch: balanced agreement for classes (Distiller.Validation.selection)
                "validationMetric", outcome.bestMetric(),
                "metric", plan.target() instanceof Target.Classes ? "balanced agreement" : metricName)));
        KdTrainer.Config cfg = new KdTrainer.Config(1, 2, 1e-3f, 0, 1, 1);
        OnnxExporter.ExportResult exported;
        try (KdTrainer trainer = new KdTrainer(spec, cfg)) {
            trainer.loadParameters(Distiller.bestWeights(plan.runDir()));
            int m = Math.min(16, d.validationCount());
            try (NDManager scope = trainer.manager().newSubManager()) {
                NDArray samples = scope.create(d.validationInputs(m), StudentBuilder.inputShape(spec, m));
                exported = OnnxExporter.export(spec, trainer.block(), labels, meta, samples, out);
            }
        }
        Distiller.Validation measured = evaluateOnnx(out, d, spec);
        int threads = 2;
        TeacherBenchmark bench = new TeacherBenchmark(threads, 5, 40, 1);
        BenchResult tb = bench.run(plan.teacherFile(), t.info().inputs().get(0).name(),
                plan.teacherProfile().preprocessing(), null, null);
        BenchResult sb = bench.run(out, OnnxExporter.INPUT, plan.studentPreprocessing(), null, null);
        Path finalPath = out;
        if (r.exportPath() != null && !r.exportPath().isBlank()) {
            finalPath = copy(out, Path.of(r.exportPath()));
        }
        DistillReport.Int8 int8 = null;
        if (r.int8()) {
            int8 = quantize(plan, d, spec, out, finalPath);
        }
        return new DistillReport(t.name(), t.sizeBytes(), t.info().parameterCount(), tb.p50Ms(),
                finalPath.toAbsolutePath().toString(), spec.name(), spec.inputWidth(), spec.inputHeight(),
                exported.bytes(), spec.parameterCount(), sb.p50Ms(), threads, metricName, measured.metric(),
                measured.accuracy(), d.validationCount(), outcome.epochs(),
                outcome.bestEpoch(), stopText(outcome.stop()), outcome.trainSeconds(), outcome.samplesPerSecond(),
                exported.maxAbsDiff(), int8, measured.classes() == null ? null
                        : DistillReport.Classification.of(measured.classes(), plan.target().names()),
                measured.detection() == null ? null
                        : DistillReport.Detection.of(measured.detection(), plan.target().names()));
    }

    /** Static int8 QDQ, calibrated on validation inputs; measured against the float student. */
    private static DistillReport.Int8 quantize(Distiller.Plan plan, Distiller d, StudentSpec spec, Path floatFile,
                                               Path finalPath) throws IOException {
        int per = spec.inputValues();
        int m = Math.min(200, d.validationCount());
        float[] all = d.validationInputs(m);
        List<float[]> samples = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            samples.add(java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per));
        }
        List<float[]> calibration = samples.subList(0, Math.min(64, m));
        Path q = plan.runDir().resolve("student-int8.onnx");
        var report = new dev.distillery.distill.quant.Int8Quantizer().quantize(floatFile, calibration, samples, q);
        Distiller.Validation measured = evaluateOnnx(q, d, spec);
        Path target = q;
        if (!finalPath.equals(floatFile)) {
            String name = finalPath.getFileName().toString().replaceFirst("(?i)\\.onnx$", "") + "-int8.onnx";
            target = copy(q, finalPath.resolveSibling(name));
        }
        return new DistillReport.Int8(target.toAbsolutePath().toString(), report.int8Bytes(), report.int8P50Millis(),
                measured.metric());
    }

    /** Copies the student next to where the user wants it (atomically); returns the target. */
    static Path copy(Path from, Path to) throws IOException {
        Path abs = to.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return abs;
    }

    /** The exported file's validation metric, run by ONNX Runtime (not DJL). */
    static Distiller.Validation evaluateOnnx(Path model, Distiller d, StudentSpec spec) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = OrtSessions.create(model, OrtSessions.Spec.threads(2))) {
            return d.evaluate((x, m) -> {
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                        new long[] {m, spec.inputChannels(), spec.inputHeight(), spec.inputWidth()});
                     OrtSession.Result res = session.run(Map.of(OnnxExporter.INPUT, in))) {
                    FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
                    float[] outArr = new float[fb.remaining()];
                    fb.get(outArr);
                    spec.kind().toTrainedForm(outArr);
                    return outArr;
                } catch (OrtException e) {
                    throw new IllegalStateException("ONNX Runtime could not run the student: " + e.getMessage(), e);
                }
            });
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the student: " + e.getMessage(), e);
        }
    }
}
