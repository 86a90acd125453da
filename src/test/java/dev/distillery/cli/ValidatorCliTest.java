package dev.distillery.cli;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distillery validator --config FILE}: the file's keys, options overriding them, defaults, one-line errors
 * with exit code 2, and the first start creating the hotkey — all without a ledger.
 */
class ValidatorCliTest {
    @TempDir
    Path dir;

    String config(String body) throws Exception {
        Path f = dir.resolve("validator.json");
        Files.writeString(f, body);
        return f.toString();
    }

    static final String LEDGER = "\"ledger\": {\"host\": \"10.0.0.2\", \"port\": 7733, \"fingerprint\": \"ab12\"}";

    @Test
    void theFileIsReadAndOptionsOverrideIt() throws Exception {
        Path file = Path.of(config("{\"host\": \"0.0.0.0\", \"port\": 9100, \"folder\": \"/srv/v\", " + LEDGER
                + ", \"workers\": 2, \"evalFolder\": \"/srv/hidden\", \"limits\": {\"heapMb\": 1024}}"));
        ValidatorCommand cmd = new ValidatorCommand();
        cmd.port = 9200;
        cmd.teacher = "/models/t.onnx";
        ValidatorCommand.Config c = cmd.resolve(ValidatorCommand.read(file), dir);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9200);
        assertThat(c.plaintext()).isFalse();
        assertThat(c.folder()).isEqualTo("/srv/v");
        assertThat(c.hotkey()).isEqualTo(Path.of("/srv/v").resolve("hotkey.key").toString());
        assertThat(c.teacher()).isEqualTo("/models/t.onnx");
        assertThat(c.evalFolder()).isEqualTo("/srv/hidden");
        assertThat(c.workers()).isEqualTo(2);
        assertThat(c.ledger()).isEqualTo(new ValidatorCommand.Config.Ledger("10.0.0.2", 7733, "ab12", null));
        assertThat(c.limits()).isEqualTo(new ValidatorCommand.Config.Limits(1024, 4096L, 300L));

