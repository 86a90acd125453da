package dev.distillery.ui.distill;

import dev.distillery.distill.StudentTask;
import dev.distillery.distill.StudentSpec;
import dev.distillery.model.TaskKind;
import dev.distillery.teacher.library.Teacher;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the Distill screen writes sizes, durations, metrics and reasons. */
final class DistillFormat {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    private DistillFormat() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }

    static String count(long n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.0f k", n / 1e3);
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "42 s", "3 min 05 s", "1 h 02 min"; empty for NaN or negative. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    static String ms(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
    }

    static String metric(Double v) {
        return v == null || !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String percent(Double v) {
        return v == null || !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    /** "× 0.012" for a student/teacher ratio. */
    static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "× %.3f", r) : "–";
    }

    static String date(Instant t) {
        return t == null ? "" : DATE.format(t);
    }

    /** Why a teacher cannot be distilled here, or null when it can. */
    static String unusable(Teacher t) {
        TaskKind k = t.profile().task().kind();
        return switch (k) {
            case CLASSIFICATION -> t.profile().task().numClasses() < 2 ? "has fewer than 2 classes" : null;
            case DENSE -> null;
            case DETECTION -> t.profile().task().detectionLayout() == null || t.profile().task().numClasses() < 1
                    ? "its detection output layout is unknown; set it on the Teachers screen" : null;
            case EMBEDDING -> "embedding teachers are not supported";
            case UNKNOWN -> "its task is unknown; set it on the Teachers screen";
        };
    }

    static StudentTask studentKind(Teacher t) {
        return StudentTask.ofTeacher(t.profile().task().kind());
    }

    /** The preset at the input size a run will give it (see DistillService.studentSize). */
    static StudentSpec sized(StudentSpec preset, Teacher t) {
        int[] wh = dev.distillery.distill.DistillService.studentSize(preset, t.profile().preprocessing());
        return preset.withInput(wh[0], wh[1]);
    }

    /** One line for a preset: parameters, MFLOPs and the expected file size. */
    static String preset(StudentSpec s) {
        return String.format(Locale.ROOT, "%s params · %.1f MFLOPs · ~%s ONNX · input %d×%d",
                count(s.parameterCount()), s.flops() / 1e6, bytes(s.expectedOnnxBytes()), s.inputWidth(),
                s.inputHeight());
    }
}
