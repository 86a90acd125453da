package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger written before challenge versions existed (schema 1) opens under schema 2 with its neurons intact, not
 * simulated and without a recorded latest commitment, and gets its genesis challenge on first use.
 */
class LedgerStoreUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aSchemaOneLedgerUpgradesWithItsNeurons() throws Exception {
        Path base = dir.resolve("ledger");
        String url = "jdbc:h2:file:" + base.toAbsolutePath();
        Flyway.configure().dataSource(url, "distillery", "").locations(Database.LEDGER_MIGRATIONS).target("1").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, "distillery", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO neurons (uid, hotkey, coldkey, stake, registered_at, last_update, validator_permit) "
                    + "VALUES (3, 'hk', 'ck', 10, 7, 7, TRUE)");
            s.execute("INSERT INTO commitments (model_sha256, uid, hotkey, block) VALUES ('" + "ab".repeat(32)
                    + "', 3, 'hk', 8)");
            s.execute("UPDATE meta SET block = 40, epoch = 4 WHERE id = 1");
            s.execute("SHUTDOWN");
        }
        try (Database db = Database.openLedger(base)) {
            assertThat(db.schemaVersion()).isEqualTo(2);
            LedgerStore store = db.ledger();
            var n = store.neuron("hk").orElseThrow();
            assertThat(n.uid()).isEqualTo(3);
            assertThat(n.stake()).isEqualTo(10);
            assertThat(n.simulated()).isFalse();
            assertThat(n.committedSha256()).isNull();
            assertThat(store.challenges()).isEmpty();
            var genesis = store.ensureGenesis(1, "{\"id\":\"g\"}");
            assertThat(genesis.version()).isEqualTo(1);
            assertThat(store.ensureGenesis(1, "{\"id\":\"other\"}").challengeJson()).isEqualTo("{\"id\":\"g\"}");
            // a new commit by the old neuron is now recorded as its latest
            store.commit("cd".repeat(32), 3, "hk", 41);
            assertThat(store.neuron("hk").orElseThrow().commitBlock()).isEqualTo(41);
            assertThat(store.meta().epoch()).isEqualTo(4);
        }
    }
}
