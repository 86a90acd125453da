package dev.distillery.distill.compare;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.distill.StudentTask;
import dev.distillery.distill.target.ClassGroups;
import dev.distillery.metrics.ClassMapping;
import dev.distillery.metrics.ClassMetrics;
import dev.distillery.metrics.ConfusionMatrix;
import dev.distillery.metrics.MapIou;
import dev.distillery.metrics.Verdict;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import dev.distillery.onnx.ImageInputs;
import dev.distillery.onnx.ModelVetter;
import dev.distillery.onnx.OnnxModel;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.vision.Images;
import dev.distillery.vision.Preprocessor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The question every miner asks of a student: how close is it to its teacher, and how much smaller and faster?
 *
 * <p>Runs the teacher and the student (both through {@link TeacherRunner}, each with its own inferred
 * profile) on every image of a folder and measures:
 * <ul>
 *   <li><b>classifier students</b>: agreement, the fraction of images where the student's top class equals
 *       the teacher's class mapped through the student's class groups ({@code distillery.groups}, see
 *       {@link ClassMapping#studentClass}; the identity when absent); next to it the majority-class baseline,
 *       balanced agreement, Cohen's kappa, per-class recall and the {@link Verdict} (all from
 *       {@link ConfusionMatrix}); and, when the folder has one sub-folder per student class (names compared
 *       case-insensitively), accuracy against those folders with the most frequent confusions;</li>
 *   <li><b>dense students</b>: IoU of the binarized maps (teacher probability ≥ threshold against
 *       sigmoid(student) ≥ threshold), pooled (Σ∩ / Σ∪ over all images) and averaged per image (two empty
 *       maps count as 1). A teacher with a dynamic input is fed the student's input size (stretched) so the
 *       maps align; a teacher map of another size is resized (bilinear) to the student's;</li>
 *   <li><b>both</b>: file sizes, parameter counts, CPU latency p50 at batch 1 (one preprocessed image, warm-up
 *       runs in this process, then timed runs) and the student/teacher ratios.</li>
 * </ul>
 * Unreadable images are skipped and counted, never fatal. Runs on the calling thread; call it off the UI.
 */
public final class StudentComparison {
    /** Default IoU threshold when neither the caller nor the student's metadata gives one. */
    public static final double DEFAULT_THRESHOLD = MapIou.DEFAULT_THRESHOLD;
    static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff");
    private static final int CHUNK = 8;

    /** Progress: images done of total. */
    public interface Listener {
        void progress(int done, int total);
    }

    /**
     * @param threads   intra-op CPU threads for both models (inference and latency)
     * @param limit     compare at most this many images (the first in path order); 0 for all
     * @param threshold dense IoU threshold; null for the student's {@code distillery.map_threshold}, else 0.3
     * @param warmup    untimed runs before the latency measurement
     * @param timedRuns timed runs for the latency p50 (at least 20)
     */
    public record Options(int threads, int limit, Double threshold, int warmup, int timedRuns) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit cannot be negative: " + limit);
            }
            if (threshold != null && !(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("The threshold must be between 0 and 1 (exclusive), got " + threshold);
            }
            timedRuns = Math.max(20, timedRuns);
            warmup = Math.max(1, warmup);
        }

        /** All images, the metadata threshold, 5 warm-up and 30 timed runs. */
        public static Options defaults(int threads) {
            return new Options(threads, 0, null, 5, 30);
        }

        public Options withLimit(int n) {
            return new Options(threads, n, threshold, warmup, timedRuns);
        }

        public Options withThreshold(Double t) {
            return new Options(threads, limit, t, warmup, timedRuns);
        }
    }

    /** One model's side of the comparison. */
    public record ModelStats(String name, String file, long sizeBytes, long parameters, int inputWidth,
                             int inputHeight, int outputs, double latencyP50Ms) {
    }

    /** Student ÷ teacher. */
    public record Ratios(double size, double parameters, double latency) {
    }

    /** {@code count} images of class {@code truth} that the student called {@code predicted}. */
    public record Confusion(String truth, String predicted, int count) {
    }

    /**
     * Accuracy against the folder names.
     *
     * @param labelled        images in a folder named like a student class
     * @param unlabelled      images elsewhere (scored for agreement only)
     * @param studentAccuracy fraction of labelled images whose folder is the student's top class
     * @param teacherAccuracy the same for the teacher's mapped top class
     * @param confusions      the most frequent student mistakes (truth ≠ predicted), at most ten, most first
     */
    public record GroundTruth(int labelled, int unlabelled, double studentAccuracy, double teacherAccuracy,
                              List<Confusion> confusions) {
    }

    /**
     * One student class: how often the teacher gave it and how often the student then agreed.
     *
     * @param name   the class name (JSON {@code class})
     * @param count  images the teacher put in this class
     * @param recall of those, the share the student put there too; null when count is 0
     */
    public record ClassRecall(@JsonProperty("class") String name, long count, Double recall) {
    }

    /**
     * @param classes           the student's classes, in output order
     * @param grouped           whether the teacher's classes were mapped through groups (else the identity)
     * @param agreed            images where the student's top class equals the teacher's mapped top class
     * @param agreement         agreed / compared
     * @param majorityClass     the most frequent mapped teacher class
     * @param majorityBaseline  its share of the images: the agreement of a student that always says it
     * @param groundTruth       null when the folder has no sub-folder named like a student class
     * @param balancedAgreement mean per-class recall over the classes the teacher gave
     * @param kappa             Cohen's kappa of student against teacher
     * @param perClass          per student class, in output order
     * @param verdict           "PASSED" or "FAILED" ({@link Verdict}: no better than the majority answer)
     * @param verdictReason     why it failed; empty when it passed
     * @param advice            what to try after a failure; empty when it passed
     */
    public record Classification(List<String> classes, boolean grouped, int agreed, double agreement,
                                 String majorityClass, double majorityBaseline, GroundTruth groundTruth,
                                 double balancedAgreement, double kappa, List<ClassRecall> perClass, String verdict,
                                 String verdictReason, String advice) {
        /** Whether the student is no better than always answering the majority class. */
        public boolean failed() {
            return Verdict.FAILED.equals(verdict);
        }
    }

    /** The per-class rows and verdict fields of {@code m} under these class names. */
    static Classification classification(List<String> names, boolean grouped, ClassMetrics m,
                                         GroundTruth groundTruth) {
        List<ClassRecall> rows = new ArrayList<>();
        for (ConfusionMatrix.ClassRecall r : m.perClass()) {
            rows.add(new ClassRecall(names.get(r.index()), r.count(), r.count() == 0 ? null : r.recall()));
        }
        Verdict v = m.verdict();
        return new Classification(names, grouped, Math.toIntExact(m.agreed()), m.agreement(),
                names.get(m.majorityClass()), m.majorityBaseline(), groundTruth, m.balancedAgreement(), m.kappa(),
                List.copyOf(rows), v.label(), v.reason(), v.advice());
    }

    /**
     * @param threshold       probability threshold for both maps
     * @param pooledIou       Σ intersections / Σ unions over all images (1 when both are empty everywhere)
     * @param meanIou         mean of the per-image IoUs (an image where both maps are empty counts as 1)
     * @param mapWidth        compared map width (the student's)
     * @param mapHeight       compared map height
     * @param teacherResized  whether the teacher's maps had another size and were resized to the student's
     * @param teacherPositive fraction of pixels the teacher marks
     * @param studentPositive fraction of pixels the student marks
     */
    public record Dense(double threshold, double pooledIou, double meanIou, int mapWidth, int mapHeight,
                        boolean teacherResized, double teacherPositive, double studentPositive) {
    }

    /**
     * @param kind        the student's task, {@link dev.distillery.distill.StudentTask#metadataName()}
     * @param images      image files found (after the limit)
     * @param compared    images both models ran on
     * @param unreadable  images skipped because they could not be decoded
     * @param unreadableExamples up to ten of their file names
     * @param classification for a classifier student, else null
     * @param dense       for a dense student, else null
     * @param seconds     wall time
     */
    public record Result(String kind, ModelStats teacher, ModelStats student, Ratios ratios, int images, int compared,
                         int unreadable, List<String> unreadableExamples, Classification classification, Dense dense,
                         double seconds, Detection detection) {
        public Result(String kind, ModelStats teacher, ModelStats student, Ratios ratios, int images, int compared,
                      int unreadable, List<String> unreadableExamples, Classification classification, Dense dense,
                      double seconds) {
            this(kind, teacher, student, ratios, images, compared, unreadable, unreadableExamples, classification, dense,
                    seconds, null);
        }
    }

    /**
     * A detector student's boxes against its teacher's, through the same code distill validates with
     * ({@link dev.distillery.distill.target.Target.Boxes}): the teacher's boxes above its default confidence, of the
     * student's classes, as ground truth; mAP from {@link dev.distillery.metrics.DetectionAp}.
     *
     * @param classes              the student's classes
     * @param map50                mAP at IoU 0.5 (NaN when the teacher found none of the classes)
     * @param map50to95            mAP over IoU 0.50:0.95
     * @param perClass             per class: the teacher's boxes and the student's AP
     * @param teacherBoxesPerFrame the teacher's boxes per image (of the student's classes)
     * @param studentBoxesPerFrame the student's boxes per image at the same confidence
     * @param f1                   F1 of the student's boxes (at that confidence) matched to the teacher's at IoU 0.5,
     *                             averaged over images: the agreement Live shows
     */
    public record Detection(List<String> classes, double map50, @JsonProperty("map50_95") double map50to95,
                            List<dev.distillery.distill.DistillReport.ClassAp> perClass, double teacherBoxesPerFrame,
                            double studentBoxesPerFrame, double f1) {
    }

    private StudentComparison() {
    }

    /**
     * Compares {@code student} with {@code teacher} on the images under {@code folder}.
     *
     * @param teacher        the teacher's ONNX file
     * @param teacherName    its display name
     * @param teacherProfile how to run it (from the library, or inferred)
     * @param student        the student's ONNX file
     * @throws CompareException when the two do not fit together ({@link CompareException#mismatch()}) or there
     *                          are no images
     * @throws TeacherException when a model cannot be read or run
     */
    public static Result compare(Path teacher, String teacherName, TeacherProfile teacherProfile, Path student,
                                 Path folder, Options options, Listener listener, BooleanSupplier cancelled) {
        return compare(teacher, teacherName, teacherProfile, student, folder, options, listener, cancelled, null, true);
    }

    /**
     * The teacher's outputs on a fixed set of images, kept across comparisons: they are the same for every student
     * (a validator's evaluation set). {@code get} answers null for an image it does not hold.
     */
    public interface TeacherOutputs {
        TeacherRunner.RawOutput get(Path image);

        void put(Path image, TeacherRunner.RawOutput output);
    }

    /**
     * As above, taking the teacher's outputs from {@code cache} where it has them (the teacher is then not even
     * loaded) and storing the others in it; with {@code latency} false the latencies are not measured (NaN).
     */
    public static Result compare(Path teacher, String teacherName, TeacherProfile teacherProfile, Path student,
                                 Path folder, Options options, Listener listener, BooleanSupplier cancelled,
                                 TeacherOutputs cache, boolean latency) {
        long t0 = System.nanoTime();
        List<Path> files = imagesIn(folder);
        if (options.limit() > 0 && files.size() > options.limit()) {
            files = files.subList(0, options.limit());
        }
        if (files.isEmpty()) {
            throw new CompareException("No images (" + String.join(", ", EXTENSIONS) + ") found in " + folder + ".",
                    false);
        }
        OnnxModel studentModel = OnnxModelReader.read(student);
        ModelVetter.vet(studentModel, student);
        ModelInfo studentInfo = studentModel.info();
        TeacherProfile studentProfile = ProfileInference.infer(studentModel);
        ModelInfo teacherInfo = OnnxModelReader.read(teacher).info();
        Map<String, String> meta = studentInfo.metadata();
        StudentTask task = taskOf(meta, studentProfile, student);
        Plan plan = task.accept(new StudentTask.Visitor<Plan>() {
            @Override
            public Plan classification() {
                return classifierPlan(teacherProfile, studentProfile, meta, student, folder);
            }

            @Override
            public Plan denseMap() {
                return densePlan(teacherInfo, teacherProfile, studentProfile, meta, options);
            }

            @Override
            public Plan detection() {
                return detectorPlan(teacherProfile, studentProfile, meta, student);
            }
        });
        boolean detector = plan.boxes != null;
        boolean dense = plan.dense;
        Run run = new Run(plan, files.size());
        Path sample = null;
        TeacherRunner t = null;
        try (TeacherRunner s = TeacherRunner.open(student, studentProfile, options.threads())) {
            for (int i = 0; i < files.size(); i += CHUNK) {
                if ((cancelled != null && cancelled.getAsBoolean()) || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("Comparison cancelled");
                }
                List<Path> chunk = files.subList(i, Math.min(files.size(), i + CHUNK));
                List<Mat> mats = new ArrayList<>();
                List<Path> readable = new ArrayList<>();
                try {
                    for (Path f : chunk) {
                        try {
                            mats.add(Images.read(f));
                            readable.add(f);
                        } catch (TeacherException e) {
                            run.unreadable(f);
                        }
                    }
                    if (!mats.isEmpty()) {
                        if (sample == null) {
                            sample = readable.get(0);
                        }
                        List<TeacherRunner.RawOutput> to = new ArrayList<>();
                        List<Mat> uncached = new ArrayList<>();
                        for (int k = 0; k < mats.size(); k++) {
                            TeacherRunner.RawOutput hit = cache == null ? null : cache.get(readable.get(k));
                            to.add(hit);
                            if (hit == null) {
                                uncached.add(mats.get(k));
                            }
                        }
                        if (!uncached.isEmpty()) {
                            if (t == null) {
                                t = TeacherRunner.open(teacher, plan.teacherProfile, options.threads());
                            }
                            List<TeacherRunner.RawOutput> fresh = t.rawOutputsWithShape(uncached);
                            for (int k = 0, j = 0; k < to.size(); k++) {
                                if (to.get(k) == null) {
                                    to.set(k, fresh.get(j++));
                                    if (cache != null) {
                                        cache.put(readable.get(k), to.get(k));
                                    }
                                }
                            }
                        }
                        List<TeacherRunner.RawOutput> so = s.rawOutputsWithShape(mats);
                        for (int k = 0; k < mats.size(); k++) {
                            if (detector) {
                                run.addBoxes(mats.get(k).cols(), mats.get(k).rows(), to.get(k), so.get(k));
                            } else {
                                run.add(readable.get(k), to.get(k), so.get(k));
                            }
                        }
                    }
                } finally {
                    mats.forEach(Mat::close);
                }
                if (listener != null) {
                    listener.progress(Math.min(files.size(), i + CHUNK), files.size());
                }
            }
        } finally {
            if (t != null) {
                t.close();
            }
        }
        if (sample == null) {
            throw new CompareException("None of the " + files.size() + " images in " + folder + " could be read.", false);
        }
        double teacherMs = Double.NaN;
        double studentMs = Double.NaN;
        if (latency) {
            try (Mat image = Images.read(sample)) {
                teacherMs = latencyP50(teacher, plan.teacherProfile.preprocessing(), image, options);
                studentMs = latencyP50(student, studentProfile.preprocessing(), image, options);
            }
        }
        Preprocessing tp = plan.teacherProfile.preprocessing();
        Preprocessing sp = studentProfile.preprocessing();
        ModelStats ts = new ModelStats(teacherName, teacher.toString(), teacherInfo.fileSize(),
                teacherInfo.parameterCount(), tp.width(), tp.height(), plan.teacherOutputs, teacherMs);
        ModelStats ss = new ModelStats(student.getFileName().toString(), student.toString(), studentInfo.fileSize(),
                studentInfo.parameterCount(), sp.width(), sp.height(), plan.studentOutputs, studentMs);
        Ratios ratios = new Ratios(ratio(ss.sizeBytes(), ts.sizeBytes()), ratio(ss.parameters(), ts.parameters()),
                ratio(studentMs, teacherMs));
        if (detector) {
            return new Result(task.metadataName(), ts, ss, ratios, files.size(), run.compared, run.unreadable,
                    List.copyOf(run.examples), null, null, (System.nanoTime() - t0) / 1e9, run.detection());
        }
        return new Result(task.metadataName(), ts, ss, ratios, files.size(), run.compared, run.unreadable,
                List.copyOf(run.examples), dense ? null : run.classification(), dense ? run.dense() : null,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * How Live compares two models so that it gives the figure compare gives on the same frames: when one is a
     * classifier student with class groups over the other's classes, the other's probabilities are mapped to the
     * student's classes ({@link StudentMetadata#classMapping}); dense maps use the student's
     * {@code distillery.map_threshold} (the first model's that has one, else the default).
     *
     * @param metadata each model's ONNX metadata, in pipeline order (one or two models)
     * @param profiles each model's profile, in the same order
     */
    public static dev.distillery.live.Agreement.Setup liveSetup(List<Map<String, String>> metadata,
                                                                List<TeacherProfile> profiles) {
        double threshold = MapIou.DEFAULT_THRESHOLD;
        for (Map<String, String> m : metadata) {
            if (m.containsKey(StudentMetadata.MAP_THRESHOLD)) {
                threshold = StudentMetadata.mapThreshold(m);
                break;
            }
        }
        if (metadata.size() == 2 && profiles.size() == 2) {
            for (int student = 0; student < 2; student++) {
                int teacher = 1 - student;
                Map<String, String> meta = metadata.get(student);
                TeacherProfile sp = profiles.get(student);
                TeacherProfile tp = profiles.get(teacher);
                boolean detectors = sp.task().kind() == TaskKind.DETECTION && tp.task().kind() == TaskKind.DETECTION;
                if (!StudentMetadata.grouped(meta) || !detectors && (sp.task().kind() != TaskKind.CLASSIFICATION
                        || tp.task().kind() != TaskKind.CLASSIFICATION)) {
                    continue;
                }
                try {
                    ClassMapping m = StudentMetadata.classMapping(meta, tp.task().numClasses(), sp.labels());
                    // a detector student has no "other" class: the mapping's extra last class is dropped
                    if (m.studentClasses() == sp.task().numClasses() || detectors && ClassGroups.OTHER.equals(m.names().get(m.studentClasses() - 1))
                            && m.studentClasses() == sp.task().numClasses() + 1) {
                        return new dev.distillery.live.Agreement.Setup(teacher, m, threshold);
                    }
                } catch (IllegalArgumentException e) {
                    // groups over another teacher's classes: not this pair
                }
            }
        }
        return new dev.distillery.live.Agreement.Setup(-1, null, threshold);
    }

    /**
     * What the student learnt: its metadata says ({@value StudentMetadata#KIND}); a model from elsewhere is read by
     * its outputs (a detector layout, a map, or plain [N, C] scores compared as a classifier).
     */
    private static StudentTask taskOf(Map<String, String> meta, TeacherProfile studentProfile, Path student) {
        TaskKind k = studentProfile.task().kind();
        if (k == TaskKind.DETECTION) {
            return StudentTask.ofTeacher(k);
        }
        java.util.Optional<StudentTask> named = StudentTask.named(meta.get(StudentMetadata.KIND));
        if (named.isPresent()) {
            return named.get();
        }
        // a plain [N, C] model (an embedding's shape too): compare it as a classifier
        java.util.Optional<StudentTask> read = StudentTask.forTeacher(k == TaskKind.EMBEDDING
                ? TaskKind.CLASSIFICATION : k);
        return read.orElseThrow(() -> new CompareException(student.getFileName() + " is neither a classifier, a "
                + "dense map nor a detector (its output reads as " + k.title() + "); only those students can be "
                + "compared.", true));
    }


    /**
     * A detector student against a detector teacher: the student's classes are its groups over the teacher's
     * ({@value StudentMetadata#GROUPS}), else the teacher's own classes.
     */
    private static Plan detectorPlan(TeacherProfile teacherProfile, TeacherProfile studentProfile,
                                     Map<String, String> meta, Path student) {
        if (teacherProfile.task().kind() != TaskKind.DETECTION || teacherProfile.task().detectionLayout() == null) {
            throw new CompareException("The student " + student.getFileName() + " is a detector but the teacher is "
                    + "set to " + teacherProfile.task().kind().title() + ".", true);
        }
        if (studentProfile.task().detectionLayout() != dev.distillery.model.DetectionLayout.COLUMNS) {
            throw new CompareException("The student " + student.getFileName() + " is a detector whose output is not in "
                    + "YOLOv8's column layout [N, 4 + classes, boxes]; only Distillery's detector students can be "
                    + "compared.", true);
        }
        int teacherClasses = teacherProfile.task().numClasses();
        int studentClasses = studentProfile.task().numClasses();
        ClassGroups groups;
        String encoded = meta.get(StudentMetadata.GROUPS);
        try {
            groups = encoded != null && !encoded.isBlank() ? ClassGroups.decode(encoded, teacherClasses)
                    : ClassGroups.identity(teacherProfile.labels(), teacherClasses);
        } catch (IllegalArgumentException e) {
            throw new CompareException("The student " + student.getFileName() + " was made for another teacher: "
                    + e.getMessage() + ".", true);
        }
        if (groups.groups().size() != studentClasses) {
            throw new CompareException("The student " + student.getFileName() + " finds " + studentClasses
                    + " classes but its groups over this teacher make " + groups.groups().size() + ".", true);
        }
        Plan plan = new Plan();
        plan.teacherProfile = teacherProfile;
        plan.studentProfile = studentProfile;
        plan.teacherOutputs = teacherClasses;
        plan.studentOutputs = studentClasses;
        plan.boxes = new dev.distillery.distill.target.Target.Boxes(groups, teacherProfile.task(),
                teacherProfile.preprocessing(), studentProfile.preprocessing(),
                dev.distillery.teacher.run.DetectionDecoder.DEFAULT_SCORE_THRESHOLD);
        return plan;
    }

    /** What the comparison needs to know before the first image. */
    private static final class Plan {
        // detector
        dev.distillery.distill.target.Target.Boxes boxes;
        TeacherProfile teacherProfile;
        TeacherProfile studentProfile;
        boolean dense;
        int teacherOutputs;
        int studentOutputs;
        // classifier
        ClassMapping mapping;
        boolean grouped;
        Path root;
        Map<String, Integer> classByFolder = Map.of();
        // dense
        double threshold;
    }

    private static Plan classifierPlan(TeacherProfile teacherProfile, TeacherProfile studentProfile,
                                       Map<String, String> meta, Path student, Path folder) {
        if (teacherProfile.task().kind() != TaskKind.CLASSIFICATION) {
            throw new CompareException("The student " + student.getFileName() + " is a classifier but the teacher is "
                    + "set to " + teacherProfile.task().kind().title() + ".", true);
        }
        int teacherClasses = teacherProfile.task().numClasses();
        int studentClasses = studentProfile.task().numClasses();
        boolean isStudent = meta.keySet().stream().anyMatch(k -> k.startsWith("distillery."));
        String declared = meta.get(StudentMetadata.TEACHER_CLASSES);
        if (declared != null) {
            try {
                int n = Integer.parseInt(declared.strip());
                if (n != teacherClasses) {
                    throw new CompareException("The student " + student.getFileName() + " was distilled from a teacher "
                            + "with " + n + " classes; this teacher has " + teacherClasses + ".", true);
                }
            } catch (NumberFormatException e) {
                // an unreadable count: the class counts below still decide
            }
        }
        Plan plan = new Plan();
        String groups = meta.get(StudentMetadata.GROUPS);
        if (groups != null && !groups.isBlank()) {
            try {
                plan.mapping = ClassGroups.decode(groups, teacherClasses).mapping();
            } catch (IllegalArgumentException e) {
                throw new CompareException(e.getMessage() + ".", true);
            }
            plan.grouped = true;
            if (plan.mapping.studentClasses() != studentClasses) {
                throw new CompareException("The student " + student.getFileName() + " has " + studentClasses
                        + " classes but its groups over the teacher's " + teacherClasses + " classes make "
                        + plan.mapping.studentClasses() + " " + plan.mapping.names() + ".", true);
            }
        } else {
            if (studentClasses != teacherClasses) {
                throw new CompareException(isStudent
                        ? "The student " + student.getFileName() + " has " + studentClasses + " classes and no class "
                        + "groups, but the teacher has " + teacherClasses + "."
                        : student.getFileName() + " is not a Distillery student (no distillery.* metadata) and its "
                        + studentClasses + " classes differ from the teacher's " + teacherClasses
                        + ": only a model with the teacher's classes can be compared without groups.", true);
            }
            List<String> names = studentProfile.labels().size() == studentClasses ? studentProfile.labels()
                    : teacherProfile.labels();
            plan.mapping = ClassMapping.identity(teacherClasses, names);
        }
        List<String> names = studentProfile.labels().size() == studentClasses ? studentProfile.labels()
                : plan.mapping.names();
        plan.mapping = plan.mapping.withNames(names);
        plan.teacherProfile = teacherProfile;
        plan.studentProfile = studentProfile;
        plan.teacherOutputs = teacherClasses;
        plan.studentOutputs = studentClasses;
        plan.root = folder;
        plan.classByFolder = truthFolders(folder, names);
        return plan;
    }

    /** Sub-folders of {@code root} named like a class (case-insensitive) → class index. */
    private static Map<String, Integer> truthFolders(Path root, List<String> names) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.putIfAbsent(names.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> found = new HashMap<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).forEach(d -> {
                Integer c = byName.get(d.getFileName().toString().strip().toLowerCase(Locale.ROOT));
                if (c != null) {
                    found.put(d.getFileName().toString(), c);
                }
            });
        } catch (IOException e) {
            throw new CompareException("Cannot list " + root + ": " + e.getMessage(), false);
        }
        return found;
    }

    private static Plan densePlan(ModelInfo teacherInfo, TeacherProfile teacherProfile, TeacherProfile studentProfile,
                                  Map<String, String> meta, Options options) {
        if (teacherProfile.task().kind() != TaskKind.DENSE) {
            throw new CompareException("The student is a dense map but the teacher is set to "
                    + teacherProfile.task().kind().title() + ".", true);
        }
        Plan plan = new Plan();
        plan.dense = true;
        Preprocessing sp = studentProfile.preprocessing();
        Preprocessing tp = teacherProfile.preprocessing();
        TensorSpec input = ImageInputs.find(teacherInfo).orElse(null);
        boolean nchw = tp.layout() == Preprocessing.Layout.NCHW;
        boolean dynamicSize = input != null && (input.dim(nchw ? 2 : 1) <= 0 || input.dim(nchw ? 3 : 2) <= 0);
        plan.teacherProfile = dynamicSize
                ? new TeacherProfile(teacherProfile.task(), stretched(tp, sp.width(), sp.height()), teacherProfile.labels())
                : teacherProfile;
        plan.studentProfile = studentProfile;
        plan.teacherOutputs = teacherProfile.task().numClasses();
        plan.studentOutputs = studentProfile.task().numClasses();
        Double t = options.threshold();
        plan.threshold = t != null ? t : StudentMetadata.mapThreshold(meta);
        return plan;
    }

    private static Preprocessing stretched(Preprocessing p, int width, int height) {
        return new Preprocessing(width, height, p.layout(), p.channelOrder(), p.scale(), p.mean(), p.std(),
                Preprocessing.ResizeMode.STRETCH, 1.0, p.padValue(), p.batchSize(), p.elementType());
    }

    /** Running sums over the images. */
    private static final class Run {
        final Plan plan;
        int compared;
        int unreadable;
        final List<String> examples = new ArrayList<>();
        // classifier: student against teacher; student and teacher against the folders
        ConfusionMatrix agreement;
        ConfusionMatrix studentTruth;
        ConfusionMatrix teacherTruth;
        int unlabelled;
        // dense: teacher first, student second
        MapIou.Accumulator iou;
        int mapWidth;
        int mapHeight;
        boolean resized;

        // detector
        dev.distillery.metrics.DetectionAp.Accumulator ap;
        double f1Sum;

        Run(Plan plan, int files) {
            this.plan = plan;
            if (plan.boxes != null) {
                ap = dev.distillery.metrics.DetectionAp.accumulator();
            } else if (!plan.dense) {
                int n = plan.mapping.studentClasses();
                agreement = new ConfusionMatrix(n);
                studentTruth = new ConfusionMatrix(n);
                teacherTruth = new ConfusionMatrix(n);
            } else {
                iou = new MapIou.Accumulator(plan.threshold);
            }
        }

        void unreadable(Path f) {
            unreadable++;
            if (examples.size() < 10) {
                examples.add(f.getFileName().toString());
            }
        }

        void add(Path file, TeacherRunner.RawOutput teacher, TeacherRunner.RawOutput student) {
            compared++;
            if (plan.dense) {
                addDense(teacher, student);
            } else {
                addClasses(file, teacher.values(), student.values());
            }
        }

        /** One image of {@code width}×{@code height}: both models' boxes, in the student's input pixels. */
        void addBoxes(int width, int height, TeacherRunner.RawOutput teacher, TeacherRunner.RawOutput student) {
            compared++;
            var sp = plan.studentProfile.preprocessing();
            var truth = plan.boxes.teacherBoxes(teacher.values(), width, height);
            var predicted = plan.boxes.studentBoxes(student.values(), sp.width(), sp.height());
            ap.add(truth, predicted);
            var confident = predicted.stream().filter(b -> b.score() >= dev.distillery.metrics.DetectionAp.CONFIDENT)
                    .toList();
            f1Sum += dev.distillery.metrics.BoxMatching.f1(truth, confident);
        }

        Detection detection() {
            var r = ap.result();
            var d = dev.distillery.distill.DistillReport.Detection.of(r, plan.boxes.names());
            return new Detection(plan.boxes.names(), r.map50(), r.map50to95(), d.perClass(), r.truthPerFrame(),
                    r.confidentPerFrame(), compared == 0 ? 0 : f1Sum / compared);
        }

        private void addClasses(Path file, float[] teacher, float[] student) {
            if (teacher.length != plan.mapping.teacherClasses()) {
                throw new CompareException("The teacher gave " + teacher.length + " scores but its profile says "
                        + plan.mapping.teacherClasses() + " classes.", true);
            }
            if (student.length != plan.mapping.studentClasses()) {
                throw new CompareException("The student gave " + student.length + " scores but has "
                        + plan.mapping.studentClasses() + " classes.", true);
            }
            float[] probs = plan.teacherProfile.task().outputIsProbability() ? teacher : softmax(teacher);
            int t = plan.mapping.studentClass(probs);
            int s = argmax(student);
            agreement.add(t, s);
            if (!plan.classByFolder.isEmpty()) {
                Path rel = plan.root.relativize(file);
                Integer truth = rel.getNameCount() >= 2 ? plan.classByFolder.get(rel.getName(0).toString()) : null;
                if (truth == null) {
                    unlabelled++;
                } else {
                    studentTruth.add(truth, s);
                    teacherTruth.add(truth, t);
                }
            }
        }

        private void addDense(TeacherRunner.RawOutput teacher, TeacherRunner.RawOutput student) {
            int sh = dim(student.shape(), 2);
            int sw = dim(student.shape(), 1);
            int th = dim(teacher.shape(), 2);
            int tw = dim(teacher.shape(), 1);
            float[] tmap = probabilities(teacher.values(), tw * th, plan.teacherProfile.task().outputIsProbability());
            float[] smap = probabilities(student.values(), sw * sh, plan.studentProfile.task().outputIsProbability());
            if (tw != sw || th != sh) {
                tmap = resize(tmap, tw, th, sw, sh);
                resized = true;
            }
            mapWidth = sw;
            mapHeight = sh;
            iou.add(tmap, smap);
        }

        Classification classification() {
            List<String> names = plan.mapping.names();
            GroundTruth truth = null;
            if (!plan.classByFolder.isEmpty()) {
                List<Confusion> mistakes = new ArrayList<>();
                int n = studentTruth.classes();
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        if (a != b && studentTruth.count(a, b) > 0) {
                            mistakes.add(new Confusion(names.get(a), names.get(b),
                                    Math.toIntExact(studentTruth.count(a, b))));
                        }
                    }
                }
                mistakes.sort(Comparator.comparingInt(Confusion::count).reversed());
                truth = new GroundTruth(Math.toIntExact(studentTruth.total()), unlabelled, studentTruth.agreement(),
                        teacherTruth.agreement(), List.copyOf(mistakes.subList(0, Math.min(10, mistakes.size()))));
            }
            return StudentComparison.classification(names, plan.grouped, agreement.summary(), truth);
        }

        Dense dense() {
            return new Dense(plan.threshold, iou.pooled(), iou.mean(), mapWidth, mapHeight, resized,
                    iou.firstMarkedFraction(), iou.secondMarkedFraction());
        }
    }

    /** The size of axis {@code fromEnd} counted from the end (1 = width, 2 = height) of a per-image shape. */
    private static int dim(long[] shape, int fromEnd) {
        if (shape.length < 2) {
            throw new CompareException("A dense map needs an output [N, K, h, w] or [N, h, w]; got per-image shape "
                    + Arrays.toString(shape) + ".", true);
        }
        return Math.toIntExact(shape[shape.length - fromEnd]);
    }

    /** The first channel as probabilities (sigmoid of logits unless the model gives probabilities). */
    private static float[] probabilities(float[] values, int n, boolean probability) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = probability ? values[i] : (float) (1 / (1 + Math.exp(-values[i])));
        }
        return out;
    }

    private static float[] resize(float[] map, int w, int h, int toW, int toH) {
        try (Mat src = new Mat(h, w, opencv_core.CV_32FC1); Mat dst = new Mat(); Size size = new Size(toW, toH)) {
            FloatBuffer in = src.createBuffer();
            in.put(map);
            opencv_imgproc.resize(src, dst, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            float[] out = new float[toW * toH];
            FloatBuffer b = dst.createBuffer();
            b.get(out);
            return out;
        }
    }

    static float[] softmax(float[] logits) {
        return dev.distillery.teacher.run.ClassificationDecoder.softmax(logits);
    }

    static int argmax(float[] v) {
        return ClassMapping.argmax(v);
    }

    private static double ratio(double student, double teacher) {
        return teacher > 0 ? student / teacher : 0;
    }

    /** Image files under {@code folder}, recursively, in path order. */
    static List<Path> imagesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new CompareException("The image folder " + folder + " does not exist or is not a folder.", false);
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> EXTENSIONS.stream().anyMatch(x -> p.getFileName().toString()
                            .toLowerCase(Locale.ROOT).endsWith(x)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CompareException("Cannot list the images in " + folder + ": " + e.getMessage(), false);
        }
    }

    /**
     * p50 latency in milliseconds of one inference at batch 1 (or the model's fixed batch) on {@code image}
     * preprocessed once, after warm-up runs in this process.
     */
    static double latencyP50(Path model, Preprocessing p, Mat image, Options options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int batch = Math.max(1, p.batchSize());
        long[] shape = p.layout() == Preprocessing.Layout.NCHW
                ? new long[] {batch, 3, p.height(), p.width()}
                : new long[] {batch, p.height(), p.width(), 3};
        Preprocessor.Prepared prepared;
        try (Preprocessor pre = new Preprocessor()) {
            prepared = pre.prepare(image, p);
        }
        try {
            try (OrtSession session = dev.distillery.onnx.OrtSessions.create(model,
                    dev.distillery.onnx.OrtSessions.Spec.inference(options.threads()));
                 OnnxTensor tensor = tensor(env, prepared, batch, shape)) {
                Map<String, OnnxTensor> feed = Map.of(session.getInputNames().iterator().next(), tensor);
                for (int i = 0; i < options.warmup(); i++) {
                    session.run(feed).close();
                }
                double[] ms = new double[options.timedRuns()];
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    session.run(feed).close();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                return ms[(ms.length - 1) / 2];
            }
        } catch (OrtException e) {
            throw new TeacherException("Cannot time " + model.getFileName() + ": ONNX Runtime says: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, Preprocessor.Prepared prepared, int batch, long[] shape)
            throws OrtException {
        if (prepared.bytes() != null) {
            byte[] one = prepared.bytes();
            ByteBuffer b = ByteBuffer.allocateDirect(one.length * batch).order(ByteOrder.nativeOrder());
            for (int i = 0; i < batch; i++) {
                b.put(one);
            }
            return OnnxTensor.createTensor(env, b.flip(), shape, OnnxJavaType.UINT8);
        }
        float[] one = prepared.floats();
        FloatBuffer f = ByteBuffer.allocateDirect(one.length * batch * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < batch; i++) {
            f.put(one);
        }
        return OnnxTensor.createTensor(env, f.flip(), shape);
    }
}
