package dev.distillery.network.score;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import dev.distillery.onnx.ImageInputs;
import dev.distillery.onnx.ModelVetter;
import dev.distillery.onnx.OnnxModel;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.teacher.library.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates an untrusted student (DESIGN.md §4, "Untrusted models"): static checks in this process first
 * ({@link ModelVetter}, then the I/O against the challenge and the size cap), then the measurement in a child
 * JVM ({@link EvaluatorMain}) with a heap limit, a 64 MB thread stack, on Linux a virtual-memory limit
 * ({@code ulimit -v}, which bounds ONNX Runtime's native allocations too), and a wall-clock timeout after which
 * the child is killed. Whatever happens — a crash, out of memory, a timeout, garbage output — the answer is a
 * {@link Scorer.Verdict}, never an exception.
 */
public final class SandboxEvaluator implements AutoCloseable {
    /** The line prefix the child writes its result after. */
    static final String RESULT_PREFIX = "DISTILLERY-EVAL ";

    /**
     * @param heapMb         child -Xmx
     * @param nativeLimitMb  child address-space limit (Linux, ulimit -v); 0 for none
     * @param timeoutSeconds the child is killed after this
     */
    public record Limits(int heapMb, long nativeLimitMb, long timeoutSeconds) {
        public static Limits defaults() {
            return new Limits(768, 4096, 300);
        }
    }

    /**
     * The job the child reads (a file in its scratch folder). {@code teacherOutputs}: a file of the teacher's outputs
     * on {@code images}, read when present and written when not (null: none).
     */
    public record Job(String model, String teacher, TeacherProfile teacherProfile, Challenge challenge, String images,
                      String teacherOutputs, String fingerprintImages) {
    }

    private final Limits limits;
    /** Children running now, so {@link #close()} can kill them. */
    private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public SandboxEvaluator(Limits limits) {
        this.limits = limits;
    }

    /**
     * Vets {@code model}, measures it against {@code teacher} on the images of {@code images} in a child JVM and
     * scores it with {@link Scorer#score}. Never throws for anything the model file holds.
     */
    public Scorer.Verdict evaluate(Path model, Challenge challenge, Path teacher, TeacherProfile teacherProfile,
                                   Path images) {
        return evaluate(model, challenge, teacher, teacherProfile, images, null);
    }

    /**
     * As above, with the teacher's outputs on {@code images} kept in {@code teacherOutputs}: the first evaluation
     * writes the file, later ones read it instead of running the teacher (null: run the teacher every time).
     */
    public Scorer.Verdict evaluate(Path model, Challenge challenge, Path teacher, TeacherProfile teacherProfile,
                                   Path images, Path teacherOutputs) {
        return evaluate(model, challenge, teacher, teacherProfile, images, teacherOutputs, null);
    }

    /**
     * As above, with the copy fingerprint taken on {@code fingerprintImages} (null: on {@code images}). A validator
     * keeps one fixed fingerprint set so that fingerprints stay comparable across epochs: a copy evaluated on this
     * epoch's set is recognised against an original last measured on an older one.
     */
    public Scorer.Verdict evaluate(Path model, Challenge challenge, Path teacher, TeacherProfile teacherProfile,
                                   Path images, Path teacherOutputs, Path fingerprintImages) {
        String reason = vet(model, challenge);
        if (reason != null) {
            return Scorer.Verdict.rejected(reason);
        }
        Object result = measure(model, challenge, teacher, teacherProfile, images, teacherOutputs, fingerprintImages);
        if (result instanceof String r) {
            return Scorer.Verdict.rejected(r);
        }
        return Scorer.score((Scorer.Measurement) result, challenge);
    }

    /** The static checks: null when the model may be run, else why not. */
    public static String vet(Path model, Challenge c) {
        OnnxModel m;
        try {
            long size = Files.size(model);
            if (size > c.sizeCapBytes()) {
                return String.format(Locale.ROOT, "over the size cap: %,d bytes > %,d", size, c.sizeCapBytes());
            }
            m = OnnxModelReader.read(model);
        } catch (Throwable e) {
            return "invalid model: " + oneLine(e);
        }
        try {
            ModelVetter.vet(m, model);
        } catch (Throwable e) {
            return "unsafe model: " + oneLine(e);
        }
        try {
            return checkIo(m.info(), c);
        } catch (Throwable e) {
            return "wrong I/O: " + oneLine(e);
        }
    }

    static String checkIo(ModelInfo info, Challenge c) {
        if (info.inputs().size() != 1) {
            return "wrong I/O: expected one input, found " + info.inputs().size();
        }
        TensorSpec in = info.inputs().get(0);
        TensorSpec image = ImageInputs.find(info).orElse(null);
        Challenge.InputSpec want = c.input();
        String expected = "[1, " + want.channels() + ", " + want.height() + ", " + want.width() + "]";
        if (image == null || in.rank() != 4 || !"FLOAT".equalsIgnoreCase(in.elementType())
                || !fits(in, 0, 1) || !fits(in, 1, want.channels()) || in.dim(2) != want.height()
                || in.dim(3) != want.width()) {
            return "wrong I/O: input " + in.shapeText() + " (" + in.elementType() + "), the challenge wants float "
                    + expected;
        }
        if (info.outputs().size() != 1) {
            return "wrong I/O: expected one output, found " + info.outputs().size();
        }
        return c.task().checkOutput(info.outputs().get(0), c.classes());
    }

    private static boolean fits(TensorSpec t, int axis, long value) {
        return t.isDynamic(axis) || t.dim(axis) == value;
    }

    /** Runs the child; a {@link Scorer.Measurement} or a String reason. */
    private Object measure(Path model, Challenge c, Path teacher, TeacherProfile tp, Path images,
                           Path teacherOutputs, Path fingerprintImages) {
        Path scratch = null;
        Process p = null;
        try {
            scratch = Files.createTempDirectory("distillery-eval");
            Path job = scratch.resolve("job.json");
            Files.writeString(job, Json.write(new Job(model.toAbsolutePath().toString(),
                    teacher.toAbsolutePath().toString(), tp, c, images.toAbsolutePath().toString(),
                    teacherOutputs == null ? null : teacherOutputs.toAbsolutePath().toString(),
                    fingerprintImages == null ? null : fingerprintImages.toAbsolutePath().toString())));
            Path out = scratch.resolve("out.txt");
            Path err = scratch.resolve("err.txt");
            ProcessBuilder pb = new ProcessBuilder(command(job)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).directory(scratch.toFile());
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            if (closed) {
                return "the evaluator is shutting down";
            }
            p = pb.start();
            running.add(p);
            if (closed) {
                kill(p);
            }
            if (!p.waitFor(limits.timeoutSeconds(), TimeUnit.SECONDS)) {
                kill(p);
                return "timed out: the evaluation took longer than " + limits.timeoutSeconds() + " s";
            }
            int code = p.exitValue();
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String line = stdout.lines().filter(l -> l.startsWith(RESULT_PREFIX)).reduce((a, b) -> b).orElse(null);
            if (line == null) {
                if (stderr.contains("OutOfMemoryError") || stderr.contains("std::bad_alloc")
                        || stderr.contains("Cannot allocate memory") || stderr.contains("Failed to allocate")) {
                    return "ran out of memory in the evaluator (exit " + code + ")";
                }
                return "the evaluator crashed (exit " + code + ")" + lastLine(stderr);
            }
            return parse(line.substring(RESULT_PREFIX.length()));
        } catch (Throwable e) {
            if (p != null) {
                kill(p);
            }
            return "evaluation failed: " + oneLine(e);
        } finally {
            if (p != null) {
                running.remove(p);
            }
            delete(scratch);
        }
    }

    /** Kills every running child and refuses new evaluations (they are rejected as "shutting down"). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Process p : List.copyOf(running)) {
            kill(p);
        }
    }

    static Object parse(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            if (n == null || !n.isObject()) {
                return "garbage output from the evaluator";
            }
            if (!n.path("ok").asBoolean(false)) {
                String r = n.path("reason").asText("");
                return r.isBlank() ? "the evaluator gave no reason" : r;
            }
            JsonNode q = n.get("quality");
            JsonNode l = n.get("p95Ms");
            JsonNode s = n.get("sizeBytes");
            JsonNode f = n.get("fingerprint");
            if (q == null || !q.isNumber() || l == null || !l.isNumber() || s == null || !s.canConvertToLong()
                    || f == null || !f.isTextual()) {
                return "garbage output from the evaluator";
            }
            double quality = q.asDouble();
            double p95 = l.asDouble();
            if (!Double.isFinite(quality) || quality < 0 || quality > 1 || !Double.isFinite(p95) || p95 < 0) {
                return "garbage output from the evaluator";
            }
            return new Scorer.Measurement(quality, p95, s.asLong(), f.asText());
        } catch (Exception e) {
            return "garbage output from the evaluator";
        }
    }

    private List<String> command(Path job) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-Xmx" + limits.heapMb() + "m");
        java.add("-Xss64m");
        java.add("-XX:+ExitOnOutOfMemoryError");
        java.add("-XX:ReservedCodeCacheSize=64m");
        java.add("-XX:CompressedClassSpaceSize=128m");
        java.add("-XX:TieredStopAtLevel=1");
        java.add("-Djava.awt.headless=true");
        // the evaluator's ONNX Runtime sessions make the same int8-precision choice as this process
        java.add("-D" + dev.distillery.core.Int8Precision.PROPERTY + "="
                + dev.distillery.core.Int8Precision.mode().text());
        java.add("-cp");
        java.add(absoluteClassPath(System.getProperty("java.class.path")));
        java.add(EvaluatorMain.class.getName());
        java.add(job.toString());
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (!linux || limits.nativeLimitMb() <= 0 || !Files.isExecutable(Path.of("/bin/sh"))) {
            return java;
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                "ulimit -v " + limits.nativeLimitMb() * 1024 + " && exec \"$@\"", "sh"));
        cmd.addAll(java);
        return cmd;
    }

    /**
     * The class path with every entry made absolute: the child runs in its scratch folder, so a relative entry
     * (the app started as {@code java -jar target/distillery.jar}) would point nowhere there.
     */
    static String absoluteClassPath(String classPath) {
        StringBuilder out = new StringBuilder();
        for (String entry : classPath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (entry.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append(java.io.File.pathSeparator);
            }
            if (entry.endsWith("*")) { // a wildcard entry (lib/*): keep the wildcard, anchor its folder
                out.append(Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath())
                        .append(java.io.File.separator).append('*');
            } else {
                out.append(Path.of(entry).toAbsolutePath());
            }
        }
        return out.toString();
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(String text) {
        String last = text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
        return last.isEmpty() ? "" : ": " + (last.length() > 200 ? last.substring(0, 200) + "…" : last);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    private static void delete(Path dir) {
        dev.distillery.core.Folders.deleteTree(dir);
    }
}
