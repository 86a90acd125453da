package dev.distillery.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of a subnet ledger's database (schema {@code store/ledger}). The rules live in {@code network.ledger};
 * this class only keeps state, and applies an epoch in one transaction.
 */
public final class LedgerStore {
    /** One registered neuron and its latest epoch figures. */
    public record NeuronRow(int uid, String hotkey, String coldkey, double stake, long registeredAt, long lastUpdate,
                            boolean validatorPermit, double consensus, double validatorTrust, double incentive,
                            double dividends, long emission, boolean simulated, String committedSha256,
                            long commitBlock) {
        /** A neuron that is not simulated and has committed nothing yet. */
        public NeuronRow(int uid, String hotkey, String coldkey, double stake, long registeredAt, long lastUpdate,
                         boolean validatorPermit, double consensus, double validatorTrust, double incentive,
                         double dividends, long emission) {
            this(uid, hotkey, coldkey, stake, registeredAt, lastUpdate, validatorPermit, consensus, validatorTrust,
                    incentive, dividends, emission, false, null, 0);
        }
    }

    /**
     * One version of the challenge.
     *
     * @param effectiveEpoch first epoch the version is in force
     * @param challengeJson  the whole challenge as JSON
     * @param announcedBy    SS58 of the owner's hotkey ("" for genesis)
     */
    public record ChallengeRow(int version, long effectiveEpoch, String challengeJson, long announcedBlock,
                               String announcedBy, String note) {
    }

    /** The chain position and the emission so far (rao). */
    public record Meta(long block, long epoch, long totalEmitted) {
    }

    /** Everything an epoch changes, applied together by {@link #applyEpoch}. */
    public record EpochUpdate(long epoch, long block, List<NeuronRow> neurons, double[][] bonds,
                              Map<String, Long> credits, long emitted, String reportJson) {
    }

    private final Jdbi jdbi;

    LedgerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Meta meta() {
        return jdbi.withHandle(h -> h.createQuery("SELECT block, epoch, total_emitted FROM meta WHERE id = 1")
                .map((rs, ctx) -> new Meta(rs.getLong(1), rs.getLong(2), rs.getLong(3))).one());
    }

