package dev.distillery.teacher;

import dev.distillery.core.DataDirectory;
import dev.distillery.onnx.ImageInputs;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.onnx.ModelVetter;
import dev.distillery.onnx.OnnxModel;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.OrtLoadCheck;
import dev.distillery.store.Database;
import dev.distillery.teacher.eval.BenchResult;
import dev.distillery.teacher.eval.Evaluator;
import dev.distillery.teacher.eval.LabelSet;
import dev.distillery.teacher.eval.TeacherBenchmark;
import dev.distillery.teacher.library.Cancellation;
import dev.distillery.teacher.library.Catalog;
import dev.distillery.teacher.library.CatalogEntry;
import dev.distillery.teacher.library.ImportListener;
import dev.distillery.teacher.library.ModelLibrary;
import dev.distillery.teacher.library.ModelValidator;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherException;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherProfile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Everything the Teachers screen and the {@code teacher}/{@code bench} commands do, in one place:
 * import (checked, vetted, profiled), list, edit, try, evaluate, benchmark, delete. Thread-safe;
 * every method may take long and is called off the UI thread.
 */
public final class TeacherService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TeacherService.class);
    /** Progress of a long call: fraction in 0..1 (negative: unknown) and a phrase. */
    public interface Progress {
        void update(double fraction, String message);
    }

    /** An import's result; {@code alreadyPresent} when the same bytes were imported before. */
    public record ImportOutcome(Teacher teacher, boolean alreadyPresent) {
    }

    private final ModelLibrary library;
    private final Catalog catalog;
    private final IntSupplier threads;
    private TeacherRunner cachedRunner;
    private String cachedKey;

    public TeacherService(DataDirectory dir, Database db, IntSupplier threads) {
        this.library = new ModelLibrary(dir, db.teachers(), TeacherService::validate);
        library.deleteLeftovers(); // copies left by a crash mid-import
        this.catalog = Catalog.load();
        this.threads = threads;
    }

    /** The full check a model passes before it enters the library. */
    static ModelValidator.Validated validate(Path candidate) {
        OnnxModel m = OnnxModelReader.read(candidate);
        ModelVetter.vet(m, candidate);
        OrtLoadCheck.verify(candidate);
        return new ModelValidator.Validated(m.info(), ProfileInference.infer(m));
    }

    public List<Teacher> list() {
        return library.list();
    }

    public Optional<Teacher> get(long id) {
        return library.get(id);
    }

    public ImportOutcome importFile(Path file, Progress p, Cancellation cancelled) {
        // Vet where the file lives, so external-data paths are judged against its real folder
        // before anything is copied.
        ModelVetter.vet(OnnxModelReader.read(file), file);
        var r = library.importFile(file, listener(p), orNone(cancelled));
        LOG.info("{} teacher {} from {}", r.alreadyPresent() ? "Already had" : "Imported", r.teacher().name(), file);
        return new ImportOutcome(r.teacher(), r.alreadyPresent());
    }

    public ImportOutcome importUrl(URI url, String expectedSha256, Progress p, Cancellation cancelled) {
        var r = library.importUrl(url, expectedSha256, -1, null, listener(p), orNone(cancelled));
        return new ImportOutcome(r.teacher(), r.alreadyPresent());
    }

    public ImportOutcome importCatalog(CatalogEntry e, Progress p, Cancellation cancelled) {
        var r = library.importCatalogEntry(e, listener(p), orNone(cancelled));
        Teacher t = r.teacher();
        if (!r.alreadyPresent() && e.hints() != null) {
            t = saveProfile(t, withHints(t.profile(), e.hints()));
        }
        return new ImportOutcome(t, r.alreadyPresent());
    }

    static TeacherProfile withHints(TeacherProfile p, CatalogEntry.Hints h) {
        Preprocessing pre = p.preprocessing();
        int w = h.inputWidth() != null ? h.inputWidth() : pre.width();
        int ht = h.inputHeight() != null ? h.inputHeight() : pre.height();
        Preprocessing.ChannelOrder order = h.channelOrder() != null
                ? Preprocessing.ChannelOrder.valueOf(h.channelOrder()) : pre.channelOrder();
        pre = new Preprocessing(w, ht, pre.layout(), order, pre.scale(), h.mean() != null ? h.mean() : pre.mean(),
                h.std() != null ? h.std() : pre.std(), pre.resize(), pre.cropFraction(), pre.padValue(),
                pre.batchSize(), pre.elementType());
        List<String> labels = h.labels() != null ? h.labels() : p.labels();
        return new TeacherProfile(p.task(), pre, labels);
    }

    public List<CatalogEntry> catalog() {
        return catalog.entries();
    }

    /**
     * The teacher with this SHA-256: from the library, else imported from the catalog entry with that hash (the
     * built-in ones need no network).
     *
     * @throws IllegalStateException when neither has it, naming what to do
     */
    public Teacher bySha256(String sha256) {
        return list().stream().filter(x -> x.sha256().equalsIgnoreCase(sha256)).findFirst()
                .orElseGet(() -> importCatalog(catalog().stream()
                        .filter(x -> sha256.equalsIgnoreCase(x.sha256())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("The teacher " + sha256 + " is not in the "
                                + "library nor in the catalog; import it with 'distillery teacher import'.")),
                        null, null).teacher());
    }

    public synchronized void delete(Teacher t) {
        closeRunner();
        library.delete(t.id());
    }

    public synchronized Teacher saveProfile(Teacher t, TeacherProfile profile) {
        closeRunner();
        library.updateProfile(t.id(), profile);
        return library.get(t.id()).orElseThrow();
    }

    /** Attaches a labels file (txt or tsv) to the teacher's profile. */
    public Teacher attachLabels(Teacher t, Path labelsFile) {
        LabelSet labels = LabelSet.read(labelsFile);
        TeacherProfile p = t.profile();
        return saveProfile(t, new TeacherProfile(p.task(), p.preprocessing(), labels.names()));
    }

    public synchronized Prediction tryOn(Teacher t, Path image) {
        return runner(t).predict(image);
    }

    public synchronized Evaluator.Result evaluate(Teacher t, Path folder, Path labelsFile, Evaluator.Listener l,
                                                  Cancellation cancelled) {
        Teacher target = t;
        LabelSet labels;
        if (labelsFile != null) {
            labels = LabelSet.read(labelsFile);
            if (t.profile().labels().isEmpty()) {
                target = attachLabels(t, labelsFile);
            }
        } else if (!t.profile().labels().isEmpty()) {
            labels = LabelSet.ofNames(t.profile().labels());
        } else {
            throw new TeacherException(t.name() + " has no labels: give a labels file (txt or tsv) to know each "
                    + "image's class.");
        }
        Cancellation c = orNone(cancelled);
        Evaluator.Result r = new Evaluator().evaluate(runner(target), folder, labels, 16, l, c::isCancelled);
        library.saveEvaluation(t.id(), json(r));
        return r;
    }

    public synchronized BenchResult benchmark(Teacher t, TeacherBenchmark.Listener l, Cancellation cancelled) {
        closeRunner(); // free its threads and memory for a clean measurement
        String input = ImageInputs.find(t.info()).orElseThrow(() -> new TeacherException(ImageInputs.missingMessage(t.info())))
                .name();
        Cancellation c = orNone(cancelled);
        BenchResult r = TeacherBenchmark.standard(threads.getAsInt())
                .run(library.fileOf(t), input, t.profile().preprocessing(), l, c::isCancelled);
        library.saveBenchmark(t.id(), json(r));
        return r;
    }

    public Optional<BenchResult> benchmark(Teacher t) {
        return parse(t.benchJson(), BenchResult.class);
    }

    public Optional<Evaluator.Result> evaluation(Teacher t) {
        return parse(t.evalJson(), Evaluator.Result.class);
    }

    public Path fileOf(Teacher t) {
        return library.fileOf(t);
    }

    private TeacherRunner runner(Teacher t) {
        String key = t.id() + ":" + t.profile().hashCode() + ":" + threads.getAsInt();
        if (cachedRunner == null || !key.equals(cachedKey)) {
            closeRunner();
            cachedRunner = TeacherRunner.open(library.fileOf(t), t.profile(), threads.getAsInt());
            cachedKey = key;
        }
        return cachedRunner;
    }

    private void closeRunner() {
        if (cachedRunner != null) {
            cachedRunner.close();
            cachedRunner = null;
            cachedKey = null;
        }
    }

    public static String json(Object value) {
        try {
            return dev.distillery.teacher.library.Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Optional<T> parse(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(dev.distillery.teacher.library.Json.mapper().readValue(json, type));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty(); // results from an older format: show as not measured
        }
    }

    private static Cancellation orNone(Cancellation c) {
        return c == null ? Cancellation.none() : c;
    }

    /** Byte progress and stages of an import, as one fraction and a phrase. */
    private static ImportListener listener(Progress p) {
        if (p == null) {
            return ImportListener.NONE;
        }
        return new ImportListener() {
            private String stage = "";

            @Override
            public void stage(Stage s) {
                stage = s.title();
                p.update(-1, stage);
            }

            @Override
            public void progress(long done, long total, double bytesPerSecond) {
                String text = String.format(Locale.ROOT, "%s: %.1f%s MB%s", stage, done / 1048576.0,
                        total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1048576.0) : "",
                        bytesPerSecond > 0 ? String.format(Locale.ROOT, " at %.1f MB/s", bytesPerSecond / 1048576.0) : "");
                p.update(total > 0 ? done / (double) total : -1, text);
            }
        };
    }
}
