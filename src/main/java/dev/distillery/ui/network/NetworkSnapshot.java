package dev.distillery.ui.network;

import java.util.List;

/**
 * What the Network screen shows at one moment, read from the ledger (and, for the embedded devnet, from the
 * devnet itself) off the FX thread. Plain data so the view is a function of it.
 *
 * @param source    "Local devnet" or the ledger's address
 * @param state     STARTING, RUNNING, UNREACHABLE, UNTRUSTED or STOPPED
 * @param message   one line about the state (what went wrong and what to do, when it did)
 * @param block     current block
 * @param epoch     last completed epoch
 * @param tempo     blocks per epoch
 * @param blockMillis milliseconds per block (0 when unknown), for "next epoch in …"
 * @param ledgerId  the key this network's rows are stored under locally (null until connected)
 * @param account   the user's wallet on this network (null without a wallet)
 * @param best      the best current score any validator gave (null: none yet)
 */
public record NetworkSnapshot(String source, State state, String message, long block, long epoch, long tempo,
                              long blockMillis, ChallengeCard challenge, List<Row> rows, List<Node> nodes,
                              List<EpochLine> epochs, String ledgerId, Account account, Best best) {
    /** UNTRUSTED: a server's certificate is not the one pinned; nothing is sent to it until the user decides. */
    public enum State { STARTING, RUNNING, UNREACHABLE, UNTRUSTED, STOPPED }

    public NetworkSnapshot {
        rows = rows == null ? List.of() : List.copyOf(rows);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    public static NetworkSnapshot of(String source, State state, String message) {
        return new NetworkSnapshot(source, state, message, 0, 0, 0, 0, null, List.of(), List.of(), List.of(), null,
                null, null);
    }

    /** The same snapshot in another state with another message (the last data stays on screen). */
    public NetworkSnapshot with(State newState, String newMessage) {
        return new NetworkSnapshot(source, newState, newMessage, block, epoch, tempo, blockMillis, challenge, rows,
                nodes, epochs, ledgerId, account, best);
    }

    /** Blocks until the next epoch runs. */
    public long blocksToNextEpoch() {
        return tempo <= 0 ? 0 : tempo - block % tempo;
    }

    /**
     * The challenge in force, and the change announced for a later epoch, if any.
     *
     * @param teacherSha256 the teacher's hash (hex), to find or download it
     * @param pending one line describing the announced change, or null
     */
    public record ChallengeCard(String id, String teacher, String task, String input, double latencyBudgetMs,
                                long sizeCapBytes, double weightQuality, double weightSpeed, double weightSize,
                                int version, long effectiveEpoch, String pending, long pendingEpoch,
                                String teacherSha256, List<String> groups, int inputWidth, int inputHeight,
                                boolean teacherInLibrary) {
        /**
         * {@code groups}: the class groups a detection challenge asks for ({@code NAME=SPEC}), else empty;
         * {@code teacherInLibrary}: the challenge's teacher is already in the user's library.
         */
        public ChallengeCard {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
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

    /**
     * The user's wallet on this network.
     *
     * @param uid        the UID the hotkey holds, or -1 when not registered
     * @param balanceRao free balance in rao (-1 when unknown)
     * @param unlocked   whether the key is unlocked (signing possible)
     */
    public record Account(String walletName, String hotkey, int uid, long balanceRao, boolean unlocked) {
        public boolean registered() {
            return uid >= 0;
        }
    }

    /** The highest score a validator currently gives, and to whom. */
    public record Best(double score, int uid, String validator) {
    }
}
