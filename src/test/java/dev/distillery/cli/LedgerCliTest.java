package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.score.Challenge;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery ledger --config}: the shipped example parses, options override it, bad files are one line. */
class LedgerCliTest {
    static final Path EXAMPLE = Path.of("app", "ledger.example.json");

    @TempDir
    Path dir;

    @Test
    void theShippedExampleReadsAsTheDevnetDefaults() throws Exception {
        LedgerSettings s = LedgerSettings.read(EXAMPLE);
        Ledger.Config c = s.config();
        Ledger.Config devnet = Ledger.Config.devnet("5C6nRcw1izSs3yvRBYULXNtAFU4JuRqDNFw5u8Az7srR47nG");
        assertThat(c).isEqualTo(devnet);
        assertThat(c.genesis()).isEqualTo(Challenge.devnetDefault());
        assertThat(s.stakes).containsEntry("5DeCRuBGMJKYeQaeZ4CyAmtDdJhmGegz3SwFcbeXiPM8mUcZ", 100.0).hasSize(2);
        assertThat(s.plaintextOrDefault()).isFalse();
        assertThat(s.portOrDefault()).isEqualTo(7733);
    }

    @Test
    void optionsOverrideTheFileAndStakesMerge() throws Exception {
        String extra = HotkeyPair.generate().hotkey().ss58();
        CliTest.Result r = CliTest.run("ledger", "--config", EXAMPLE.toString(), "--tempo", "7", "--port", "0",
                "--plaintext", "--stake", extra + "=5", "--stake", "5DkEDeA9EHeYzBbSnBTYZLYcFC1SdrNFGDcrjAE5oixB8ShZ=9",
                "--check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tempo 7\n", "port 0\n", "blockMillis 1000\n", "plaintext true\n",
                "owner 5C6nRcw1izSs3yvRBYULXNtAFU4JuRqDNFw5u8Az7srR47nG\n",
                "stake " + extra + " 5.0\n",
                "stake 5DeCRuBGMJKYeQaeZ4CyAmtDdJhmGegz3SwFcbeXiPM8mUcZ 100.0\n",
                "stake 5DkEDeA9EHeYzBbSnBTYZLYcFC1SdrNFGDcrjAE5oixB8ShZ 9.0\n",
                "latency budget 10.0 ms");
    }

    @Test
    void aChallengeMayBeAFileNextToTheConfig() throws Exception {
        Challenge tight = Challenge.devnetDefault().withLatencyBudget(6.0, 0.5);
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/tight.json"), tight.toJson());
        Files.writeString(dir.resolve("conf/ledger.json"), "{\"challenge\": \"tight.json\", \"tempo\": 12, "
                + "\"ownerCut\": 0.2, \"_note\": \"ignored\"}");
        Ledger.Config c = LedgerSettings.read(dir.resolve("conf/ledger.json")).config();
        assertThat(c.genesis()).isEqualTo(tight);
        assertThat(c.tempo()).isEqualTo(12);
        assertThat(c.ownerCut()).isEqualTo(0.2);
        assertThat(c.maxUids()).isEqualTo(256);
    }

    @Test
    void aBadFileIsOneClearLineAndExitCode2() throws Exception {
        String[][] cases = {
            {"{\"tempo\": 30,", "is not valid JSON"},
            {"{\"tempp\": 30}", "unknown key \"tempp\""},
            {"{\"owner\": \"alice\"}", "\"owner\": 'alice' is not an SS58 hotkey address"},
            {"{\"blockMillis\": 5}", "\"blockMillis\" must be a whole number in 10.."},
            {"{\"stakes\": {\"5DeCRuBGMJKYeQaeZ4CyAmtDdJhmGegz3SwFcbeXiPM8mUcZ\": -1}}", "must be a number >= 0"},
            {"{\"challenge\": {\"task\": \"DENSE\", \"input\": {\"width\": 8, \"height\": 8, \"channels\": 3}, "
                    + "\"latencyBudgetMs\": 5, \"sizeCapBytes\": 1000, \"speedFloorMs\": 9, \"sizeFloorBytes\": 1}}",
                "Floors must be below the budget and the cap"},
            {"{\"challenge\": \"missing.json\"}", "missing.json does not exist"},
            {"[1, 2]", "must hold one JSON object"},
        };
        Path bad = dir.resolve("bad.json");
        for (String[] c : cases) {
            Files.writeString(bad, c[0]);
            CliTest.Result r = CliTest.run("ledger", "--config", bad.toString(), "--check");
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).as(c[0]).startsWith("distillery: ").contains(c[1]);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        }
        CliTest.Result missing = CliTest.run("ledger", "--config", dir.resolve("nope.json").toString(), "--check");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json does not exist");
    }

    @Test
    void anOwnerKeyFileIsCreatedOnceAndThenUsed() throws Exception {
        Path key = dir.resolve("keys").resolve("owner.key");
        CliTest.Result first = CliTest.run("ledger", "--owner-key", key.toString(), "--check");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(key).exists();
        String ss58 = new HotkeyFiles(key.getParent()).load("owner").hotkey().ss58();
        assertThat(first.out()).contains("created the owner hotkey " + ss58, "owner " + ss58 + "\n");

        CliTest.Result again = CliTest.run("ledger", "--config", EXAMPLE.toString(), "--owner-key", key.toString(),
                "--check");
        assertThat(again.code()).isZero();
        assertThat(again.out()).doesNotContain("created").contains("owner " + ss58 + "\n");

        CliTest.Result both = CliTest.run("ledger", "--owner", ss58, "--owner-key", key.toString(), "--check");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
    }
}
