package dev.distillery.cli;

import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.score.Challenge;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery challenge show|history|change}: read a ledger's challenge, or change it as the subnet owner. */
@Command(name = "challenge", description = {"Show a ledger's challenge and its history, or change the scoring terms",
    "as the subnet owner (in force from the epoch after the one in progress)."},
        subcommands = {ChallengeCommand.Show.class, ChallengeCommand.History.class, ChallengeCommand.Change.class})
final class ChallengeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return DistilleryCommand.EXIT_USAGE;
    }

    /** Where the ledger is and how to reach it. */
    static final class Target {
        @Option(names = "--ledger", required = true, paramLabel = "HOST:PORT", description = "The ledger's address")
        String ledger;
        @Option(names = "--pin", paramLabel = "SHA256", description = "The ledger's TLS certificate fingerprint, as "
                + "`distillery ledger` prints it (without it: plaintext)")
        String pin;

        LedgerClient connect(HotkeyPair key) throws LedgerSettings.BadConfigException {
            int colon = ledger.lastIndexOf(':');
            int port;
            try {
                port = Integer.parseInt(ledger.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new LedgerSettings.BadConfigException("--ledger must be HOST:PORT, got " + ledger);
            }
            String host = ledger.substring(0, colon);
            return pin == null ? LedgerClient.plaintext(host, port, key) : LedgerClient.pinned(host, port, pin, key);
        }
    }

    /** Runs a call against the ledger: bad options exit 2, a refusal or an unreachable ledger exits 1 in one line. */
    interface Call {
        void run(PrintWriter out) throws LedgerSettings.BadConfigException;
    }

    static int run(CommandSpec spec, Call call) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            call.run(out);
            out.flush();
            return 0;
        } catch (LedgerSettings.BadConfigException e) {
            err.println("distillery: " + e.getMessage());
            return DistilleryCommand.EXIT_USAGE;
        } catch (StatusRuntimeException e) {
            err.println("distillery: the ledger said " + e.getStatus().getCode() + ": "
                    + e.getStatus().getDescription());
            return DistilleryCommand.EXIT_ERROR;
        } finally {
            err.flush();
        }
    }

    static String terms(double latencyMs, long sizeCap, double speedFloorMs, long sizeFloor, double q, double s,
                        double z) {
        return String.format(Locale.ROOT, "p95 <= %s ms, size <= %d bytes, floors %s ms / %d bytes, "
                + "score = %s*quality + %s*speed + %s*size", latencyMs, sizeCap, speedFloorMs, sizeFloor, q, s, z);
    }

    static String line(ChallengeChange c) {
        return "version " + c.getVersion() + " from epoch " + c.getEffectiveEpoch() + ": "
                + terms(c.getLatencyBudgetMs(), c.getSizeCapBytes(), c.getSpeedFloorMs(), c.getSizeFloorBytes(),
                        c.getWeights().getQuality(), c.getWeights().getSpeed(), c.getWeights().getSize())
                + (c.getAnnouncedBy().isEmpty() ? " (genesis)" : " (announced at block " + c.getAnnouncedBlock()
                        + " by " + c.getAnnouncedBy() + ")")
                + (c.getNote().isEmpty() || c.getAnnouncedBy().isEmpty() ? "" : " — " + c.getNote());
    }

    @Command(name = "show", description = "The challenge of an epoch (default: the one in progress) and any change "
            + "announced after it")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Option(names = "--epoch", defaultValue = "0", description = "Epoch (0: the one in progress)")
        long epoch;
        @Option(names = "--json", description = "Print the whole challenge as JSON (what validators score with)")
        boolean json;

        @Override
        public Integer call() {
            return run(spec, out -> {
                try (LedgerClient c = target.connect(null)) {
                    LedgerClient.ChallengeInfo info = c.challenge(epoch);
                    Challenge ch = info.challenge();
                    if (json) {
                        out.println(ch.toJson());
                        return;
                    }
                    out.println("epoch " + info.epoch() + ": " + ch.id() + " version " + info.version()
                            + " (from epoch " + info.effectiveEpoch() + ")");
                    out.println("  " + terms(ch.latencyBudgetMs(), ch.sizeCapBytes(), ch.speedFloorMs(),
                            ch.sizeFloorBytes(), ch.weights().quality(), ch.weights().speed(), ch.weights().size()));
                    info.pending().ifPresent(p -> out.println("pending: " + line(p)));
                }
            });
        }
    }

    @Command(name = "history", description = "Every version of the challenge, genesis first")
    static final class History implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return run(spec, out -> {
                try (LedgerClient c = target.connect(null)) {
                    c.challengeHistory().forEach(v -> out.println(line(v)));
                }
            });
        }
    }

    @Command(name = "change", description = {"As the subnet owner, change the scoring terms from the epoch after the",
        "one in progress. Terms not given stay as in the latest version."})
    static final class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Option(names = "--key", required = true, paramLabel = "FILE.key", description = "The owner's hotkey file")
        Path key;
        @Option(names = "--latency-ms", description = "Latency budget (p95 ms)")
        Double latencyMs;
        @Option(names = "--size-cap", description = "Size cap (bytes)")
        Long sizeCap;
        @Option(names = "--speed-floor-ms", description = "Latency at which the speed term is 1")
        Double speedFloorMs;
        @Option(names = "--size-floor", description = "Size (bytes) at which the size term is 1")
        Long sizeFloor;
        @Option(names = "--weights", paramLabel = "Q,S,Z", split = ",", description = "Score weights of quality, "
                + "speed and size")
        List<Double> weights;
        @Option(names = "--note", defaultValue = "", description = "Why, shown to miners")
        String note;

        @Override
        public Integer call() {
            return run(spec, out -> {
                if (weights != null && weights.size() != 3) {
                    throw new LedgerSettings.BadConfigException("--weights takes three numbers Q,S,Z, got "
                            + weights);
                }
                HotkeyPair owner = load(key);
                try (LedgerClient c = target.connect(owner)) {
                    List<ChallengeChange> history = c.challengeHistory();
                    ChallengeChange latest = history.get(history.size() - 1);
                    Challenge.Weights w = weights != null ? new Challenge.Weights(weights.get(0), weights.get(1),
                            weights.get(2)) : new Challenge.Weights(latest.getWeights().getQuality(),
                            latest.getWeights().getSpeed(), latest.getWeights().getSize());
                    var r = c.changeChallenge(w, latencyMs != null ? latencyMs : latest.getLatencyBudgetMs(),
                            sizeCap != null ? sizeCap : latest.getSizeCapBytes(),
                            speedFloorMs != null ? speedFloorMs : latest.getSpeedFloorMs(),
                            sizeFloor != null ? sizeFloor : latest.getSizeFloorBytes(), note);
                    out.println("announced version " + r.getVersion() + " at block " + r.getBlock()
                            + ", in force from epoch " + r.getEffectiveEpoch());
                }
            });
        }

        static HotkeyPair load(Path file) throws LedgerSettings.BadConfigException {
            String name = file.getFileName().toString();
            if (!name.endsWith(".key")) {
                throw new LedgerSettings.BadConfigException("--key must name a .key file, got " + file);
            }
            try {
                return new HotkeyFiles(file.toAbsolutePath().getParent()).load(name.substring(0, name.length() - 4));
            } catch (IOException | IllegalArgumentException e) {
                throw new LedgerSettings.BadConfigException("--key " + file + ": " + e.getMessage());
            }
        }
    }
}
