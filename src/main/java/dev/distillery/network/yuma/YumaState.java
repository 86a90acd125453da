package dev.distillery.network.yuma;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The input of one Yuma epoch (DESIGN.md §4), as {@code distillery yuma --in state.json} reads it. n UIDs; every
 * per-UID array has length n, {@code weights} and {@code bonds} are n×n (row = validator i, column = UID j).
 *
 * @param block          the current block
 * @param tempo          blocks per epoch
 * @param activityCutoff a UID is active when {@code last_update + activity_cutoff ≥ block}
 * @param kappa          consensus quantile (0.5: the stake-weighted median)
 * @param bondsAlpha     EMA weight of the new bonds (0.1 on mainnet)
 * @param bondsPenalty   β: how much of the clipped rather than the raw weight builds bonds (1: only clipped)
 * @param emission       the epoch's total emission
 * @param ownerCut       the subnet owner's share (0.18)
 * @param bonds          the previous epoch's bonds, or null for none (zeros)
 */
public record YumaState(long block, long tempo, @JsonProperty("activity_cutoff") long activityCutoff, double kappa,
                        @JsonProperty("bonds_alpha") double bondsAlpha,
                        @JsonProperty("bonds_penalty") double bondsPenalty, double emission,
                        @JsonProperty("owner_cut") double ownerCut, double[] stake,
                        @JsonProperty("validator_permit") boolean[] validatorPermit,
                        @JsonProperty("last_update") long[] lastUpdate,
                        @JsonProperty("registered_at") long[] registeredAt, double[][] weights, double[][] bonds) {

    /** Number of UIDs. */
    public int size() {
        return stake.length;
    }

    /** Checks lengths and ranges; the message says which key is wrong. */
    public void validate() {
        int n = stake == null ? -1 : stake.length;
        if (n < 0) {
            throw new IllegalArgumentException("stake is missing");
        }
        require(validatorPermit != null && validatorPermit.length == n, "validator_permit must have " + n + " values");
        require(lastUpdate != null && lastUpdate.length == n, "last_update must have " + n + " values");
        require(registeredAt != null && registeredAt.length == n, "registered_at must have " + n + " values");
        require(weights != null && weights.length == n, "weights must have " + n + " rows");
        for (double[] row : weights) {
            require(row != null && row.length == n, "every weights row must have " + n + " values");
            for (double w : row) {
                require(w >= 0 && Double.isFinite(w), "weights must be finite and ≥ 0");
            }
        }
        if (bonds != null) {
            require(bonds.length == n, "bonds must have " + n + " rows");
            for (double[] row : bonds) {
                require(row != null && row.length == n, "every bonds row must have " + n + " values");
            }
        }
        for (double s : stake) {
            require(s >= 0 && Double.isFinite(s), "stake must be finite and ≥ 0");
        }
        require(tempo > 0, "tempo must be positive");
        require(kappa >= 0 && kappa <= 1, "kappa must be in [0, 1]");
        require(bondsAlpha >= 0 && bondsAlpha <= 1, "bonds_alpha must be in [0, 1]");
        require(bondsPenalty >= 0 && bondsPenalty <= 1, "bonds_penalty must be in [0, 1]");
        require(ownerCut >= 0 && ownerCut <= 1, "owner_cut must be in [0, 1]");
        require(emission >= 0 && Double.isFinite(emission), "emission must be finite and ≥ 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
