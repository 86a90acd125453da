package dev.distillery.ui.history;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the History screen writes dates (local time), amounts (τ, 4 decimals) and scores (4 decimals). */
final class HistoryFormat {
    static final double RAO_PER_TAU = 1e9;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);

    private HistoryFormat() {
    }

    static String date(Instant t) {
        return t == null ? "" : DATE.format(t.atZone(ZoneId.systemDefault()));
    }

    static String dateSeconds(Instant t) {
        return t == null ? "" : DATE_SECONDS.format(t.atZone(ZoneId.systemDefault()));
    }

    static String tau(Long rao) {
        return rao == null ? "" : String.format(Locale.ROOT, "%,.4f τ", rao / RAO_PER_TAU);
    }

    static String score(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(Long n) {
        if (n == null) {
            return "";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }

    /** A long hash or key cut to its first and last characters. */
    static String shortId(String s) {
        return s == null ? "" : s.length() <= 14 ? s : s.substring(0, 8) + "…" + s.substring(s.length() - 4);
    }
}
