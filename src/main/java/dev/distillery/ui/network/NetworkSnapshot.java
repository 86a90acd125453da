package dev.distillery.ui.network;

import java.util.List;

/**
 * What the Network screen shows at one moment, read from the ledger (and, for the embedded devnet, from the
 * devnet itself) off the FX thread. Plain data so the view is a function of it.
 *
 * @param source    "Local devnet" or the ledger's address
 * @param state     STARTING, RUNNING, UNREACHABLE or STOPPED
 * @param message   one line about the state (what went wrong and what to do, when it did)
 * @param block     current block
 * @param epoch     last completed epoch
 * @param tempo     blocks per epoch
 * @param blockMillis milliseconds per block (0 when unknown), for "next epoch in …"
 */
public record NetworkSnapshot(String source, State state, String message, long block, long epoch, long tempo,
                              long blockMillis, ChallengeCard challenge, List<Row> rows, List<Node> nodes,
                              List<EpochLine> epochs) {
    public enum State { STARTING, RUNNING, UNREACHABLE, STOPPED }

    public NetworkSnapshot {
        rows = rows == null ? List.of() : List.copyOf(rows);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    public static NetworkSnapshot of(String source, State state, String message) {
        return new NetworkSnapshot(source, state, message, 0, 0, 0, 0, null, List.of(), List.of(), List.of());
    }

    /** Blocks until the next epoch runs. */
    public long blocksToNextEpoch() {
        return tempo <= 0 ? 0 : tempo - block % tempo;
    }

    /**
     * The challenge in force, and the change announced for a later epoch, if any.
     *
     * @param pending one line describing the announced change, or null
     */
    public record ChallengeCard(String id, String teacher, String task, String input, double latencyBudgetMs,
                                long sizeCapBytes, double weightQuality, double weightSpeed, double weightSize,
                                int version, long effectiveEpoch, String pending, long pendingEpoch) {
    }

    /**
     * One UID of the metagraph.
     *
     * @param label     who this is when the app knows (e.g. "validator 1", "simulated: sim-fair"), else null
     */
    public record Row(int uid, String hotkey, String label, boolean simulated, double stake, double incentive,
                      double dividends, long emissionRao, double consensus, double validatorTrust, boolean permit,
                      boolean active, long lastUpdate) {
    }

    /** A server of the network (ledger, validators) with where it listens and what it is doing. */
    public record Node(String role, String name, String address, String detail) {
    }

    /** One epoch's result in a line. */
    public record EpochLine(long epoch, long block, long totalRao, String summary) {
    }
}
