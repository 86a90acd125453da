package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.score.Challenge;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery challenge show|history|change} against a ledger on loopback (slow clock: one block a minute). */
class ChallengeCliTest {
    @TempDir
    Path dir;

    @Test
    void theOwnerChangesTermsAndEveryoneSeesThemComing() throws Exception {
        HotkeyFiles keys = new HotkeyFiles(dir.resolve("keys"));
        HotkeyPair owner = keys.create("owner");
        keys.create("someone");
        Ledger.Config config = new Ledger.Config(5, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18, owner.hotkey().ss58());
        try (LedgerServer s = LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 60_000, k -> 0)) {
            String at = "127.0.0.1:" + s.port();
            CliTest.Result change = CliTest.run("challenge", "change", "--ledger", at, "--key",
                    keys.keyFile("owner").toString(), "--latency-ms", "8", "--weights", "0.7,0.2,0.1", "--note",
                    "faster students");
            assertThat(change.code()).as(change.err()).isZero();
            assertThat(change.out()).contains("announced version 2 at block 0, in force from epoch 2");

            CliTest.Result show = CliTest.run("challenge", "show", "--ledger", at);
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).contains("epoch 1: devnet-text-det version 1", "p95 <= 10.0 ms",
                    "pending: version 2 from epoch 2: p95 <= 8.0 ms, size <= 1500000 bytes",
                    "0.7*quality + 0.2*speed + 0.1*size", "faster students");

            CliTest.Result json = CliTest.run("challenge", "show", "--ledger", at, "--epoch", "2", "--json");
            assertThat(Challenge.fromJson(json.out().strip()).latencyBudgetMs()).isEqualTo(8.0);

            CliTest.Result history = CliTest.run("challenge", "history", "--ledger", at);
            assertThat(history.out().strip().lines()).hasSize(2);
            assertThat(history.out()).contains("version 1 from epoch 1", "(genesis)", "version 2 from epoch 2");

            CliTest.Result refused = CliTest.run("challenge", "change", "--ledger", at, "--key",
                    keys.keyFile("someone").toString(), "--latency-ms", "5");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("PERMISSION_DENIED: only the subnet owner may change the challenge");

            CliTest.Result invalid = CliTest.run("challenge", "change", "--ledger", at, "--key",
                    keys.keyFile("owner").toString(), "--latency-ms", "0.5");
            assertThat(invalid.code()).isEqualTo(1);
            assertThat(invalid.err()).contains("INVALID_ARGUMENT", "Floors must be below");

            CliTest.Result badAddress = CliTest.run("challenge", "show", "--ledger", "nowhere");
            assertThat(badAddress.code()).isEqualTo(2);
            assertThat(badAddress.err()).contains("--ledger must be HOST:PORT");
        }
    }
}
