package dev.distillery.cli;

import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.Scorer;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code distillery evaluate}: the validators' own scorer as a local preview (DESIGN.md §4): static vetting,
 * measurement in a sandboxed child JVM, then the score or the reason it is 0.
 */
@Command(name = "evaluate",
        description = {"Score a student as a validator would: vetting, a sandboxed child JVM (memory and time limits),",
            "then score = 0.8·quality + 0.1·speed + 0.1·size, or 'rejected: <reason>'.",
            "Without --challenge, the devnet default: PP-OCRv4 det teacher, dense 320×320, IoU@0.3 on fresh text",
            "scenes, p95 ≤ 10 ms on 2 threads, ≤ 1.5 MB.",
            "Exit codes: 0 scored, 4 rejected (score 0, reason printed), 1 error (e.g. teacher missing), 2 bad usage."})
final class EvaluateCommand implements Callable<Integer> {
    static final int EXIT_REJECTED = 4;

    @Spec
    CommandSpec spec;
    @ParentCommand
    DistilleryCommand root;
    @Option(names = "--model", required = true, paramLabel = "S.onnx", description = "The student to score")
    Path model;
    @Option(names = "--challenge", paramLabel = "FILE", description = "Challenge JSON (default: the devnet's)")
    Path challengeFile;
    @Option(names = "--json", description = "Print one JSON object")
    boolean json;
    @Option(names = "--images", paramLabel = "N", description = "Evaluation images to generate (default: the challenge's)")
    Integer images;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Kill the evaluator after this (default ${DEFAULT-VALUE})")
    long timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(model)) {
            err.println("distillery: The model " + model + " does not exist.");
            return DistilleryCommand.EXIT_USAGE;
        }
        if ((images != null && images < 1) || timeout < 1) {
            err.println("distillery: --images and --timeout must be at least 1.");
            return DistilleryCommand.EXIT_USAGE;
        }
        Challenge challenge;
        try {
            challenge = challengeFile == null ? Challenge.devnetDefault()
                    : Challenge.fromJson(Files.readString(challengeFile));
            Challenge.EvalData d = challenge.data();
            if (challengeFile != null && d != null && d.folder() != null && !Path.of(d.folder()).isAbsolute()) {
                // a pool or folder named relative to the challenge file
                challenge = challenge.withData(new Challenge.EvalData(d.kind(), d.count(), d.seed(),
                        challengeFile.toAbsolutePath().getParent().resolve(d.folder()).normalize().toString()));
            }
        } catch (Exception e) {
            err.println("distillery: Cannot read the challenge " + challengeFile + ": " + oneLine(e));
            return DistilleryCommand.EXIT_USAGE;
        }
        Path scratch = null;
        try {
            Challenge c = challenge;
            Path tmp = Files.createTempDirectory("distillery-evaluate");
            scratch = tmp;
            Path data = dev.distillery.network.score.EvalImages.prepare(c, tmp, images);
            Scorer.Verdict v = TeacherCommand.withService(root, Challenge.THREADS, s -> {
                Teacher t = s.bySha256(c.teacherSha256());
                return new SandboxEvaluator(new SandboxEvaluator.Limits(768, 4096, timeout))
                        .evaluate(model, c, s.fileOf(t), t.profile(), data);
            });
            out.println(json ? Json.write(jsonOf(v, c)) : text(v, c));
            out.flush();
            return v.scored() ? 0 : EXIT_REJECTED;
        } catch (Throwable e) {
            err.println("distillery: " + oneLine(e));
            return DistilleryCommand.EXIT_ERROR;
        } finally {
            delete(scratch);
        }
    }

    static Map<String, Object> jsonOf(Scorer.Verdict v, Challenge c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("challenge", c.id());
        m.put("scored", v.scored());
        m.put("score", v.score());
        m.put("reason", v.reason());
        m.put("quality", finite(v.quality()));
        m.put("p95Ms", finite(v.p95Ms()));
        m.put("sizeBytes", v.sizeBytes() < 0 ? null : v.sizeBytes());
        m.put("speedTerm", finite(v.speedTerm()));
        m.put("sizeTerm", finite(v.sizeTerm()));
        m.put("latencyBudgetMs", c.latencyBudgetMs());
        m.put("sizeCapBytes", c.sizeCapBytes());
        m.put("fingerprint", v.fingerprint());
        dev.distillery.core.CpuFeatures cpu = dev.distillery.core.CpuFeatures.current();
        dev.distillery.core.Int8Precision.Choice p = dev.distillery.core.Int8Precision.current();
        m.put("cpu", cpu.modelName());
        m.put("cpuFeatures", cpu.featureSummary());
        m.put("int8Precision", p.on());
        m.put("int8PrecisionReason", p.reason());
        m.put("machine", dev.distillery.core.Int8Precision.describe(cpu, p));
        return m;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    static String text(Scorer.Verdict v, Challenge c) {
        String describe = dev.distillery.core.Int8Precision.describe();
        if (!v.scored()) {
            return "rejected: " + v.reason() + " [" + describe + "]";  // one line, as scripts expect
        }
        String machine = "machine        " + describe;
        Challenge.Weights w = c.weights();
        return String.format(Locale.ROOT, "challenge %s%n"
                        + "quality q      %.4f%n"
                        + "latency p95    %.2f ms (budget %.2f ms, %d threads)   speed term %.4f%n"
                        + "size           %,d bytes (cap %,d)   size term %.4f%n"
                        + "score          %.4f = %.2f·%.4f + %.2f·%.4f + %.2f·%.4f%n%s",
                c.id(), v.quality(), v.p95Ms(), c.latencyBudgetMs(), Challenge.THREADS, v.speedTerm(), v.sizeBytes(),
                c.sizeCapBytes(), v.sizeTerm(), v.score(), w.quality(), v.quality(), w.speed(), v.speedTerm(), w.size(),
                v.sizeTerm(), machine);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    private static void delete(Path dir) {
        dev.distillery.core.Folders.deleteTree(dir);
    }
}
