package dev.distillery.network.score;

import dev.distillery.core.NativeThreads;
import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.onnx.Latency;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.vision.Images;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The child side of {@link SandboxEvaluator}: reads the job file named by its argument, measures the student
 * and prints one line {@code DISTILLERY-EVAL {json}} — {@code ok}, {@code quality}, {@code p95Ms},
 * {@code sizeBytes}, {@code fingerprint}, or {@code ok: false} with a {@code reason}. Runs the work on a 64 MB
 * stack thread ({@link NativeThreads}).
 */
public final class EvaluatorMain {
    /** Images whose student outputs make the copy fingerprint. */
    public static final int FINGERPRINT_IMAGES = 16;

    private EvaluatorMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, Object> result = new LinkedHashMap<>();
        Thread t = NativeThreads.create(() -> {
            try {
                result.putAll(run(Path.of(args[0])));
            } catch (Throwable e) {
                result.clear();
                result.put("ok", false);
                result.put("reason", "evaluation failed: " + SandboxEvaluator.oneLine(e));
            }
        }, "evaluator");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (result.isEmpty()) {
            result.put("ok", false);
            result.put("reason", "evaluation failed");
        }
        out.println(SandboxEvaluator.RESULT_PREFIX + Json.write(result));
        out.flush();
        System.exit(0);
    }

    static Map<String, Object> run(Path jobFile) throws Exception {
        SandboxEvaluator.Job job = Json.read(Files.readString(jobFile), SandboxEvaluator.Job.class);
        Challenge c = job.challenge();
        Path model = Path.of(job.model());
        Path images = Path.of(job.images());
        double p95 = p95(model, c);
        StudentComparison.Options o = new StudentComparison.Options(Challenge.THREADS, 0, c.mapThreshold(), 1, 20);
        // the teacher's outputs on this set are the same for every student: read them from the file an earlier
        // evaluation wrote, or write it for the next ones
        TeacherOutputsFile cache = job.teacherOutputs() == null ? null
                : new TeacherOutputsFile(Path.of(job.teacherOutputs()), Path.of(job.teacher()), c.input(), images);
        StudentComparison.Result r = StudentComparison.compare(Path.of(job.teacher()), "teacher",
                job.teacherProfile(), model, images, o, null, null, cache, false);
        if (cache != null) {
            try {
                cache.saveIfNew();
            } catch (java.io.IOException e) {
                // only a saving for later evaluations: this one is measured either way
            }
        }
        double quality = c.task().quality(r, c.classes());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("quality", quality);
        m.put("p95Ms", p95);
        m.put("sizeBytes", Files.size(model));
        m.put("fingerprint", fingerprint(model, job.fingerprintImages() == null ? images
                : Path.of(job.fingerprintImages())));
        m.put("images", r.compared());
        return m;
    }

    /**
     * p95 latency at batch 1 on {@link Challenge#THREADS} intra-op threads ({@link Latency#p95}): the lowest round's
     * p95, so a burst of load from other processes on the validator does not fail an honest model's gate.
     */
    static double p95(Path model, Challenge c) throws Exception {
        Challenge.InputSpec in = c.input();
        return Latency.p95(model, in.channels(), in.height(), in.width(), Challenge.THREADS);
    }

    /** SHA-256 of the student's outputs (rounded to 1e-3) on the first images of the set, in path order. */
    static String fingerprint(Path model, Path images) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(images)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().limit(FINGERPRINT_IMAGES).toList();
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        var profile = ProfileInference.infer(OnnxModelReader.read(model));
        // one intra-op thread: ONNX Runtime's multi-threaded kernels may sum in a different order from run to run,
        // and a last-bit difference that crosses a rounding step would make an exact copy look original
        try (TeacherRunner runner = TeacherRunner.open(model, profile, 1)) {
            List<Mat> mats = new ArrayList<>();
            try {
                for (Path f : files) {
                    mats.add(Images.read(f));
                }
                for (TeacherRunner.RawOutput o : runner.rawOutputsWithShape(mats)) {
                    for (long d : o.shape()) {
                        md.update(Long.toString(d).getBytes(StandardCharsets.US_ASCII));
                    }
                    byte[] b = new byte[o.values().length * 4];
                    for (int i = 0; i < o.values().length; i++) {
                        int v = Math.round(o.values()[i] * 1000f);
                        b[4 * i] = (byte) (v >>> 24);
                        b[4 * i + 1] = (byte) (v >>> 16);
                        b[4 * i + 2] = (byte) (v >>> 8);
                        b[4 * i + 3] = (byte) v;
                    }
                    md.update(b);
                }
            } finally {
                mats.forEach(Mat::close);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
