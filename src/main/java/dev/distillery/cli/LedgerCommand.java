package dev.distillery.cli;

import dev.distillery.core.DataDirectory;
import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code distillery ledger}: a headless subnet ledger over gRPC, TLS with a pinned self-signed certificate. Settings
 * come from the defaults, then {@code --config FILE}, then the options given (see {@link LedgerSettings}).
 */
@Command(name = "ledger", description = {"Run a subnet ledger headless: blocks on a clock, registry, commitments,",
    "weights and a Yuma epoch every tempo, served over gRPC (distillery.v1.Ledger). State in",
    "<data>/ledger/ledger.mv.db; stop with Ctrl+C (a kill loses at most the epoch being applied).",
    "Settings: --config FILE (JSON, see app/ledger.example.json), then the options given here."})
final class LedgerCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON settings (host, port, blockMillis, tempo, "
            + "owner, stakes, plaintext, challenge and the ledger's rules); options given here override it")
    Path configFile;
    @Option(names = "--host", description = "Address to listen on (default " + LedgerSettings.DEFAULT_HOST + ")")
    String host;
    @Option(names = "--port", description = "Port (default " + LedgerSettings.DEFAULT_PORT + ")")
    Integer port;
    @Option(names = "--block-ms", description = "Milliseconds per block (default "
            + LedgerSettings.DEFAULT_BLOCK_MILLIS + ")")
    Long blockMillis;
    @Option(names = "--tempo", description = "Blocks per epoch (default 30)")
    Long tempo;
    @Option(names = "--owner", description = "Hotkey (SS58) that receives the owner's cut and alone may change the "
            + "challenge")
    String owner;
    @Option(names = "--owner-key", paramLabel = "FILE.key", description = "The owner's hotkey file: its SS58 is the "
            + "owner; created there if it does not exist (keep it: it signs challenge changes)")
    Path ownerKey;
    @Option(names = "--stake", paramLabel = "HOTKEY=AMOUNT", description = "Stake a hotkey (SS58) brings when it "
            + "registers, in tokens; repeat for each validator (no staking transactions yet)")
    Map<String, Double> stakes = new java.util.HashMap<>();
    @Option(names = "--plaintext", description = "Serve without TLS (default: TLS with a self-signed certificate made "
            + "on first start in <data>/ledger/tls; clients pin its fingerprint)")
    Boolean plaintext;
    @Option(names = "--check", description = "Print the settings in force and exit without starting")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LedgerSettings settings;
        Ledger.Config config;
        try {
            settings = settings(out);
            config = settings.config();
        } catch (LedgerSettings.BadConfigException e) {
            err.println("distillery: " + e.getMessage());
            err.flush();
            return DistilleryCommand.EXIT_USAGE;
        }
        if (check) {
            out.print(settings.describe());
            out.flush();
            return 0;
        }
        String host = settings.hostOrDefault();
        DataDirectory dir = DataDirectory.open(root.dataDirectory());
        Files.createDirectories(dir.root().resolve("ledger"));
        dev.distillery.network.tls.ServerIdentity tls = settings.plaintextOrDefault() ? null
                : dev.distillery.network.tls.ServerIdentity.loadOrCreate(dir.root().resolve("ledger").resolve("tls"),
                        host);
        Map<String, Double> stake = Map.copyOf(settings.stakes);
        try (LedgerServer server = LedgerServer.start(dir.root().resolve("ledger").resolve("ledger"), host,
                settings.portOrDefault(), config, settings.blockMillisOrDefault(),
                hotkey -> stake.getOrDefault(hotkey, 0.0), tls)) {
            out.printf("ledger listening on %s:%d (%s), block %d, tempo %d, owner %s, challenge version %d%n", host,
                    server.port(), tls == null ? "plaintext" : "TLS, certificate sha256 " + tls.fingerprint(),
                    server.ledger().block(), config.tempo(), config.ownerHotkey(),
                    server.ledger().challenge(0).current().version());
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ledger-shutdown"));
            server.awaitTermination();
        }
        return 0;
    }

    /** The file's settings (if any) overridden by the options given. */
    LedgerSettings settings(PrintWriter out) throws LedgerSettings.BadConfigException {
        LedgerSettings file = configFile == null ? new LedgerSettings() : LedgerSettings.read(configFile);
        LedgerSettings cli = new LedgerSettings();
        cli.host = host;
        cli.port = port;
        cli.blockMillis = blockMillis;
        cli.tempo = tempo;
        cli.plaintext = plaintext;
        if (owner != null && ownerKey != null) {
            throw new LedgerSettings.BadConfigException("give --owner or --owner-key, not both");
        }
        if (owner != null) {
            cli.owner = LedgerSettings.ss58(owner, "--owner");
        }
        if (ownerKey != null) {
            cli.owner = ownerKey(ownerKey, out).hotkey().ss58();
        }
        for (Map.Entry<String, Double> e : stakes.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0) || e.getValue().isInfinite()) {
                throw new LedgerSettings.BadConfigException("--stake " + e.getKey() + ": the amount must be a number "
                        + ">= 0");
            }
            cli.stakes.put(LedgerSettings.ss58(e.getKey(), "--stake"), e.getValue());
        }
        return file.overriddenBy(cli);
    }

    /** Loads the owner's hotkey from {@code file} (NAME.key), creating it there first if it does not exist. */
    static HotkeyPair ownerKey(Path file, PrintWriter out) throws LedgerSettings.BadConfigException {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(".key")) {
            throw new LedgerSettings.BadConfigException("--owner-key must name a .key file, got " + file);
        }
        Path folder = file.toAbsolutePath().getParent();
        String name = fileName.substring(0, fileName.length() - 4);
        try {
            HotkeyFiles keys = new HotkeyFiles(folder);
            if (Files.exists(file)) {
                return keys.load(name);
            }
            HotkeyPair pair = keys.create(name);
            out.println("created the owner hotkey " + pair.hotkey().ss58() + " in " + file);
            return pair;
        } catch (IllegalArgumentException | IOException e) {
            throw new LedgerSettings.BadConfigException("--owner-key " + file + ": " + e.getMessage());
        }
    }
}
