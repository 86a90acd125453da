package dev.distillery.network.yuma;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of one Yuma epoch (DESIGN.md §4): per UID consensus, validator trust, incentive and dividends, the
 * new bonds (n×n, kept for the next epoch), and the emission split.
 */
public record YumaResult(double[] consensus, @JsonProperty("validator_trust") double[] validatorTrust,
                         double[] incentive, double[] dividends, double[][] bonds,
                         @JsonProperty("miner_emission") double[] minerEmission,
                         @JsonProperty("validator_emission") double[] validatorEmission,
                         @JsonProperty("owner_emission") double ownerEmission) {
}