    public void setBlock(long block) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE meta SET block = :b WHERE id = 1").bind("b", block).execute());
    }

    public List<NeuronRow> neurons() {
        return jdbi.withHandle(LedgerStore::neurons);
    }

    private static List<NeuronRow> neurons(Handle h) {
        return h.createQuery("SELECT uid, hotkey, coldkey, stake, registered_at, last_update, validator_permit, "
                + "consensus, validator_trust, incentive, dividends, emission, simulated, committed_sha256, "
                + "commit_block FROM neurons ORDER BY uid")
                .map((rs, ctx) -> new NeuronRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                        rs.getLong(5), rs.getLong(6), rs.getBoolean(7), rs.getDouble(8), rs.getDouble(9),
                        rs.getDouble(10), rs.getDouble(11), rs.getLong(12), rs.getBoolean(13), rs.getString(14),
                        rs.getLong(15))).list();
    }

    public Optional<NeuronRow> neuron(String hotkey) {
        return neurons().stream().filter(n -> n.hotkey().equals(hotkey)).findFirst();
    }

    /**
     * Puts {@code row} at its UID in one transaction, replacing whoever held it: the old holder's weights, bonds (row
     * and column) and commitments go with it.
     */
    public void putNeuron(NeuronRow row) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM weights WHERE validator_uid = :u OR miner_uid = :u").bind("u", row.uid())
                    .execute();
            h.createUpdate("DELETE FROM bonds WHERE validator_uid = :u OR miner_uid = :u").bind("u", row.uid())
                    .execute();
            h.createUpdate("DELETE FROM commitments WHERE uid = :u").bind("u", row.uid()).execute();
            h.createUpdate("DELETE FROM neurons WHERE uid = :u").bind("u", row.uid()).execute();
            h.createUpdate("INSERT INTO neurons (uid, hotkey, coldkey, stake, registered_at, last_update, "
                    + "validator_permit, simulated) VALUES (:uid, :hotkey, :coldkey, :stake, :registeredAt, "
                    + ":lastUpdate, :validatorPermit, :simulated)").bindMethods(row).execute();
        });
    }

    public void setPermits(Map<Integer, Boolean> permits) {
        jdbi.useTransaction(h -> permits.forEach((uid, p) -> h.createUpdate(
                "UPDATE neurons SET validator_permit = :p WHERE uid = :u").bind("p", p).bind("u", uid).execute()));
    }

    /**
     * Records the earliest commitment of a hash and stamps it as the neuron's latest commitment (even when an
     * earlier commit owns the hash); returns the UID that owns it (maybe an earlier one).
     */
    public int commit(String sha256, int uid, String hotkey, long block) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE neurons SET committed_sha256 = :s, commit_block = :b WHERE uid = :u")
                    .bind("s", sha256).bind("b", block).bind("u", uid).execute();
            Optional<Integer> owner = h.createQuery("SELECT uid FROM commitments WHERE model_sha256 = :s")
                    .bind("s", sha256).mapTo(Integer.class).findOne();
            if (owner.isPresent()) {
                return owner.get();
            }
            h.createUpdate("INSERT INTO commitments (model_sha256, uid, hotkey, block) VALUES (:s, :u, :k, :b)")
                    .bind("s", sha256).bind("u", uid).bind("k", hotkey).bind("b", block).execute();
            return uid;
        });
    }

    /** The earliest commitment of a hash: its owner's uid and hotkey, and the block. */
    public record Commitment(int uid, String hotkey, long block) {
    }

    /** The commitment that owns the hash, if it was committed. */
    public Optional<Commitment> commitment(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("SELECT uid, hotkey, block FROM commitments WHERE model_sha256 = :s")
                .bind("s", sha256).map((rs, ctx) -> new Commitment(rs.getInt(1), rs.getString(2), rs.getLong(3)))
                .findOne());
    }

    /** Replaces a validator's weight row and stamps its last update. */
    public void setWeights(int validator, Map<Integer, Double> row, long block) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM weights WHERE validator_uid = :v").bind("v", validator).execute();
            if (!row.isEmpty()) {
                var batch = h.prepareBatch("INSERT INTO weights (validator_uid, miner_uid, weight) VALUES (:v, :m, :w)");
                for (Map.Entry<Integer, Double> e : row.entrySet()) {
                    batch.bind("v", validator).bind("m", e.getKey()).bind("w", e.getValue()).add();
                }
                batch.execute();
            }
            h.createUpdate("UPDATE neurons SET last_update = :b WHERE uid = :v").bind("b", block).bind("v", validator)
                    .execute();
        });
    }

    /** The n×n weight matrix (n = highest UID + 1). */
    public double[][] weights(int n) {
        return matrix("SELECT validator_uid, miner_uid, weight FROM weights", n);
    }

    public double[][] bonds(int n) {
        return matrix("SELECT validator_uid, miner_uid, bond FROM bonds", n);
    }

    private double[][] matrix(String sql, int n) {
        double[][] m = new double[n][n];
        jdbi.useHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            int i = rs.getInt(1);
            int j = rs.getInt(2);
            if (i < n && j < n) {
                m[i][j] = rs.getDouble(3);
            }
            return 0;
        }).list());
        return m;
    }

    /** Balances in rao. */
    public Map<String, Long> balances() {
        Map<String, Long> b = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT hotkey, amount FROM balances").map((rs, ctx) ->
                b.put(rs.getString(1), rs.getLong(2))).list());
        return b;
    }

    /** A hotkey's balance in rao (0 when it never earned). */
    public long balance(String hotkey) {
        return balances().getOrDefault(hotkey, 0L);
    }

    /** Stored epoch reports from {@code fromEpoch} on, oldest first: {epoch, block, emitted, json}. */
    public List<Object[]> epochs(long fromEpoch) {
        return jdbi.withHandle(h -> h.createQuery("SELECT epoch, block, emitted, report_json FROM epochs "
                + "WHERE epoch >= :e ORDER BY epoch").bind("e", fromEpoch).map((rs, ctx) -> new Object[] {
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)}).list());
    }

    /**
     * Applies an epoch in ONE transaction: the neurons' figures, the new bonds, the credits to balances, the epoch's
     * row and the meta counters. A kill at any moment leaves it wholly applied or not at all.
     *
     * @param beforeCommit called inside the transaction after every write (tests use it to fail on purpose)
     */
    public void applyEpoch(EpochUpdate u, Runnable beforeCommit) {
        jdbi.useTransaction(h -> {
            for (NeuronRow n : u.neurons()) {
                h.createUpdate("UPDATE neurons SET consensus = :consensus, validator_trust = :validatorTrust, "
                        + "incentive = :incentive, dividends = :dividends, emission = :emission, "
                        + "validator_permit = :validatorPermit WHERE uid = :uid").bindMethods(n).execute();
            }
            h.createUpdate("DELETE FROM bonds").execute();
            var batch = h.prepareBatch("INSERT INTO bonds (validator_uid, miner_uid, bond) VALUES (:i, :j, :b)");
            int rows = 0;
            for (int i = 0; i < u.bonds().length; i++) {
                for (int j = 0; j < u.bonds()[i].length; j++) {
                    if (u.bonds()[i][j] != 0) {
                        batch.bind("i", i).bind("j", j).bind("b", u.bonds()[i][j]).add();
                        rows++;
                    }
                }
            }
            if (rows > 0) {
                batch.execute();
            }
            for (Map.Entry<String, Long> c : u.credits().entrySet()) {
                int updated = h.createUpdate("UPDATE balances SET amount = amount + :a WHERE hotkey = :k")
                        .bind("a", c.getValue()).bind("k", c.getKey()).execute();
                if (updated == 0) {
                    h.createUpdate("INSERT INTO balances (hotkey, amount) VALUES (:k, :a)").bind("k", c.getKey())
                            .bind("a", c.getValue()).execute();
                }
            }
            h.createUpdate("INSERT INTO epochs (epoch, block, emitted, report_json) VALUES (:e, :b, :m, :j)")
                    .bind("e", u.epoch()).bind("b", u.block()).bind("m", u.emitted()).bind("j", u.reportJson())
                    .execute();
            h.createUpdate("UPDATE meta SET block = :b, epoch = :e, total_emitted = total_emitted + :m WHERE id = 1")
                    .bind("b", u.block()).bind("e", u.epoch()).bind("m", u.emitted()).execute();
            if (beforeCommit != null) {
                beforeCommit.run();
            }
        });
    }

    /** Every version of the challenge, oldest first. */
    public List<ChallengeRow> challenges() {
        return jdbi.withHandle(h -> h.createQuery("SELECT version, effective_epoch, challenge_json, announced_block, "
                + "announced_by, note FROM challenges ORDER BY version").map((rs, ctx) -> new ChallengeRow(
                        rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6))).list());
    }

    /** Stores the genesis challenge as version 1 unless a version 1 exists; returns the stored version 1. */
    public ChallengeRow ensureGenesis(long effectiveEpoch, String challengeJson) {
        return jdbi.inTransaction(h -> {
            boolean none = h.createQuery("SELECT COUNT(*) FROM challenges WHERE version = 1").mapTo(Integer.class)
                    .one() == 0;
            if (none) {
                h.createUpdate("INSERT INTO challenges (version, effective_epoch, challenge_json, announced_block, "
                        + "announced_by, note) VALUES (1, :e, :j, 0, '', 'genesis')").bind("e", effectiveEpoch)
                        .bind("j", challengeJson).execute();
            }
            return h.createQuery("SELECT version, effective_epoch, challenge_json, announced_block, announced_by, "
                    + "note FROM challenges WHERE version = 1").map((rs, ctx) -> new ChallengeRow(rs.getInt(1),
                            rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6))).one();
        });
    }

    /**
     * Records a version in force from {@code row.effectiveEpoch()}, in one transaction: a version already announced
     * for that epoch is replaced and keeps its number; otherwise the row gets the next number. Returns the number.
     */
    public int announceChallenge(ChallengeRow row) {
        return jdbi.inTransaction(h -> {
            Optional<Integer> same = h.createQuery("SELECT version FROM challenges WHERE effective_epoch = :e")
                    .bind("e", row.effectiveEpoch()).mapTo(Integer.class).findOne();
            int version = same.orElseGet(() -> h.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM challenges")
                    .mapTo(Integer.class).one());
            h.createUpdate("DELETE FROM challenges WHERE version = :v").bind("v", version).execute();
            h.createUpdate("INSERT INTO challenges (version, effective_epoch, challenge_json, announced_block, "
                    + "announced_by, note) VALUES (:v, :e, :j, :b, :by, :n)").bind("v", version)
                    .bind("e", row.effectiveEpoch()).bind("j", row.challengeJson()).bind("b", row.announcedBlock())
                    .bind("by", row.announcedBy()).bind("n", row.note()).execute();
            return version;
        });
    }

    /** Σ balances in rao, for the invariant Σ balances = total emitted. */
    public long balanceSum() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM balances")
                .mapTo(Long.class).one());
    }
}
