package dev.distillery.cli;

import dev.distillery.core.DataDirectory;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code distillery ledger}: a headless subnet ledger over gRPC, TLS with a pinned self-signed certificate. */
@Command(name = "ledger", description = {"Run a subnet ledger headless: blocks on a clock, registry, commitments,",
    "weights and a Yuma epoch every tempo, served over gRPC (distillery.v1.Ledger). State in",
    "<data>/ledger/ledger.mv.db; stop with Ctrl+C (a kill loses at most the epoch being applied)."})
final class LedgerCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", defaultValue = "7733", description = "Port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--block-ms", defaultValue = "1000", description = "Milliseconds per block (default ${DEFAULT-VALUE})")
    long blockMillis;
    @Option(names = "--tempo", defaultValue = "30", description = "Blocks per epoch (default ${DEFAULT-VALUE})")
    long tempo;
    @Option(names = "--owner", defaultValue = "owner", description = "Hotkey (SS58) that receives the owner's cut")
    String owner;
    @Option(names = "--stake", paramLabel = "HOTKEY=AMOUNT", description = "Stake a hotkey (SS58) brings when it "
            + "registers, in tokens; repeat for each validator (no staking transactions yet)")
    java.util.Map<String, Double> stakes = new java.util.HashMap<>();
    @Option(names = "--plaintext", description = "Serve without TLS (default: TLS with a self-signed certificate made "
            + "on first start in <data>/ledger/tls; clients pin its fingerprint)")
    boolean plaintext;

    @Override
    public Integer call() throws Exception {
        if (blockMillis < 10 || tempo < 1 || port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need --block-ms ≥ 10, --tempo ≥ 1 and a port in 0..65535");
        }
        DataDirectory dir = DataDirectory.open(root.dataDirectory());
        Ledger.Config d = Ledger.Config.devnet(owner);
        Ledger.Config config = new Ledger.Config(tempo, d.maxUids(), d.immunityPeriod(), d.maxValidators(),
                d.activityCutoff(), d.kappa(), d.bondsAlpha(), d.bondsPenalty(), d.emissionPerBlock(), d.ownerCut(),
                owner);
        java.nio.file.Files.createDirectories(dir.root().resolve("ledger"));
        PrintWriter out = spec.commandLine().getOut();
        dev.distillery.network.tls.ServerIdentity tls = plaintext ? null
                : dev.distillery.network.tls.ServerIdentity.loadOrCreate(dir.root().resolve("ledger").resolve("tls"),
                        host);
        try (LedgerServer server = LedgerServer.start(dir.root().resolve("ledger").resolve("ledger"), host, port,
                config, blockMillis, hotkey -> stakes.getOrDefault(hotkey, 0.0), tls)) {
            out.printf("ledger listening on %s:%d (%s), block %d, tempo %d%n", host, server.port(),
                    tls == null ? "plaintext" : "TLS, certificate sha256 " + tls.fingerprint(),
                    server.ledger().block(), tempo);
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ledger-shutdown"));
            server.awaitTermination();
        }
        return 0;
    }
}
