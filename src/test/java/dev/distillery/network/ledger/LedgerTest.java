package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.store.Database;
import dev.distillery.store.LedgerStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's rules over its own H2 database: registry, commitments, epochs, balances, atomic epochs. */
class LedgerTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.openLedger(dir.resolve("ledger"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    Ledger ledger(int maxUids, long immunity) {
        return new Ledger(db.ledger(), new Ledger.Config(10, maxUids, immunity, 64, 5000, 0.5, 0.1, 1.0, 1.0, 0.18,
                "owner"));
    }

    @Test
    void aFullSubnetPrunesTheWeakestNonImmuneNeuron() {
        Ledger l = ledger(3, 5);
        assertThat(l.register("a", "ca", 0)).isZero();
        assertThat(l.register("b", "cb", 0)).isEqualTo(1);
        assertThat(l.register("c", "cc", 0)).isEqualTo(2);
        assertThat(l.register("b", "cb", 0)).isEqualTo(1); // already registered: same UID
        l.advanceTo(3);
        assertThatThrownBy(() -> l.register("d", "cd", 0)).hasMessageContaining("immune");
        l.advanceTo(8);
        // every neuron has emission 0: the oldest (registered first, uid 0) goes
        assertThat(l.register("d", "cd", 0)).isZero();
        assertThat(db.ledger().neuron("a")).isEmpty();
        assertThat(db.ledger().neuron("d").orElseThrow().registeredAt()).isEqualTo(8);
    }

    @Test
    void theEarliestCommitOwnsAHash() {
        Ledger l = ledger(8, 5);
        l.register("a", "ca", 0);
        l.register("b", "cb", 0);
        String sha = "ab".repeat(32);
        assertThat(l.commit("a", sha)).isZero();
        l.advanceTo(4);
        assertThat(l.commit("b", sha)).isZero(); // b's later commit of the same hash does not take it
        var owner = db.ledger().commitment(sha).orElseThrow();
        assertThat(owner.uid()).isZero();
        assertThat(owner.block()).isZero();
    }

    /**
     * Validator v (stake 100) weights miners m1, m2 as 3:1. Each epoch (tempo 10, 1 token = 10^9 rao per block) emits 10: the
     * owner 1.8, miners 8.2/2·(0.75, 0.25) = 3.075 and 1.025, the validator 4.1. The first epoch (block 10) came before
     * any weights: miners get nothing and the validator all of E' = 8.2 (§4.9). After three epochs Σ balances = 30 =
     * the total emitted.
     */
    @Test
    void epochsPayTheirEmissionIntoBalances() {
        Ledger l = ledger(8, 5);
        l.register("v", "cv", 100);
        int m1 = l.register("m1", "c1", 0);
        int m2 = l.register("m2", "c2", 0);
        l.advanceTo(11); // registered at block 0; the weights must come after that
        l.setWeights("v", Map.of(m1, 3.0, m2, 1.0));
        l.advanceTo(20);
        LedgerStore s = db.ledger();
        long rao = Ledger.RAO;
        assertThat(s.balance("m1")).isEqualTo(3_075_000_000L);
        assertThat(s.balance("m2")).isEqualTo(1_025_000_000L);
        assertThat(s.balance("v")).isEqualTo(8_200_000_000L + 4_100_000_000L);
        assertThat(s.balance("owner")).isEqualTo(2 * 1_800_000_000L);
        long before = s.balance("m1");
        l.advanceTo(30);
        // grew by exactly its emission of the epoch
        assertThat(s.balance("m1") - before).isEqualTo(db.ledger().neuron("m1").orElseThrow().emission())
                .isEqualTo(3_075_000_000L);
        assertThat(s.balance("v")).isEqualTo(8_200_000_000L + 2 * 4_100_000_000L);
        assertThat(s.meta().epoch()).isEqualTo(3);
        assertThat(s.meta().totalEmitted()).isEqualTo(30 * rao);
        assertThat(s.balanceSum()).isEqualTo(s.meta().totalEmitted());
        assertThat(s.epochs(2)).hasSize(2);
    }

    @Test
    void aFailureInsideAnEpochLeavesNothingOfIt() {
        Ledger l = ledger(8, 5);
        l.register("v", "cv", 100);
        int m = l.register("m", "cm", 0);
        l.advanceTo(11);
        l.setWeights("v", Map.of(m, 1.0));
        LedgerStore s = db.ledger();
        var before = s.meta();
        long balance = s.balance("m");
        assertThatThrownBy(() -> l.advanceTo(20, () -> {
            throw new IllegalStateException("power cut");
        })).hasMessageContaining("power cut");
        assertThat(s.meta()).isEqualTo(before);
        assertThat(s.balance("m")).isEqualTo(balance);
        assertThat(s.epochs(0)).hasSize((int) before.epoch());
        l.advanceTo(20);
        assertThat(s.meta().epoch()).isEqualTo(before.epoch() + 1);
        assertThat(s.balanceSum()).isEqualTo(s.meta().totalEmitted());
    }
}
