package dev.distillery.cli;

import dev.distillery.distill.compare.CompareException;
import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.distill.compare.StudentComparison.Result;
import dev.distillery.teacher.library.Json;
import dev.distillery.teacher.library.Teacher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery compare}: a student against its teacher on a folder of images. */
@Command(name = "compare",
        description = {"Compare a student with its teacher on a folder of images: agreement (classifiers) or IoU "
                + "of the binarized maps (dense), file size, parameters and CPU latency.",
            "Classifier agreement maps the teacher's probabilities through the student's class groups; when the "
                + "folder has one sub-folder per student class, accuracy against those folders is reported too."},
        footer = {"",
            "--json prints one object:",
            "  kind                 CLASSIFIER or DENSE",
            "  teacher, student     name, file, sizeBytes, parameters, inputWidth, inputHeight, outputs (classes or",
            "                       map channels), latencyP50Ms (batch 1, --threads threads, one preprocessed image)",
            "  ratios               size, parameters, latency: student / teacher",
            "  images, compared, unreadable, unreadableExamples (up to 10 names), seconds",
            "  classification       (classifier students, else null) classes, grouped, agreed, agreement,",
            "                       majorityClass, majorityBaseline (share of the most frequent mapped teacher class),",
            "                       groundTruth: null, or labelled, unlabelled, studentAccuracy, teacherAccuracy,",
            "                       confusions [{truth, predicted, count}] (most frequent student mistakes, up to 10)",
            "  dense                (dense students, else null) threshold, pooledIou (sum of intersections / sum of",
            "                       unions), meanIou (per image; both maps empty = 1), mapWidth, mapHeight,",
            "                       teacherResized, teacherPositive, studentPositive (fractions of marked pixels)",
            "Exit codes: 0 ok, 1 error, 2 bad usage or a student that does not fit the teacher."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--teacher", required = true, paramLabel = "M",
            description = "Teacher: library id, name, SHA-256 prefix or .onnx file")
    String teacher;
    @Option(names = "--student", required = true, paramLabel = "S", description = "Student .onnx file")
    Path student;
    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "Images, searched recursively; sub-folders named like the student's classes are ground truth")
    Path images;
    @Option(names = "--threads", defaultValue = "2", description = "CPU threads per model (default ${DEFAULT-VALUE}, "
            + "as validators measure)")
    int threads;
    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Compare at most N images (default: all)")
    int limit;
    @Option(names = "--threshold", paramLabel = "T",
            description = "Dense IoU threshold (default: the student's distillery.map_threshold, else 0.3)")
    Double threshold;
    @Option(names = "--json", description = "Print one JSON object (fields below)")
    boolean json;

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit cannot be negative");
        }
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be between 0 and 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(student)) {
            err.println("distillery: The student " + student + " does not exist.");
            return DistilleryCommand.EXIT_USAGE;
        }
        boolean console = System.console() != null;
        try {
            return TeacherCommand.withService(root, threads, s -> {
                Teacher t = TeacherCommand.resolve(s, teacher);
                StudentComparison.Options options = StudentComparison.Options.defaults(threads).withLimit(limit)
                        .withThreshold(threshold);
                Result r = StudentComparison.compare(s.fileOf(t), t.name(), t.profile(), student, images, options,
                        (done, total) -> {
                            if (console && (done == total || done % 40 == 0)) {
                                err.printf("\r%d / %d images", done, total);
                                err.flush();
                            }
                        }, null);
                if (console) {
                    err.println();
                }
                out.println(json ? Json.write(r) : text(r, threads));
                out.flush();
                return 0;
            });
        } catch (CompareException e) {
            err.println(spec.commandLine().getColorScheme().errorText("distillery: " + e.getMessage()));
            return e.mismatch() ? DistilleryCommand.EXIT_USAGE : DistilleryCommand.EXIT_ERROR;
        }
    }

    static String text(Result r, int threads) {
        StringBuilder b = new StringBuilder();
        var t = r.teacher();
        var s = r.student();
        b.append(String.format(Locale.ROOT, "%s student %s vs teacher %s on %d images%s%n",
                r.kind().toLowerCase(Locale.ROOT), s.name(), t.name(), r.compared(),
                r.unreadable() == 0 ? "" : " (" + r.unreadable() + " unreadable skipped)"));
        b.append(String.format(Locale.ROOT, "%-14s %14s %14s %10s%n", "", "teacher", "student", "ratio"));
        b.append(String.format(Locale.ROOT, "%-14s %14s %14s %9.3f×%n", "file size", bytes(t.sizeBytes()),
                bytes(s.sizeBytes()), r.ratios().size()));
        b.append(String.format(Locale.ROOT, "%-14s %,14d %,14d %9.3f×%n", "parameters", t.parameters(), s.parameters(),
                r.ratios().parameters()));
        b.append(String.format(Locale.ROOT, "%-14s %11.2f ms %11.2f ms %9.3f×   (batch 1, %d threads)%n", "latency p50",
                t.latencyP50Ms(), s.latencyP50Ms(), r.ratios().latency(), threads));
        b.append(String.format(Locale.ROOT, "%-14s %14s %14s%n", "input", t.inputWidth() + "×" + t.inputHeight(),
                s.inputWidth() + "×" + s.inputHeight()));
        if (r.classification() != null) {
            var c = r.classification();
            b.append(String.format(Locale.ROOT, "%-14s %14d %14d   %s%n", "classes", t.outputs(), s.outputs(),
                    (c.grouped() ? "groups: " : "") + String.join(", ", c.classes().subList(0,
                            Math.min(8, c.classes().size()))) + (c.classes().size() > 8 ? ", …" : "")));
            b.append(String.format(Locale.ROOT, "%nagreement      %.3f (%d of %d)   majority baseline %.3f (\"%s\")%n",
                    c.agreement(), c.agreed(), r.compared(), c.majorityBaseline(), c.majorityClass()));
            b.append(String.format(Locale.ROOT, "balanced       %.3f (mean per-class recall)   kappa %.3f%n",
                    c.balancedAgreement(), c.kappa()));
            b.append("per class      ").append(c.perClass().stream().filter(x -> x.count() > 0).limit(8)
                    .map(x -> String.format(Locale.ROOT, "%s %.2f (%d)", x.name(), x.recall(), x.count()))
                    .collect(Collectors.joining(", "))).append(String.format("%n"));
            b.append(verdict(c.verdict(), c.verdictReason(), c.advice())).append(String.format("%n"));
            var g = c.groundTruth();
            if (g != null) {
                b.append(String.format(Locale.ROOT, "accuracy       student %.3f, teacher %.3f on %d labelled images "
                        + "(%d unlabelled)%n", g.studentAccuracy(), g.teacherAccuracy(), g.labelled(), g.unlabelled()));
                b.append("confusions     ").append(g.confusions().isEmpty() ? "none"
                        : g.confusions().stream().limit(5).map(x -> x.truth() + " → " + x.predicted() + " ×" + x.count())
                                .collect(Collectors.joining(", "))).append(String.format("%n"));
            }
        } else if (r.detection() != null) {
            var d = r.detection();
            b.append(String.format(Locale.ROOT, "%-14s %14d %14d   %s%n", "classes", t.outputs(), s.outputs(),
                    String.join(", ", d.classes())));
            b.append(String.format(Locale.ROOT, "%nmAP@0.5        %.3f   mAP@0.5:0.95 %.3f   (teacher boxes as truth)%n",
                    d.map50(), d.map50to95()));
            b.append(String.format(Locale.ROOT, "boxes/image    teacher %.2f, student %.2f   F1 @ IoU 0.5: %.3f%n",
                    d.teacherBoxesPerFrame(), d.studentBoxesPerFrame(), d.f1()));
            b.append("per class      ").append(d.perClass().stream().map(x -> String.format(Locale.ROOT,
                    "%s AP50 %.2f (%d boxes)", x.name(), x.ap50(), x.boxes())).collect(Collectors.joining(", ")))
                    .append(String.format("%n"));
        } else {
            var d = r.dense();
            b.append(String.format(Locale.ROOT, "%nIoU @ %.2f     pooled %.3f, mean per image %.3f (maps %d×%d%s)%n",
                    d.threshold(), d.pooledIou(), d.meanIou(), d.mapWidth(), d.mapHeight(),
                    d.teacherResized() ? ", teacher maps resized" : ""));
            b.append(String.format(Locale.ROOT, "marked pixels  teacher %.1f %%, student %.1f %%%n",
                    d.teacherPositive() * 100, d.studentPositive() * 100));
        }
        return b.toString().stripTrailing();
    }

    /** "verdict        PASSED", or FAILED with the reason and what to try next on the following lines. */
    static String verdict(String verdict, String reason, String advice) {
        return String.format(Locale.ROOT, "%-14s %s", "verdict", verdict)
                + (reason == null || reason.isEmpty() ? "" : String.format(Locale.ROOT, ": %s%n%-14s %s", reason, "",
                        advice));
    }

    private static String bytes(long n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.2f MB", n / 1048576.0);
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        return n + " B";
    }
}
