package dev.distillery.network.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validators' scoring rule (DESIGN.md §4, "Challenges and scoring"), pure functions only:
 * <ul>
 *   <li>gates, each giving score 0 with a stated reason: invalid/unsafe model, wrong I/O, over the latency
 *       budget, over the size cap;</li>
 *   <li>{@code score = wq·q + ws·speed + wz·size} (defaults 0.8 / 0.1 / 0.1), where
 *       {@code speed = clamp((budget − p95) / (budget − speedFloor))} and
 *       {@code size = clamp((cap − bytes) / (cap − sizeFloor))}: 1 at or below the floor, 0 at the cap,
 *       linear in between;</li>
 *   <li>copies: outputs identical to an earlier commit's on the evaluation set score 0 as "copy of uid N";</li>
 *   <li>weights: {@code w_j ∝ exp((s_j − max s)/τ)}, τ = 0.02, normalized — winner takes most.</li>
 * </ul>
 */
public final class Scorer {
    public static final double TAU = 0.02;

    /** What the sandbox measured for one model. */
    public record Measurement(double quality, double p95Ms, long sizeBytes, String fingerprint) {
    }

    /**
     * A verdict: scored (reason null) or rejected (score 0, reason given). The terms are NaN when not measured.
     */
    public record Verdict(boolean scored, double score, double quality, double p95Ms, long sizeBytes,
                          double speedTerm, double sizeTerm, String fingerprint, String reason) {
        public static Verdict rejected(String reason) {
            return new Verdict(false, 0, Double.NaN, Double.NaN, -1, Double.NaN, Double.NaN, null, reason);
        }

        public static Verdict rejected(String reason, Measurement m) {
            return new Verdict(false, 0, m.quality(), m.p95Ms(), m.sizeBytes(), Double.NaN, Double.NaN,
                    m.fingerprint(), reason);
        }
    }

    /** A commit on the network: its uid, when it was committed, and its verdict. */
    public record Commit(int uid, long block, Verdict verdict) {
    }

    private Scorer() {
    }

    static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }

    /** 1 at or below the floor, 0 at the budget, linear in between. */
    public static double speedTerm(double p95Ms, Challenge c) {
        return clamp((c.latencyBudgetMs() - p95Ms) / (c.latencyBudgetMs() - c.speedFloorMs()));
    }

    /** 1 at or below the floor, 0 at the cap, linear in between. */
    public static double sizeTerm(long bytes, Challenge c) {
        return clamp((double) (c.sizeCapBytes() - bytes) / (c.sizeCapBytes() - c.sizeFloorBytes()));
    }

    /** Applies the latency and size gates, then the formula. Quality is clamped to [0, 1]; NaN is rejected. */
    public static Verdict score(Measurement m, Challenge c) {
        if (Double.isNaN(m.quality()) || Double.isNaN(m.p95Ms()) || m.sizeBytes() < 0) {
            return Verdict.rejected("invalid measurement", m);
        }
        if (m.sizeBytes() > c.sizeCapBytes()) {
            return Verdict.rejected(String.format(Locale.ROOT, "over the size cap: %,d bytes > %,d", m.sizeBytes(),
                    c.sizeCapBytes()), m);
        }
        if (m.p95Ms() > c.latencyBudgetMs()) {
            return Verdict.rejected(String.format(Locale.ROOT, "over the latency budget: p95 %.2f ms > %.2f ms",
                    m.p95Ms(), c.latencyBudgetMs()), m);
        }
        double q = clamp(m.quality());
        double speed = speedTerm(m.p95Ms(), c);
        double size = sizeTerm(m.sizeBytes(), c);
        Challenge.Weights w = c.weights();
        double s = w.quality() * q + w.speed() * speed + w.size() * size;
        return new Verdict(true, s, q, m.p95Ms(), m.sizeBytes(), speed, size, m.fingerprint(), null);
    }

    /**
     * Copy detection over commits: a measured commit (scored, or over a gate after measuring) whose fingerprint
     * equals that of an earlier commit (lower block; ties by uid) becomes "copy of uid N" with score 0 — the reason
     * that stays true whatever the machine's load did to its latency. The earliest commit keeps its score. Returns the
     * verdicts in the order of {@code commits}.
     */
    public static List<Verdict> rejectCopies(List<Commit> commits) {
        List<Verdict> out = new ArrayList<>();
        for (Commit c : commits) {
            Verdict v = c.verdict();
            Commit original = null;
            if (v.fingerprint() != null) { // measured: scored, or gated after measuring (a copy is a copy first)
                for (Commit o : commits) {
                    boolean earlier = o.block() < c.block() || (o.block() == c.block() && o.uid() < c.uid());
                    if (earlier && v.fingerprint().equals(o.verdict().fingerprint())
                            && (original == null || o.block() < original.block()
                            || (o.block() == original.block() && o.uid() < original.uid()))) {
                        original = o;
                    }
                }
            }
            out.add(original == null ? v : new Verdict(false, 0, v.quality(), v.p95Ms(), v.sizeBytes(), v.speedTerm(),
                    v.sizeTerm(), v.fingerprint(), "copy of uid " + original.uid()));
        }
        return out;
    }

    /** {@code w_j ∝ exp((s_j − max s)/τ)}, normalized to sum 1; an empty list gives an empty array. */
    public static double[] weights(double[] scores) {
        return weights(scores, TAU);
    }

    public static double[] weights(double[] scores, double tau) {
        double[] w = new double[scores.length];
        if (scores.length == 0) {
            return w;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            w[i] = Math.exp((scores[i] - max) / tau);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
