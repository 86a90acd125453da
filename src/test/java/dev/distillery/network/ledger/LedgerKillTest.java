package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.store.Database;
import dev.distillery.store.LedgerStore;
import dev.distillery.testing.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger killed with SIGKILL while it runs epochs back to back restarts with every epoch wholly applied or not
 * at all: the epoch rows are contiguous and match the counter, and Σ balances equals the total emitted.
 */
class LedgerKillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledLedgerKeepsItsEpochsWholeAndItsBooksBalanced() throws Exception {
        Path base = dir.resolve("ledger");
        try (ChildJvm child = ChildJvm.start(LedgerLoopChild.class, base.toString())) {
            child.awaitLine("epoch 15", 120);
            child.kill();
        }
        try (Database db = Database.openLedger(base)) {
            LedgerStore s = db.ledger();
            long epochs = s.meta().epoch();
            assertThat(epochs).isGreaterThanOrEqualTo(15);
            var rows = s.epochs(0);
            assertThat(rows).hasSize((int) epochs);
            for (int i = 0; i < rows.size(); i++) {
                assertThat((long) rows.get(i)[0]).isEqualTo(i + 1L);
            }
            assertThat(s.meta().totalEmitted()).isEqualTo(10 * Ledger.RAO * epochs);
            assertThat(s.balanceSum()).isEqualTo(s.meta().totalEmitted());
            // and it carries on
            Ledger l = new Ledger(s, new Ledger.Config(10, 64, 5, 8, 5000, 0.5, 0.1, 1.0, 1.0, 0.18, "owner"));
            l.advanceTo(s.meta().block() + 10);
            assertThat(s.meta().epoch()).isEqualTo(epochs + 1);
        }
    }
}