        // only the ledger given: every default
        ValidatorCommand.Config d = new ValidatorCommand().resolve(
                ValidatorCommand.read(Path.of(config("{" + LEDGER + "}"))), dir);
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(ValidatorCommand.DEFAULT_PORT);
        assertThat(d.folder()).isEqualTo(dir.resolve("validator").toString());
        assertThat(d.workers()).isEqualTo(1);
        assertThat(d.teacher()).isNull();
    }

    @Test
    void theShippedExampleIsAValidConfiguration() throws Exception {
        ValidatorCommand.Config c = new ValidatorCommand().resolve(
                ValidatorCommand.read(Path.of("app", "validator.example.json")), dir);
        assertThat(c.port()).isEqualTo(ValidatorCommand.DEFAULT_PORT);
        assertThat(c.ledger().fingerprint()).isNotBlank();
        assertThat(c.limits()).isEqualTo(new ValidatorCommand.Config.Limits(768, 4096L, 300L));
    }

    @Test
    void aBadOrMissingFileIsOneLineAndExitCode2() throws Exception {
        assertUsage(dir.resolve("missing.json").toString(), "does not exist");
        assertUsage(config("{not json"), "not valid JSON");
        assertUsage(config("{\"prot\": 1, " + LEDGER + "}"), "unknown key \"prot\"");
        assertUsage(config("{\"port\": 1}"), "ledger needs a host and a port");
        assertUsage(config("{\"ledger\": {\"host\": \"h\", \"port\": 7733}}"), "either the fingerprint");
        assertUsage(config("{\"workers\": 0, " + LEDGER + "}"), "workers must be at least 1");
        assertUsage(config("{\"port\": \"many\", " + LEDGER + "}"), "not valid JSON");
    }

    void assertUsage(String file, String message) {
        CliTest.Result r = CliTest.runIn(dir.resolve("data"), "validator", "--config", file);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("distillery: ").contains(message).doesNotContain("\n");
    }

    @Test
    void theFirstStartCreatesTheHotkeyAndKeepsIt() throws Exception {
        Path folder = dir.resolve("v");
        String file = config("{\"folder\": \"" + folder + "\", " + LEDGER + "}");
        CliTest.Result r = CliTest.runIn(dir.resolve("data"), "validator", "--config", file, "--plaintext");
        // no ledger at that address: the hotkey is made and shown, then the command stops with a reason
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("created the validator's hotkey 5");
        assertThat(r.err().strip()).startsWith("distillery: cannot reach the ledger at").doesNotContain("\n");
        Path key = folder.resolve("hotkey.key");
        assertThat(key).exists();
        String address = r.out().replaceAll("(?s).*hotkey (\\S+) in.*", "$1").strip();
        assertThat(Files.readString(folder.resolve("hotkey.pub")).strip()).isEqualTo(address);
        CliTest.Result again = CliTest.runIn(dir.resolve("data"), "validator", "--config", file);
        assertThat(again.out()).doesNotContain("created");
        assertThat(Files.readString(folder.resolve("hotkey.pub")).strip()).isEqualTo(address);
    }

    /**
     * The headless validator against a ledger over TLS pinned to its certificate: it registers, serves and stops;
     * a wrong pin is one line and exit 1, before anything is served.
     */
    @Test
    void connectsToAPinnedTlsLedgerRegistersAndServes() throws Exception {
        var owner = dev.distillery.network.crypto.HotkeyPair.generate();
        var id = dev.distillery.network.tls.ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        Path teacher = dev.distillery.network.score.TestModels.map(true, 32).write(dir.resolve("teacher.onnx"));
        var challenge = new dev.distillery.network.score.Challenge("cli", "0".repeat(64),
                StudentTask.DENSE, java.util.List.of(),
                new dev.distillery.network.score.Challenge.InputSpec(32, 32, 3), 1000, 20_000, 0, 0, null,
                dev.distillery.network.score.Challenge.EvalData.generated("scenes", 2, 0), 0.3);
        try (var ledger = dev.distillery.network.ledger.LedgerServer.start(dir.resolve("ledger").resolve("ledger"),
                "127.0.0.1", 0, dev.distillery.network.ledger.Ledger.Config.devnet(owner.hotkey().ss58()), 100,
                hk -> 1000.0, id, challenge)) {
            String config = """
                    {"host": "127.0.0.1", "port": 0, "plaintext": true, "folder": "%s",
                     "ledger": {"host": "127.0.0.1", "port": %d, "fingerprint": "%s"},
                     "hotkey": "%s", "teacher": "%s"}
                    """;
            Path good = dir.resolve("good.json");
            Files.writeString(good, String.format(config, dir.resolve("v"), ledger.port(), id.fingerprint(),
                    dir.resolve("v.key"), teacher));
            CliTest.Result r = CliTest.run("--data-dir", dir.resolve("data").toString(), "validator", "--config",
                    good.toString(), "--for-seconds", "2");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("listening on 127.0.0.1:");
            String ss58 = new dev.distillery.network.crypto.HotkeyFiles(dir).load("v").hotkey().ss58();
            try (var c = dev.distillery.network.ledger.LedgerClient.pinned("127.0.0.1", ledger.port(),
                    id.fingerprint(), null)) {
                assertThat(c.metagraph().getNeuronsList()).anyMatch(n -> n.getHotkeySs58().equals(ss58)
                        && n.getValidatorPermit());
            }

            Path wrong = dir.resolve("wrong.json");
            Files.writeString(wrong, String.format(config, dir.resolve("v"), ledger.port(), "ab".repeat(32),
                    dir.resolve("v.key"), teacher));
            CliTest.Result w = CliTest.run("--data-dir", dir.resolve("data").toString(), "validator", "--config",
                    wrong.toString(), "--for-seconds", "2");
            assertThat(w.code()).isEqualTo(1);
            assertThat(w.err().strip()).startsWith("distillery: cannot reach the ledger").doesNotContain("\n")
                    .contains("is not the pinned " + "ab".repeat(32));
        }
    }
}
