package dev.distillery.ui.teachers;

import dev.distillery.core.Plural;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import java.util.Locale;

/** How sizes, counts and tasks read on screen. */
final class TeacherFormat {
    private TeacherFormat() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }

    static String count(long n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        if (n >= 1_000) {
            return String.format(Locale.ROOT, "%.0f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String ms(double v) {
        return v < 10 ? String.format(Locale.ROOT, "%.2f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
    }

    static String task(TaskSpec t) {
        return switch (t.kind()) {
            case CLASSIFICATION -> "Classification · " + Plural.of(t.numClasses(), "class");
            case DETECTION -> "Detection · " + Plural.of(t.numClasses(), "class");
            case DENSE -> "Dense map";
            case EMBEDDING -> "Embedding · " + t.numClasses();
            case UNKNOWN -> "Unknown task";
        };
    }

    static String icon(TaskKind k) {
        return switch (k) {
            case CLASSIFICATION -> "mdi2t-tag-outline";
            case DETECTION -> "mdi2s-selection-search";
            case DENSE -> "mdi2t-texture-box";
            case EMBEDDING -> "mdi2v-vector-polyline";
            case UNKNOWN -> "mdi2h-help-circle-outline";
        };
    }
}
