package dev.distillery.network.score;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.distillery.distill.StudentTask;
import dev.distillery.teacher.library.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * What validators ask of miners (DESIGN.md §4, "Challenges and scoring"): the teacher, the task, the input
 * spec, the latency budget (p95 at batch 1 on {@link #THREADS} CPU threads), the size cap, the floors the speed
 * and size terms are scaled from, the weights of the score and where the evaluation images come from. Plain
 * data, JSON through {@link Json}.
 *
 * @param id             a name for the challenge
 * @param teacherSha256  SHA-256 of the teacher's ONNX file
 * @param task           classification over {@code classes}, a dense map, or detection of {@code classes}: for
 *                       DETECTION each class is a group over the teacher's classes ({@code NAME=SPEC}, as
 *                       {@code distill --group}), judged by mAP@0.5 against the teacher's boxes
 * @param classes        class list (classification), class groups NAME=SPEC (detection); empty for dense
 * @param input          the student's input: width × height × channels
 * @param latencyBudgetMs gate: p95 latency above this scores 0
 * @param sizeCapBytes   gate: a file larger than this scores 0
 * @param speedFloorMs   latency at (or below) which the speed term is 1; it falls linearly to 0 at the budget
 * @param sizeFloorBytes size at (or below) which the size term is 1; it falls linearly to 0 at the cap
 * @param weights        score weights (quality, speed, size)
 * @param data           evaluation data
 * @param mapThreshold   dense tasks: both maps are binarized at this probability before IoU
 */
public record Challenge(String id, String teacherSha256, StudentTask task, List<String> classes, InputSpec input,
                        double latencyBudgetMs, long sizeCapBytes, double speedFloorMs, long sizeFloorBytes,
                        Weights weights, EvalData data, double mapThreshold) {
    /** Latency is measured with this many intra-op threads, as in DESIGN.md §4. */
    public static final int THREADS = 2;
    /** The catalog id of the devnet's teacher. */
    public static final String DEVNET_TEACHER = "ppocr-v4-det";
    /** SHA-256 of PP-OCRv4 det as shipped in the Maven jar (teacher catalog). */
    public static final String DEVNET_TEACHER_SHA256 = "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9";

    public record InputSpec(int width, int height, int channels) {
    }

    public record Weights(double quality, double speed, double size) {
        public static Weights defaults() {
            return new Weights(0.8, 0.1, 0.1);
        }
    }

    /**
     * Generated images ({@code kind} "scenes" or "lines", {@code count}, {@code seed}); a {@code folder} of images
     * (kind "folder", the same every epoch); or a pool (kind "pool"): {@code count} images drawn from the
     * validator's {@code folder} of frames and augmented, new every epoch ({@code seed}, see {@link #forEpoch}).
     */
    public record EvalData(String kind, int count, long seed, String folder) {
        public static EvalData generated(String kind, int count, long seed) {
            return new EvalData(kind, count, seed, null);
        }

        public static EvalData folder(String folder) {
            return new EvalData("folder", 0, 0, folder);
        }

        public static EvalData pool(String folder, int count) {
            return new EvalData("pool", count, 0, folder);
        }

        @JsonIgnore
        public boolean isGenerated() {
            return !"folder".equals(kind) && !isPool();
        }

        @JsonIgnore
        public boolean isPool() {
            return "pool".equals(kind);
        }
    }

    public Challenge {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(input, "input");
        classes = classes == null ? List.of() : List.copyOf(classes);
        weights = weights == null ? Weights.defaults() : weights;
        if (!(latencyBudgetMs > 0) || !Double.isFinite(latencyBudgetMs) || sizeCapBytes <= 0) {
            throw new IllegalArgumentException("A challenge needs a positive latency budget and size cap, got "
                    + latencyBudgetMs + " ms and " + sizeCapBytes + " bytes");
        }
        if (!(speedFloorMs >= 0) || speedFloorMs >= latencyBudgetMs || sizeFloorBytes < 0 || sizeFloorBytes >= sizeCapBytes) {
            throw new IllegalArgumentException("Floors must be below the budget and the cap, got speed floor "
                    + speedFloorMs + " ms (budget " + latencyBudgetMs + ") and size floor " + sizeFloorBytes
                    + " bytes (cap " + sizeCapBytes + ")");
        }
        if (!(weights.quality() >= 0 && weights.speed() >= 0 && weights.size() >= 0)
                || !(weights.quality() + weights.speed() + weights.size() > 0)
                || !Double.isFinite(weights.quality() + weights.speed() + weights.size())) {
            throw new IllegalArgumentException("Score weights must be non-negative and finite with a positive sum, got "
                    + weights);
        }
    }

    /**
     * The devnet's default challenge (DESIGN.md §4): PP-OCRv4 det, dense map at 320×320, IoU at 0.3 on 200 freshly
     * generated text scenes, p95 ≤ 10 ms, ≤ 1.5 MB. Floors: 1 ms (a student at 1 ms or faster gets the whole speed
     * term) and 100 kB (the size of a ~25 k-parameter float student).
     */
    public static Challenge devnetDefault() {
        return new Challenge("devnet-text-det", DEVNET_TEACHER_SHA256, StudentTask.DENSE, List.of(),
                new InputSpec(320, 320, 3), 10.0, 1_500_000L, 1.0, 100_000L, Weights.defaults(),
                EvalData.generated("scenes", 200, 0), 0.3);
    }

    public Challenge withData(EvalData d) {
        return new Challenge(id, teacherSha256, task, classes, input, latencyBudgetMs, sizeCapBytes, speedFloorMs,
                sizeFloorBytes, weights, d, mapThreshold);
    }

    public Challenge withLatencyBudget(double ms, double floorMs) {
        return new Challenge(id, teacherSha256, task, classes, input, ms, sizeCapBytes, floorMs, sizeFloorBytes,
                weights, data, mapThreshold);
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Challenge fromJson(String json) {
        return Json.read(json, Challenge.class);
    }

    /**
     * The evaluation seed of an epoch: the first 8 bytes of SHA-256("distillery-eval" ‖ challenge id ‖ epoch ‖
     * validator secret). Pure: the same inputs always give the same seed; miners cannot predict it without the
     * secret, and every epoch gets fresh images.
     */
    public static long epochSeed(String challengeId, long epoch, byte[] validatorSecret) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("distillery-eval\0".getBytes(StandardCharsets.UTF_8));
            md.update(challengeId.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            for (int i = 7; i >= 0; i--) {
                md.update((byte) (epoch >>> (8 * i)));
            }
            md.update(validatorSecret);
            byte[] h = md.digest();
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) | (h[i] & 0xFF);
            }
            return seed & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This challenge with generated data (or its pool's draw) seeded for {@code epoch}. */
    public Challenge forEpoch(long epoch, byte[] validatorSecret) {
        if (data != null && data.isPool()) {
            return withData(new EvalData("pool", data.count(), epochSeed(id, epoch, validatorSecret), data.folder()));
        }
        EvalData d = data != null && data.isGenerated() ? data : EvalData.generated("scenes", 200, 0);
        return withData(EvalData.generated(d.kind(), d.count(), epochSeed(id, epoch, validatorSecret)));
    }
}
