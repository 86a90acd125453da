package dev.distillery.ui.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The dashboard's short texts: tokens, fiat, ages, a reason cut to one line. */
final class DashboardFormat {
    static final double RAO_PER_TOKEN = 1e9;
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM, HH:mm", Locale.ROOT);

    private DashboardFormat() {
    }

    /** "12.3456 τ" (four decimals: an epoch's share is often well under one token). */
    static String tokens(long rao) {
        if (rao == 0) {
            return "0 τ";
        }
        return String.format(Locale.ROOT, "%,.4f τ", rao / RAO_PER_TOKEN);
    }

    /** "+0.1200 τ" for an amount earned. */
    static String earned(long rao) {
        return (rao > 0 ? "+" : "") + tokens(rao);
    }

    /** "≈ 45.67 USD", or null when no price is set. */
    static String fiat(long rao, double price, String currency) {
        if (!(price > 0) || rao < 0) {
            return null;
        }
        String code = currency == null || currency.isBlank() ? "" : " " + currency.strip();
        return String.format(Locale.ROOT, "≈ %,.2f%s", rao / RAO_PER_TOKEN * price, code);
    }

    /** "just now", "3 min ago", "2 h ago", else the local date and time. */
    static String ago(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        if (d.isNegative() || d.toSeconds() < 45) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return Math.max(1, d.toMinutes()) + " min ago";
        }
        if (d.toHours() < 24) {
            return d.toHours() + " h ago";
        }
        return DAY_TIME.format(at.atZone(ZoneId.systemDefault()));
    }

    /** The first line of a reason, at most {@code max} characters. */
    static String shortReason(String reason, int max) {
        if (reason == null || reason.isBlank()) {
            return "no reason given";
        }
        String line = reason.strip().lines().findFirst().orElse("").strip();
        return line.length() <= max ? line : line.substring(0, max - 1).strip() + "…";
    }

    /** A score as validators report it. */
    static String score(double s) {
        return s == 0 ? "0" : String.format(Locale.ROOT, "%.4f", s);
    }

    /**
     * Why a UID with a positive score has no incentive, for the rank tile; null when there is no such score. A
     * validator scores in the epoch in progress ({@code judged.epoch()}), puts its latest scores in the weights it
     * sets as the next epoch starts, and the ledger pays from those weights when that next epoch closes: until the
     * ledger's last closed epoch ({@code st.epoch()}) reaches it, the incentive is still to come.
     */
    static String unpaidScore(dev.distillery.ui.miner.MinerAccount.Standing st,
                              dev.distillery.store.NetworkStore.Submission judged) {
        if (judged == null || !"SCORED".equals(judged.state()) || judged.score() == null || judged.score() <= 0) {
            return null;
        }
        String scored = String.format(Locale.ROOT, "UID %d · scored %.4f", st.uid(), judged.score());
        if (judged.epoch() == null || st.epoch() <= judged.epoch()) {
            return judged.epoch() == null ? scored + ": its incentive comes after the next epoch"
                    : String.format(Locale.ROOT, "%s: incentive paid when epoch %,d closes", scored,
                    judged.epoch() + 1);
        }
        return String.format(Locale.ROOT, "%s in epoch %,d, but epoch %,d paid it no incentive", scored,
                judged.epoch(), st.epoch());
    }
}
