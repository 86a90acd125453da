package dev.distillery.network.validator;

import dev.distillery.network.score.Challenge;
import java.util.Map;
import java.util.Optional;

/**
 * What a validator needs from the ledger (DESIGN.md §4): the clock, the challenge in force, commitments, the
 * registry, and setting its weight row. The gRPC implementation lives with the ledger client; tests use a fake.
 */
public interface LedgerLink {
    /** The earliest commit of a model hash: who committed it and at which block. */
    record Commitment(int uid, String hotkey, long block) {
    }

    /** The current block. */
    long block();

    /** The last completed epoch; the epoch in progress is {@code epoch() + 1}. */
    long epoch();

    /** Blocks per epoch. */
    long tempo();

    /** The challenge in force for {@code epoch} (the subnet owner's changes apply from the next epoch). */
    Challenge challenge(long epoch);

    /** The earliest commit of {@code sha256} (lower-case hex); empty when nobody committed it. */
    Optional<Commitment> commitmentOf(String sha256);

    /** The UID a hotkey (SS58) holds, if registered. */
    Optional<Integer> uidOf(String hotkey);

    /**
     * Sets this validator's weight row over miner UIDs, signed by the validator's hotkey.
     *
     * @throws RuntimeException when the ledger refuses (the message says why)
     */
    void setWeights(Map<Integer, Double> weights);
}
