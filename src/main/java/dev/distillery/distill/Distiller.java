package dev.distillery.distill;

import dev.distillery.distill.cache.OrtBatchInference;
import dev.distillery.distill.cache.TeacherLabeller;
import dev.distillery.distill.cache.TeacherOutputCache;
import dev.distillery.distill.target.Target;
import dev.distillery.distill.train.Augmenter;
import dev.distillery.distill.train.Image8;
import dev.distillery.distill.train.Schedule;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.vision.Images;
import dev.distillery.vision.Preprocessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a student from a teacher: reads the images once at the student's size, labels them with the teacher
 * (cached on disk, or per batch on the augmented view in {@link Mode#CONSISTENT}), then runs epochs of
 * knowledge distillation with a warm-up + cosine schedule, validates after every epoch (agreement with the
 * teacher, or IoU of the binarized maps), checkpoints, and stops on the epoch limit, the wall-time budget,
 * early stopping, or cancellation.
 *
 * <p>A checkpoint ({@code checkpoint/} in the run folder: last and best weights, then {@code state.json}
 * written last and atomically) is taken after every epoch. {@link #train} continues from it when it exists, so
 * a run killed at any moment resumes from its last finished epoch. The optimizer's moment estimates are not
 * saved: a resumed run restarts them (a few steps of slightly different updates).
 *
 * <p>With an epoch limit and no time budget a run is repeatable: same seed, same data, same weights. A time
 * budget makes the number of steps depend on the machine's speed.
 */
public final class Distiller {
    private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);
    private static final double MIN_DELTA = 0.002;
    /**
     * Decay per step of the classifier's weight average. With {@link KdTrainer#averageWeights}'s warm-up the
     * average spans about the last tenth of the steps so far, at most ~500 steps. Measured on camera frames
     * (docs/benchmarks.md): the last step's weights swung by ±0.05 agreement on later frames from one epoch to
     * the next, so which epoch a 50-frame validation set happened to pick decided the result; the average's curve
     * is flat within ±0.005 once learnt, at the same level.
     */
    static final float AVERAGE_DECAY = 0.998f;

    /** {@link #CACHED}: teacher outputs computed once on the plain images (fast). {@link #CONSISTENT}: the teacher
     * sees every augmented view the student sees (best quality, costs teacher inference every step). */
    public enum Mode { CACHED, CONSISTENT }

    /**
     * @param maxEpochs     upper bound on epochs
     * @param budgetSeconds wall-time bound on training (0: none); pauses do not count
     * @param patience      stop after this many epochs without a better validation score (0: never)
     * @param threads       ONNX Runtime threads for the teacher
     */
    public record Settings(Mode mode, int batchSize, float learningRate, float weightDecay, float temperature,
                           float ceWeight, int maxEpochs, double budgetSeconds, int patience, boolean augment,
                           long seed, int threads) {
        public Settings {
            if (batchSize < 2 || maxEpochs < 1 || budgetSeconds < 0 || patience < 0 || threads < 1
                    || !(learningRate > 0) || !(temperature > 0)) {
                throw new IllegalArgumentException("bad training settings");
            }
        }

        public static Settings defaults(StudentTask kind) {
            return kind.trainingDefaults();
        }

        public Settings withBudget(double seconds, int epochs) {
            return new Settings(mode, batchSize, learningRate, weightDecay, temperature, ceWeight, epochs, seconds,
                    patience, augment, seed, threads);
        }

        public Settings withMode(Mode m) {
            return new Settings(m, batchSize, learningRate, weightDecay, temperature, ceWeight, maxEpochs,
                    budgetSeconds, patience, augment, seed, threads);
        }

        public Settings withSeed(long s) {
            return new Settings(mode, batchSize, learningRate, weightDecay, temperature, ceWeight, maxEpochs,
                    budgetSeconds, patience, augment, s, threads);
        }

        public Settings withPatience(int p) {
            return new Settings(mode, batchSize, learningRate, weightDecay, temperature, ceWeight, maxEpochs,
                    budgetSeconds, p, augment, seed, threads);
        }

        public Settings withBatch(int b) {
            return new Settings(mode, b, learningRate, weightDecay, temperature, ceWeight, maxEpochs, budgetSeconds,
                    patience, augment, seed, threads);
        }
    }

    /** One image: its file, content hash and ground-truth class name (null when unknown). */
    public record Sample(Path image, String sha, String truth) {
    }

    /**
     * Everything a run needs. {@code studentPreprocessing} turns an image into the student's input; for a dense
     * target the teacher's preprocessing must have the student's input size so the maps align.
     */
    public record Plan(Path teacherFile, String teacherSha, String teacherName, TeacherProfile teacherProfile,
                       Target target, StudentSpec student, Preprocessing studentPreprocessing, List<Sample> train,
                       List<Sample> val, Settings settings, Path runDir, Path cacheRoot) {
        public Plan {
            train = List.copyOf(train);
            val = List.copyOf(val);
        }
    }

    /** Live figures during training. {@code etaSeconds} is NaN when unknown. */
    public record StepInfo(int epoch, long step, double progress, float loss, float learningRate,
                           double samplesPerSecond, double elapsedSeconds, double etaSeconds) {
    }

    /**
     * One finished epoch. {@code valMetric}: agreement (classes) or pooled IoU (maps); accuracy null without truth;
     * {@code valBalanced}, {@code valKappa} and {@code valBaseline} (balanced agreement, Cohen's kappa, majority
     * baseline: see {@link dev.distillery.metrics.ConfusionMatrix}) only for classes, else null (and null in
     * checkpoints written before they existed).
     */
    public record EpochInfo(int epoch, double trainLoss, double valMetric, Double valAccuracy, double learningRate,
                            double samplesPerSecond, double elapsedSeconds, boolean best, Double valBalanced,
                            Double valKappa, Double valBaseline) {
    }

    /** Callbacks on the training thread; keep them short. */
    public interface Listener {
        /** A preparation phase; {@code fraction} in 0..1, or −1 when unknown. */
        default void phase(String text, double fraction, double etaSeconds) {
        }

        default void step(StepInfo s) {
        }

        default void epoch(EpochInfo e) {
        }
    }

    /** Why training ended. */
    public enum Stop { EPOCHS, BUDGET, EARLY_STOPPING, CANCELLED }

    public record Outcome(Stop stop, int epochs, double bestMetric, int bestEpoch, double trainSeconds, long samples,
                          List<EpochInfo> history, int unreadable, int resumedFromEpoch) {
        public double samplesPerSecond() {
            return trainSeconds > 0 ? samples / trainSeconds : 0;
        }
    }

    /** What is written after every epoch, last, so that its presence means the weights are complete. */
    record State(int epoch, long step, double elapsedSeconds, long samples, double bestMetric, int bestEpoch,
                 int sinceBest, List<EpochInfo> history) {
    }

    private final Plan plan;
    private final Listener listener;
    private final RunControl control;
    private final int outH;
    private final int outW;

    /** Student inputs at the student's size (BGR bytes) and their targets, train then val. */
    private final List<Image8> trainImages = new ArrayList<>();
    private final List<Object> trainTargets = new ArrayList<>();
    private final List<Sample> trainKept = new ArrayList<>();
    private final List<Image8> valImages = new ArrayList<>();
    private final List<Object> valTargets = new ArrayList<>();
    private final List<Sample> valKept = new ArrayList<>();
    private int unreadable;
    /** Box targets: the boxes each image's teacher gave (student input pixels), and the truth for validation. */
    private final boolean boxes;
    /** Set when the classes are imbalanced: rare classes are oversampled and the best epoch is picked per class. */
    private boolean balancedSampling;
    /** Cached class targets: true when the teacher gives a mirrored image the same class (probed on the data). */
    private boolean flipsKeepClass;

    public Distiller(Plan plan, Listener listener, RunControl control) {
        this.plan = plan;
        this.listener = listener == null ? new Listener() { } : listener;
        this.control = control == null ? new RunControl() : control;
        this.outH = plan.student().inputHeight();
        this.outW = plan.student().inputWidth();
        this.boxes = plan.target() instanceof Target.Boxes;
        if (plan.student().outputs() != plan.target().outputs()) {
            throw new IllegalArgumentException("The student has " + plan.student().outputs() + " outputs, the target "
                    + plan.target().outputs());
        }
    }

    public static Path checkpointDir(Path runDir) {
        return runDir.resolve("checkpoint");
    }

    /** Weights of the best epoch so far (what export uses). */
    public static Path bestWeights(Path runDir) {
        return checkpointDir(runDir).resolve("best.params");
    }

    /** True when the run folder holds a complete checkpoint to resume from. */
    public static boolean hasCheckpoint(Path runDir) {
        return Files.isRegularFile(checkpointDir(runDir).resolve("state.json"));
    }

    /**
     * Reads the data and teacher outputs again (from the cache) so that a stopped run's best weights can be exported
     * and measured; returns the outcome recorded in its checkpoint.
     */
    public Outcome prepareForExport() throws IOException {
        prepareData();
        ensureValidation();
        State st = Json.read(Files.readString(checkpointDir(plan.runDir()).resolve("state.json")), State.class);
        return new Outcome(Stop.CANCELLED, st.epoch(), keptSelection(st.history(), st.bestEpoch(), st.bestMetric()),
                st.bestEpoch(), st.elapsedSeconds(), st.samples(), st.history(), unreadable, st.epoch());
    }

    /** Tiny datasets: validate on (some of) the training images rather than not at all. */
    private void ensureValidation() {
        if (valImages.isEmpty() && plan.settings().mode() == Mode.CACHED) {
            valImages.addAll(trainImages.subList(0, Math.min(trainImages.size(), 32)));
            for (int i = 0; i < valImages.size(); i++) {
                // validation wants the teacher's class, training holds the soft target
                Object t = trainTargets.get(i);
                valTargets.add(t instanceof float[] soft && plan.target() instanceof Target.Classes
                        ? (Object) Target.argmax(soft) : t);
            }
            valKept.addAll(trainKept.subList(0, valImages.size()));
        }
    }

    /** Prepares data and teacher targets, then trains (resuming from a checkpoint when there is one). */
    public Outcome train() {
        Settings s = plan.settings();
        prepareData();
        if (boxes) {
            long found = trainTargets.stream().filter(t -> t instanceof List<?> l && !l.isEmpty()).count()
                    + valTargets.stream().filter(t -> t instanceof List<?> l && !l.isEmpty()).count();
            if (found == 0) {
                throw new IllegalStateException("The teacher found no " + String.join(", ", plan.target().names())
                        + " in any of the " + (trainImages.size() + valImages.size()) + " images: pick frames that "
                        + "show them, or other classes with --group");
            }
        }
        if (trainImages.size() < 2) {
            throw new IllegalStateException("Fewer than 2 readable training images (" + unreadable
                    + " unreadable); add images to the dataset");
        }
        ensureValidation();
        KdTrainer.Config cfg = new KdTrainer.Config(1, s.batchSize(), s.learningRate(), s.weightDecay(),
                s.temperature(), (int) s.seed(), s.ceWeight());
        try (KdTrainer trainer = new KdTrainer(plan.student(), cfg);
             TeacherRunner consistentTeacher = s.mode() == Mode.CONSISTENT
                     ? TeacherRunner.open(plan.teacherFile(), plan.teacherProfile(), s.threads()) : null) {
            return loop(trainer, consistentTeacher);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint under " + plan.runDir() + ": "
                    + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ data

    private Preprocessing bytesAtStudentSize() {
        Preprocessing p = plan.studentPreprocessing();
        return new Preprocessing(outW, outH, Preprocessing.Layout.NHWC, Preprocessing.ChannelOrder.BGR, 1,
                Preprocessing.ZERO, Preprocessing.ONE, p.resize(), p.cropFraction(), p.padValue(), 0, "uint8");
    }

    private void prepareData() {
        Settings s = plan.settings();
        List<Sample> all = new ArrayList<>(plan.train());
        all.addAll(plan.val());
        Preprocessing bytes = bytesAtStudentSize();
        List<Image8> images = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        List<Sample> kept = new ArrayList<>();
        List<Boolean> keptIsTrain = new ArrayList<>();
        int trainCount = plan.train().size();
        long t0 = System.nanoTime();
        try (Preprocessor pre = new Preprocessor()) {
            for (int i = 0; i < all.size(); i++) {
                checkCancelled();
                Sample sample = all.get(i);
                try (Mat m = Images.read(sample.image())) {
                    images.add(new Image8(outW, outH, 3, pre.prepare(m, bytes).bytes()));
                    sizes.add(new int[] {m.cols(), m.rows()});
                    kept.add(sample);
                    keptIsTrain.add(i < trainCount);
                } catch (TeacherException e) {
                    unreadable++;
                    LOG.warn("Skipping an unreadable image: {}", e.getMessage());
                }
                if (i % 16 == 15 || i == all.size() - 1) {
                    double el = (System.nanoTime() - t0) / 1e9;
                    listener.phase("Reading images", (i + 1.0) / all.size(), el / (i + 1) * (all.size() - i - 1));
                }
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("None of the " + all.size() + " images could be read");
        }
        List<float[]> raw = teacherOutputs(kept, keptIsTrain);
        for (int i = 0; i < kept.size(); i++) {
            Sample sample = kept.get(i);
            boolean isTrain = keptIsTrain.get(i);
            Object target = raw.get(i) == null ? null : toTarget(raw.get(i), isTrain, sizes.get(i));
            if (isTrain) {
                if (s.mode() == Mode.CONSISTENT || target != null) {
                    trainImages.add(images.get(i));
                    trainTargets.add(target);
                    trainKept.add(sample);
                }
            } else if (target != null) {
                valImages.add(images.get(i));
                valTargets.add(target);
                valKept.add(sample);
            }
        }
        LOG.info("Run data: {} train, {} val, {} unreadable", trainImages.size(), valImages.size(), unreadable);
    }

    private Object toTarget(float[] raw, boolean forTraining, int[] sourceSize) {
        if (plan.target() instanceof Target.Boxes b) {
            // the same list trains (rasterized per view) and validates (as ground truth)
            return b.teacherBoxes(raw, sourceSize[0], sourceSize[1]);
        }
        if (plan.target() instanceof Target.Classes c) {
            // training needs the soft target at T; validation the teacher's class
            return forTraining ? c.target(raw, plan.settings().temperature()) : (Integer) c.teacherClass(raw);
        }
        Target.Map m = (Target.Map) plan.target();
        float[] p = m.target(raw, outH * outW);
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = (byte) Math.round(Math.max(0, Math.min(1, p[i])) * 255);
        }
        return new Image8(outW, outH, 1, b);
    }

    /**
     * Teacher outputs for the kept images, through the disk cache (computed in batches, reused across runs,
     * resumable); null entries for images the teacher could not read. In consistent mode only the validation
     * images need them up front, but labelling all keeps the cache warm for a cached run later.
     */
    private List<float[]> teacherOutputs(List<Sample> kept, List<Boolean> isTrain) {
        Settings s = plan.settings();
        List<Sample> need = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            if (s.mode() == Mode.CACHED || !isTrain.get(i)) {
                need.add(kept.get(i));
            }
        }
        List<float[]> out = new ArrayList<>();
        try (OrtBatchInference teacher = OrtBatchInference.open(plan.teacherFile(), plan.teacherProfile(),
                s.threads())) {
            int outputSize;
            try (Mat probe = Images.read(kept.get(0).image())) {
                outputSize = teacher.infer(List.of(probe)).get(0).length;
            }
            try (TeacherOutputCache cache = TeacherOutputCache.open(plan.cacheRoot(), plan.teacherSha(),
                    plan.teacherProfile().preprocessing(), outputSize)) {
                int batch = teacher.fixedBatch() > 0 ? teacher.fixedBatch() : 8;
                TeacherLabeller labeller = new TeacherLabeller(teacher, cache, batch);
                List<TeacherLabeller.Item> items = need.stream()
                        .map(x -> new TeacherLabeller.Item(x.image(), x.sha())).toList();
                TeacherLabeller.Report r = labeller.label(items, 0,
                        p -> listener.phase("Labelling with the teacher", p.total() == 0 ? 1 : (double) p.done()
                                / p.total(), p.etaSeconds()), control::cancelled);
                if (r.cancelled()) {
                    throw new CancellationException("Cancelled while labelling");
                }
                LOG.info("Teacher labels: {} computed, {} reused from the cache, {} unreadable", r.computed(),
                        r.reused(), r.unreadable());
                for (int i = 0; i < kept.size(); i++) {
                    boolean wanted = s.mode() == Mode.CACHED || !isTrain.get(i);
                    out.add(wanted ? cache.get(kept.get(i).sha(), 0).orElse(null) : null);
                }
                if (plan.target() instanceof Target.Classes c && s.mode() == Mode.CACHED) {
                    flipsKeepClass = probeFlips(teacher, c, kept, out);
                }
            }
        }
        return out;
    }

    /** Images the flip probe looks at. */
    static final int FLIP_PROBE = 48;

    /**
     * Whether mirrored views keep the teacher's class, so cached targets may be flipped with the image: the teacher
     * runs on up to {@link #FLIP_PROBE} mirrored images and must give at least 90 % of them their class. True for
     * photos of things (a cat mirrored is a cat); false for a text-direction classifier, whose class a mirror can
     * change. Camera frames gain much from flips, so this is decided from the data rather than assumed.
     */
    private boolean probeFlips(OrtBatchInference teacher, Target.Classes c, List<Sample> kept, List<float[]> raw) {
        List<Integer> idx = new ArrayList<>();
        int stride = Math.max(1, kept.size() / FLIP_PROBE);
        for (int i = 0; i < kept.size() && idx.size() < FLIP_PROBE; i += stride) {
            if (raw.get(i) != null) {
                idx.add(i);
            }
        }
        if (idx.size() < 8) {
            return false;
        }
        int same = 0;
        int batch = teacher.fixedBatch() > 0 ? teacher.fixedBatch() : 8;
        for (int from = 0; from < idx.size(); from += batch) {
            checkCancelled();
            List<Integer> part = idx.subList(from, Math.min(idx.size(), from + batch));
            if (teacher.fixedBatch() > 0 && part.size() < teacher.fixedBatch()) {
                break;
            }
            List<Mat> mirrored = new ArrayList<>();
            try {
                for (int i : part) {
                    try (Mat m = Images.read(kept.get(i).image())) {
                        Mat f = new Mat();
                        org.bytedeco.opencv.global.opencv_core.flip(m, f, 1);
                        mirrored.add(f);
                    }
                }
                List<float[]> flipped = teacher.infer(mirrored);
                for (int j = 0; j < part.size(); j++) {
                    same += c.teacherClass(flipped.get(j)) == c.teacherClass(raw.get(part.get(j))) ? 1 : 0;
                }
            } catch (TeacherException e) {
                LOG.info("Flip probe skipped an image: {}", e.getMessage());
            } finally {
                mirrored.forEach(Mat::close);
            }
        }
        boolean ok = same >= 0.9 * idx.size();
        LOG.info("Flip probe: the teacher keeps its class on {} of {} mirrored images: {}", same, idx.size(),
                ok ? "training with flips" : "no flips");
        return ok;
    }

    // ------------------------------------------------------------------------------------------------ training

    private Outcome loop(KdTrainer trainer, TeacherRunner consistentTeacher) throws IOException {
        Settings s = plan.settings();
        Path ckpt = checkpointDir(plan.runDir());
        Files.createDirectories(ckpt);
        State st = new State(0, 0, 0, 0, Double.NEGATIVE_INFINITY, 0, 0, List.of());
        int resumedFrom = 0;
        if (hasCheckpoint(plan.runDir())) {
            st = Json.read(Files.readString(ckpt.resolve("state.json")), State.class);
            trainer.loadParameters(ckpt.resolve("last.params"));
            resumedFrom = st.epoch();
            LOG.info("Resuming run in {} after epoch {}", plan.runDir(), st.epoch());
            listener.phase("Resumed after epoch " + st.epoch(), 1, 0);
            for (EpochInfo e : st.history()) {
                listener.epoch(e);
            }
        }
        List<EpochInfo> history = new ArrayList<>(st.history());
        int[] pool = samplingPool();
        int n = pool.length;
        int bs = Math.min(s.batchSize(), n);
        int stepsPerEpoch = n / bs; // the last partial batch is dropped (BatchNorm and even step sizes)
        long totalSteps = (long) s.maxEpochs() * stepsPerEpoch;
        Schedule schedule = Schedule.cosine(s.learningRate());
        // class targets hold for the whole image, so views stay close to it; maps move with the image
        boolean classes = plan.target() instanceof Target.Classes;
        // boxes: people and balls show up at any size and place in a clip, so views move and zoom most
        Augmenter aug = new Augmenter(s.seed(), allowFlips(), boxes ? 0.3 : classes ? 0.15 : 0.1,
                boxes ? 0.12 : classes ? 0.08 : 0.06);
        if (classes || boxes) {
            // validated and exported: the running average of the weights, not the last step's (see AVERAGE_DECAY)
            trainer.averageWeights(AVERAGE_DECAY);
        }
        int inValues = plan.student().inputValues();
        int tgtValues = plan.target().targetSize(outH, outW);

        double elapsedBefore = st.elapsedSeconds();
        long samples = st.samples();
        long step = st.step();
        double best = st.bestMetric();
        int bestEpoch = st.bestEpoch();
        int sinceBest = st.sinceBest();
        Stop stop = Stop.EPOCHS;
        long sessionStart = System.nanoTime();
        long lastReport = 0;
        double lossEma = Double.NaN;
        int epoch = st.epoch();
        outer:
        while (epoch < s.maxEpochs()) {
            if (s.budgetSeconds() > 0 && elapsed(elapsedBefore, sessionStart) >= s.budgetSeconds()) {
                stop = Stop.BUDGET;
                break;
            }
            int[] order = order(pool, s.seed(), epoch);
            long dataNanos = 0;
            long stepNanos = 0;
            double lossSum = 0;
            int batches = 0;
            long epochStartSamples = samples;
            double epochStart = elapsed(elapsedBefore, sessionStart);
            for (int b = 0; b < stepsPerEpoch; b++) {
                if (control.cancelled()) {
                    stop = Stop.CANCELLED;
                    break outer;
                }
                long pausedAt = System.nanoTime();
                if (control.awaitIfPaused()) {
                    sessionStart += System.nanoTime() - pausedAt; // pauses do not count against the budget
                }
                double el = elapsed(elapsedBefore, sessionStart);
                if (s.budgetSeconds() > 0 && el >= s.budgetSeconds()) {
                    stop = Stop.BUDGET;
                    break outer;
                }
                double progress = Math.max((double) step / Math.max(1, totalSteps),
                        s.budgetSeconds() > 0 ? el / s.budgetSeconds() : 0);
                float lr = schedule.rate(progress);
                trainer.setLearningRate(lr);
                float[] x = new float[bs * inValues];
                float[] y = new float[bs * tgtValues];
                long t0 = System.nanoTime();
                batch(order, b * bs, bs, epoch, aug, consistentTeacher, x, y);
                long t1 = System.nanoTime();
                float loss = trainer.step(x, y, bs);
                dataNanos += t1 - t0;
                stepNanos += System.nanoTime() - t1;
                lossSum += loss;
                batches++;
                samples += bs;
                step++;
                lossEma = Double.isNaN(lossEma) ? loss : 0.9 * lossEma + 0.1 * loss;
                long now = System.nanoTime();
                if (now - lastReport > 400_000_000L || b == stepsPerEpoch - 1) {
                    lastReport = now;
                    double e2 = elapsed(elapsedBefore, sessionStart);
                    double sessionSeconds = (now - sessionStart) / 1e9;
                    double rate = sessionSeconds > 0 ? (samples - st.samples()) / sessionSeconds : 0;
                    double eta = etaSeconds(s, e2, step, totalSteps, rate, bs);
                    listener.step(new StepInfo(epoch + 1, step, Math.min(1, progress), (float) lossEma, lr, rate, e2,
                            eta));
                }
            }
            epoch++;
            long v0 = System.nanoTime();
            Validation val;
            try (KdTrainer.Swap avg = trainer.withAverage()) {
                val = validate(trainer);
            }
            LOG.debug("Epoch {} time: batches {} ms, steps {} ms, validation {} ms", epoch, dataNanos / 1_000_000,
                    stepNanos / 1_000_000, (System.nanoTime() - v0) / 1_000_000);
            double el = elapsed(elapsedBefore, sessionStart);
            // classes: the epoch that agrees best on every class alike (balanced agreement), not the one that answers
            // the majority class best; maps: IoU
            double selection = val.selection();
            boolean improved = selection > best + MIN_DELTA || history.isEmpty();
            // a classifier's later epoch that validates within one standard error of the best is kept instead: its
            // averaged weights have learnt for longer, and ~50 validation frames cannot tell the two apart
            boolean asGood = !improved && classes && selection >= best - oneStandardError(best, valImages.size());
            if (improved || asGood) {
                bestEpoch = epoch;
                try (KdTrainer.Swap avg = trainer.withAverage()) {
                    trainer.saveParameters(ckpt.resolve("best.params"));
                }
            }
            if (improved) {
                best = selection;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            double epochSeconds = el - epochStart;
            EpochInfo info = new EpochInfo(epoch, lossSum / Math.max(1, batches), val.metric(), val.accuracy(),
                    trainer.learningRate(), epochSeconds > 0 ? (samples - epochStartSamples) / epochSeconds : 0, el,
                    improved || asGood, val.balanced(), val.kappa(), val.baseline());
            history.add(info);
            trainer.saveParameters(ckpt.resolve("last.params"));
            writeState(ckpt, new State(epoch, step, el, samples, best, bestEpoch, sinceBest, history));
            listener.epoch(info);
            LOG.info("Epoch {}: loss {} val {} {}", epoch, String.format(Locale.ROOT, "%.4f", info.trainLoss()),
                    String.format(Locale.ROOT, "%.4f", val.metric()), improved ? "(best)" : asGood ? "(kept)" : "");
            if (s.patience() > 0 && sinceBest >= s.patience() && mayStopEarly(s, el, best)) {
                stop = Stop.EARLY_STOPPING;
                break;
            }
        }
        if (epoch >= s.maxEpochs() && stop != Stop.CANCELLED && stop != Stop.BUDGET) {
            stop = Stop.EPOCHS;
        }
        if (history.isEmpty()) {
            // stopped before the first epoch ended (a very short budget or a cancel): keep what was learnt
            Validation val = validate(trainer);
            EpochInfo info = new EpochInfo(0, Double.isNaN(lossEma) ? 0 : lossEma, val.metric(), val.accuracy(),
                    trainer.learningRate(), 0, elapsed(elapsedBefore, sessionStart), true, val.balanced(), val.kappa(),
                    val.baseline());
            history.add(info);
            best = val.selection();
            trainer.saveParameters(ckpt.resolve("best.params"));
            trainer.saveParameters(ckpt.resolve("last.params"));
            writeState(ckpt, new State(0, step, info.elapsedSeconds(), samples, best, 0, 0, history));
            listener.epoch(info);
        }
        double trainSeconds = elapsed(elapsedBefore, sessionStart);
        return new Outcome(stop, epoch, keptSelection(history, bestEpoch, best), bestEpoch, trainSeconds, samples,
                history, unreadable, resumedFrom);
    }

    /** The standard error of a rate {@code p} measured on {@code n} images: √(p(1 − p)/n). */
    static double oneStandardError(double p, int n) {
        double q = Math.max(0, Math.min(1, p));
        return n <= 0 ? 0 : Math.sqrt(q * (1 - q) / n);
    }

    /** What picked the kept epoch (its balanced agreement or IoU); {@code fallback} when it is not in the history. */
    private double keptSelection(List<EpochInfo> history, int keptEpoch, double fallback) {
        for (EpochInfo e : history) {
            if (e.epoch() == keptEpoch) {
                return plan.target() instanceof Target.Classes && e.valBalanced() != null ? e.valBalanced()
                        : e.valMetric();
            }
        }
        return fallback;
    }

    /**
     * Early stopping is for a run that has learnt what it can, not a slow start: with a time budget it may stop only
     * once half the budget is spent (a 10-minute run must not end after one minute), and a classifier whose best
     * balanced agreement is still near chance (1/K + 0.05) keeps training.
     */
    private boolean mayStopEarly(Settings s, double elapsed, double best) {
        if (s.budgetSeconds() > 0 && elapsed < 0.5 * s.budgetSeconds()) {
            return false;
        }
        if (plan.target() instanceof Target.Classes) {
            return best > 1.0 / plan.target().outputs() + 0.05;
        }
        return true;
    }

    private static double etaSeconds(Settings s, double elapsed, long step, long totalSteps, double rate, int bs) {
        double byEpochs = rate > 0 ? (totalSteps - step) * bs / rate : Double.NaN;
        if (s.budgetSeconds() > 0) {
            double byBudget = Math.max(0, s.budgetSeconds() - elapsed);
            return Double.isNaN(byEpochs) ? byBudget : Math.min(byBudget, byEpochs);
        }
        return byEpochs;
    }

    private boolean allowFlips() {
        // Maps flip with the image; in consistent mode the teacher sees the flip; cached class targets may depend
        // on left/right (text direction), so no flips there.
        return plan.target() instanceof Target.Map || boxes || plan.settings().mode() == Mode.CONSISTENT
                || flipsKeepClass;
    }

    private static double elapsed(double before, long sessionStart) {
        return before + (System.nanoTime() - sessionStart) / 1e9;
    }

    /**
     * Training indices for one epoch, before shuffling. With class targets known up front (cached mode) and
     * imbalanced (the teacher's top class of one group at least twice as common as another's, typical for a subset
     * such as dog / cat / other), rarer classes are repeated up to 8× so that the student does not learn to answer
     * the majority class; otherwise every image once.
     */
    private int[] samplingPool() {
        int n = trainImages.size();
        int k = plan.target().outputs();
        if (!(plan.target() instanceof Target.Classes) || plan.settings().mode() != Mode.CACHED || k < 2) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        int[] cls = new int[n];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            float[] t = (float[]) trainTargets.get(i);
            int best = 0;
            for (int c = 1; c < t.length; c++) {
                if (t[c] > t[best]) {
                    best = c;
                }
            }
            cls[i] = best;
            count[best]++;
        }
        int max = java.util.Arrays.stream(count).max().orElse(0);
        int minPresent = java.util.Arrays.stream(count).filter(c -> c > 0).min().orElse(max);
        if (max < 2 * minPresent) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int repeat = Math.max(1, Math.min(8, Math.round((float) max / count[cls[i]])));
            for (int r = 0; r < repeat; r++) {
                pool.add(i);
            }
        }
        balancedSampling = true;
        LOG.info("Class-balanced sampling: teacher top-class counts {}, {} samples per epoch from {} images",
                java.util.Arrays.toString(count), pool.size(), n);
        return pool.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] order(int[] pool, long seed, int epoch) {
        int n = pool.length;
        int[] o = pool.clone();
        Random r = new Random(seed * 31 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Fills one batch of inputs and targets. */
    private void batch(int[] order, int from, int bs, int epoch, Augmenter aug, TeacherRunner teacher, float[] x,
                       float[] y) {
        Settings s = plan.settings();
        int inValues = plan.student().inputValues();
        int tgtValues = plan.target().targetSize(outH, outW);
        if (s.mode() == Mode.CONSISTENT) {
            consistentBatch(order, from, bs, epoch, aug, teacher, x, y);
            return;
        }
        for (int j = 0; j < bs; j++) {
            int idx = order[from + j];
            Image8 img = trainImages.get(idx);
            Object target = trainTargets.get(idx);
            Augmenter.Draw d = s.augment() ? aug.draw(epoch, idx) : Augmenter.IDENTITY;
            toInput(Augmenter.apply(img, d), x, j * inValues);
            if (boxes) {
                @SuppressWarnings("unchecked")
                List<dev.distillery.metrics.BoxMatching.Box> list = (List<dev.distillery.metrics.BoxMatching.Box>) target;
                float[] t = plan.student().boxGrid().rasterize(Augmenter.applyToBoxes(list, d, outW, outH));
                System.arraycopy(t, 0, y, j * tgtValues, tgtValues);
            } else if (target instanceof float[] soft) {
                System.arraycopy(soft, 0, y, j * tgtValues, tgtValues);
            } else {
                Image8 map = Augmenter.applyGeometry((Image8) target, d);
                byte[] m = map.data();
                for (int k = 0; k < tgtValues; k++) {
                    y[j * tgtValues + k] = (m[k] & 0xff) / 255f;
                }
            }
        }
    }

    private void consistentBatch(int[] order, int from, int bs, int epoch, Augmenter aug, TeacherRunner teacher,
                                 float[] x, float[] y) {
        int inValues = plan.student().inputValues();
        int tgtValues = plan.target().targetSize(outH, outW);
        List<Mat> views = new ArrayList<>(bs);
        int[][] sizes = new int[bs][];
        try (Preprocessor pre = new Preprocessor()) {
            for (int j = 0; j < bs; j++) {
                int idx = order[from + j];
                Image8 view;
                try (Mat original = Images.read(trainKept.get(idx).image()); Mat work = workingSize(original)) {
                    Augmenter.Draw d = plan.settings().augment() ? aug.draw(epoch, idx) : Augmenter.IDENTITY;
                    view = Augmenter.apply(Image8.of(work), d);
                } catch (TeacherException e) {
                    // vanished since it was read: train on the stored copy
                    view = trainImages.get(idx);
                }
                sizes[j] = new int[] {view.width(), view.height()};
                Mat m = view.toMat();
                views.add(m);
                float[] in = pre.prepare(m, plan.studentPreprocessing()).floats();
                System.arraycopy(in, 0, x, j * inValues, inValues);
            }
            List<float[]> raw = teacher.rawOutputBatch(views);
            for (int j = 0; j < bs; j++) {
                float[] t;
                if (plan.target() instanceof Target.Classes c) {
                    t = c.target(raw.get(j), plan.settings().temperature());
                } else if (plan.target() instanceof Target.Boxes bx) {
                    // the teacher saw the augmented view: its boxes need no further augmentation
                    t = plan.student().boxGrid().rasterize(bx.teacherBoxes(raw.get(j), sizes[j][0], sizes[j][1]));
                } else {
                    t = ((Target.Map) plan.target()).target(raw.get(j), tgtValues);
                }
                System.arraycopy(t, 0, y, j * tgtValues, tgtValues);
            }
        } finally {
            views.forEach(Mat::close);
        }
    }

    /** Downscales very large images so augmentation stays cheap; at least twice the larger model input. */
    private Mat workingSize(Mat m) {
        int limit = 2 * Math.max(Math.max(outW, outH), Math.max(plan.teacherProfile().preprocessing().width(),
                plan.teacherProfile().preprocessing().height()));
        int longSide = Math.max(m.cols(), m.rows());
        if (longSide <= limit) {
            return m.clone();
        }
        double f = (double) limit / longSide;
        Mat out = new Mat();
        try (Size size = new Size(Math.max(1, (int) Math.round(m.cols() * f)),
                Math.max(1, (int) Math.round(m.rows() * f)))) {
            opencv_imgproc.resize(m, out, size, 0, 0, opencv_imgproc.INTER_AREA);
        }
        return out;
    }

    /** BGR bytes at the student's size → the student's float NCHW input (channel order, scale, mean, std). */
    void toInput(Image8 img, float[] dst, int offset) {
        Preprocessing p = plan.studentPreprocessing();
        int plane = outW * outH;
        boolean rgb = p.channelOrder() == Preprocessing.ChannelOrder.RGB;
        byte[] d = img.data();
        for (int c = 0; c < 3; c++) {
            int src = rgb ? 2 - c : c; // bytes are BGR
            double scale = p.scale() / p.std().get(c);
            double shift = p.mean().get(c) / p.std().get(c);
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[base + i] = (float) ((d[i * 3 + src] & 0xff) * scale - shift);
            }
        }
    }

    /** A student forward pass: {@code m} inputs (flattened) → m outputs (flattened). */
    @FunctionalInterface
    public interface Predictor {
        float[] predict(float[] inputs, int m);
    }

    private Validation validate(KdTrainer trainer) {
        StudentSpec spec = plan.student();
        // a detector is judged on the boxes its exported form gives
        return evaluate(boxes ? (x, m) -> OnnxExporter.exportedForm(spec, trainer.predict(x, m)) : trainer::predict);
    }

    /**
     * The student's figures on the validation images.
     *
     * @param classes  class targets: the student against the teacher's (grouped) class; null for maps
     * @param truth    class targets: the student against the ground-truth folders; null without any
     * @param iou      maps: pooled IoU of the maps binarized at the target's threshold; NaN for classes
     */
    public record Validation(dev.distillery.metrics.ClassMetrics classes, dev.distillery.metrics.ClassMetrics truth,
                             double iou, dev.distillery.metrics.DetectionAp.Result detection) {
        public Validation(dev.distillery.metrics.ClassMetrics classes, dev.distillery.metrics.ClassMetrics truth,
                          double iou) {
            this(classes, truth, iou, null);
        }

        /** Agreement (classes), pooled IoU (maps) or mAP@0.5 (boxes): the figure reports and the database show. */
        public double metric() {
            return classes != null ? classes.agreement() : detection != null ? zeroIfNaN(detection.map50()) : iou;
        }

        /**
         * What picks the best epoch: balanced agreement (classes), pooled IoU (maps), or mAP@0.5 plus a tenth of
         * mAP@0.5:0.95 (boxes: once every box is found at IoU 0.5, the epoch that places them best wins).
         */
        public double selection() {
            return classes != null ? classes.balancedAgreement()
                    : detection != null ? metric() + zeroIfNaN(detection.map50to95()) / 10 : metric();
        }

        private static double zeroIfNaN(double v) {
            return Double.isNaN(v) ? 0 : v;
        }

        /** Accuracy against the folders; null without labelled images. */
        public Double accuracy() {
            return truth == null ? null : truth.agreement();
        }

        public Double balanced() {
            return classes == null ? null : classes.balancedAgreement();
        }

        public Double kappa() {
            return classes == null ? null : classes.kappa();
        }

        public Double baseline() {
            return classes == null ? null : classes.majorityBaseline();
        }
    }

    /**
     * The figures of {@code student} on the validation images, without augmentation: against the teacher's
     * (grouped) class, and the ground truth when known, through {@link dev.distillery.metrics.ConfusionMatrix};
     * or the pooled IoU of the binarized maps ({@link dev.distillery.metrics.MapIou}). Dense predictors give
     * logits.
     */
    public Validation evaluate(Predictor student) {
        int n = valImages.size();
        int inValues = plan.student().inputValues();
        int outValues = plan.student().outputValues();
        int chunk = plan.student().kind().validationChunk();
        boolean classes = plan.target() instanceof Target.Classes;
        var agreement = classes ? new dev.distillery.metrics.ConfusionMatrix(outValues) : null;
        var truthMatrix = classes ? new dev.distillery.metrics.ConfusionMatrix(outValues) : null;
        var iou = plan.target() instanceof Target.Map map
                ? new dev.distillery.metrics.MapIou.Accumulator(map.threshold()) : null;
        var ap = boxes ? dev.distillery.metrics.DetectionAp.accumulator() : null;
        List<String> names = plan.target().names().stream().map(x -> x.toLowerCase(Locale.ROOT)).toList();
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] x = new float[m * inValues];
            for (int j = 0; j < m; j++) {
                toInput(valImages.get(from + j), x, j * inValues);
            }
            float[] out = student.predict(x, m);
            for (int j = 0; j < m; j++) {
                Object t = valTargets.get(from + j);
                if (boxes) {
                    @SuppressWarnings("unchecked")
                    List<dev.distillery.metrics.BoxMatching.Box> truth = (List<dev.distillery.metrics.BoxMatching.Box>) t;
                    ap.add(truth, ((Target.Boxes) plan.target()).studentBoxes(
                            java.util.Arrays.copyOfRange(out, j * outValues, (j + 1) * outValues), outW, outH));
                } else if (t instanceof Integer teacherClass) {
                    int best = dev.distillery.metrics.ClassMapping.argmax(
                            java.util.Arrays.copyOfRange(out, j * outValues, (j + 1) * outValues));
                    agreement.add(teacherClass, best);
                    String truth = valKept.get(from + j).truth();
                    int ti = truth == null ? -1 : names.indexOf(truth.toLowerCase(Locale.ROOT));
                    if (ti >= 0) {
                        truthMatrix.add(ti, best);
                    }
                } else {
                    byte[] map = ((Image8) t).data();
                    float[] teacherMap = new float[outValues];
                    float[] studentMap = new float[outValues];
                    for (int k = 0; k < outValues; k++) {
                        teacherMap[k] = (map[k] & 0xff) / 255f;
                        studentMap[k] = (float) (1 / (1 + Math.exp(-out[j * outValues + k])));
                    }
                    iou.add(teacherMap, studentMap);
                }
            }
        }
        if (classes) {
            return new Validation(agreement.summary(), truthMatrix.total() == 0 ? null : truthMatrix.summary(),
                    Double.NaN);
        }
        if (boxes) {
            return new Validation(null, null, Double.NaN, ap.result());
        }
        return new Validation(null, null, iou.pooled());
    }

    private static void writeState(Path ckpt, State st) throws IOException {
        Path tmp = ckpt.resolve("state.json.tmp");
        Files.writeString(tmp, Json.write(st));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, ckpt.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private void checkCancelled() {
        if (control.cancelled()) {
            throw new CancellationException("Cancelled");
        }
    }

    /** Validation inputs (float, student layout) for export checks and calibration; at most {@code max}. */
    public float[] validationInputs(int max) {
        int m = Math.min(max, valImages.size());
        float[] x = new float[m * plan.student().inputValues()];
        for (int j = 0; j < m; j++) {
            toInput(valImages.get(j), x, j * plan.student().inputValues());
        }
        return x;
    }

    public int validationCount() {
        return valImages.size();
    }
}
