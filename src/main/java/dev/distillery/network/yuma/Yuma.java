package dev.distillery.network.yuma;

import java.util.Arrays;
import java.util.Comparator;

/**
 * One epoch of Yuma consensus exactly as DESIGN.md §4 states it (modelled on opentensor/subtensor's epoch): the
 * ledger runs this code at every tempo, and {@code distillery yuma} runs it on a JSON state. A pure function:
 * nothing is read or written but its argument and result.
 *
 * <p>"Normalize" always means divide by the sum, and leaves an all-zero vector, row or column as it is (§4 step 2).
 */
public final class Yuma {
    private Yuma() {
    }

    public static YumaResult epoch(YumaState in) {
        in.validate();
        int n = in.size();

        // §4.1 Active: last_update_i + activity_cutoff ≥ block. S = stake normalized; zeroed for inactive or
        // non-permitted UIDs; normalized again.
        boolean[] active = new boolean[n];
        for (int i = 0; i < n; i++) {
            active[i] = in.lastUpdate()[i] + in.activityCutoff() >= in.block();
        }
        double[] plainStake = normalize(in.stake().clone());
        double[] s = plainStake.clone();
        for (int i = 0; i < n; i++) {
            if (!active[i] || !in.validatorPermit()[i]) {
                s[i] = 0;
            }
        }
        normalize(s);

        // §4.2 Mask W: rows of non-permitted UIDs, the diagonal, and W_ij with last_update_i ≤ registered_at_j
        // (set before j registered) are zeroed; then each row is normalized.
        double[][] w = new double[n][];
        for (int i = 0; i < n; i++) {
            w[i] = in.weights()[i].clone();
            for (int j = 0; j < n; j++) {
                if (!in.validatorPermit()[i] || i == j || in.lastUpdate()[i] <= in.registeredAt()[j]) {
                    w[i][j] = 0;
                }
            }
            normalize(w[i]);
        }

        // §4.3 Consensus C_j: the stake-weighted κ-quantile of column j over UIDs with S_i > 0.
        double[] consensus = new double[n];
        for (int j = 0; j < n; j++) {
            consensus[j] = weightedQuantile(column(w, j), s, in.kappa());
        }

        // §4.4 Clip: W̄_ij = min(W_ij, C_j).  §4.5 Validator trust VT_i = Σ_j W̄_ij.
        double[][] clipped = new double[n][n];
        double[] trust = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                clipped[i][j] = Math.min(w[i][j], consensus[j]);
                trust[i] += clipped[i][j];
            }
        }

        // §4.6 Rank R_j = Σ_i S_i·W̄_ij; incentive I = R / ΣR.
        double[] incentive = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                incentive[j] += s[i] * clipped[i][j];
            }
        }
        normalize(incentive);

        // §4.7 Bonds. B_prev: columns of UIDs registered within the last tempo (registered_at_j ≥ block − tempo)
        // zeroed, then column-normalized. W_b = (1−β)·W + β·W̄; ΔB_ij = S_i·W_b,ij, column-normalized;
        // B = α·ΔB + (1−α)·B_prev, column-normalized.
        double[][] prev = new double[n][n];
        for (int i = 0; i < n && in.bonds() != null; i++) {
            prev[i] = in.bonds()[i].clone();
        }
        for (int j = 0; j < n; j++) {
            if (in.registeredAt()[j] >= in.block() - in.tempo()) {
                for (int i = 0; i < n; i++) {
                    prev[i][j] = 0;
                }
            }
        }
        normalizeColumns(prev);
        double beta = in.bondsPenalty();
        double[][] delta = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                delta[i][j] = s[i] * ((1 - beta) * w[i][j] + beta * clipped[i][j]);
            }
        }
        normalizeColumns(delta);
        double alpha = in.bondsAlpha();
        double[][] bonds = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                bonds[i][j] = alpha * delta[i][j] + (1 - alpha) * prev[i][j];
            }
        }
        normalizeColumns(bonds);

        // §4.8 Dividends D_i = Σ_j B_ij·I_j, normalized.
        double[] dividends = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dividends[i] += bonds[i][j] * incentive[j];
            }
        }
        normalize(dividends);

        // §4.9 Emission: the owner's cut; the rest E' split miner_j = I_j/Σ(I+D)·E', validator_i = D_i/Σ(I+D)·E'.
        // With no usable weights (Σ(I+D) = 0) miners get nothing and validators share E' by the masked normalized
        // stake, or by the plain normalized stake when that is all zero.
        double owner = in.emission() * in.ownerCut();
        double rest = in.emission() - owner;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += incentive[i] + dividends[i];
        }
        double[] miner = new double[n];
        double[] validator = new double[n];
        if (sum > 0) {
            for (int i = 0; i < n; i++) {
                miner[i] = incentive[i] / sum * rest;
                validator[i] = dividends[i] / sum * rest;
            }
        } else {
            double[] share = Arrays.stream(s).sum() > 0 ? s : plainStake;
            for (int i = 0; i < n; i++) {
                validator[i] = share[i] * rest;
            }
        }
        return new YumaResult(consensus, trust, incentive, dividends, bonds, miner, validator, owner);
    }

    /**
     * §4.3: with the stakes of UIDs with S_i &gt; 0 renormalized and m = 1 − κ, the value v of the column with
     * stake(values &lt; v) ≤ m &lt; stake(values ≤ v). 0 when no UID has stake.
     */
    static double weightedQuantile(double[] values, double[] stake, double kappa) {
        int n = values.length;
        double total = 0;
        for (double x : stake) {
            total += x > 0 ? x : 0;
        }
        if (total <= 0) {
            return 0;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double m = 1 - kappa;
        double below = 0; // stake of values strictly below the current distinct value
        int k = 0;
        while (k < n) {
            double v = values[order[k]];
            double atOrBelow = below;
            int end = k;
            while (end < n && values[order[end]] == v) {
                if (stake[order[end]] > 0) {
                    atOrBelow += stake[order[end]] / total;
                }
                end++;
            }
            if (atOrBelow > below && below <= m + 1e-12 && m < atOrBelow - 1e-12) {
                return v;
            }
            below = atOrBelow;
            k = end;
        }
        // m ≥ the whole stake (κ = 0): the largest value held by a staked UID
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (stake[i] > 0) {
                max = Math.max(max, values[i]);
            }
        }
        return max;
    }

    private static double[] column(double[][] w, int j) {
        double[] c = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            c[i] = w[i][j];
        }
        return c;
    }

    /** Divides by the sum in place; an all-zero vector stays zero. */
    static double[] normalize(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        if (sum > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= sum;
            }
        }
        return v;
    }

    static void normalizeColumns(double[][] m) {
        int n = m.length;
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (double[] row : m) {
                sum += row[j];
            }
            if (sum > 0) {
                for (double[] row : m) {
                    row[j] /= sum;
                }
            }
        }
    }
}
