package dev.distillery.network.devnet;

import dev.distillery.core.AtomicFiles;
import dev.distillery.model.TeacherProfile;
import dev.distillery.network.crypto.HotkeyFiles;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.miner.ValidatorClient;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.validator.GrpcLedgerLink;
import dev.distillery.network.validator.ValidatorNode;
import dev.distillery.network.validator.ValidatorServer;
import dev.distillery.teacher.library.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole subnet on this computer (DESIGN.md §4 devnet defaults): one ledger, two validators with different stakes
 * and a few simulated competitor miners submitting real students, all over gRPC on loopback. State lives under
 * {@code base} ({@code ledger/}, {@code validator-1/}, {@code validator-2/}, {@code keys/}, {@code sims/}), so a
 * restarted devnet carries on where it stopped. Starts in seconds: the simulated miners submit in the background.
 */
public final class Devnet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

    /** Stakes of the two validators, in tokens: different, so consensus is stake-weighted for real. */
    public static final double[] VALIDATOR_STAKES = {1000, 400};

    /**
     * @param host            loopback address to listen on
     * @param ledgerPort      0: any free port (the embedded devnet)
     * @param validatorPort   first validator's port, the second takes the next; 0: any free ports
     * @param blockMillis     milliseconds per block (devnet 1000)
     * @param tempo           blocks per epoch (devnet 30)
     * @param evalImages      fresh generated scenes per epoch and validator
     * @param simulatedMiners run the simulated competitors
     */
    public record Options(String host, int ledgerPort, int validatorPort, long blockMillis, long tempo, int evalImages,
                          boolean simulatedMiners, SandboxEvaluator.Limits limits) {
        public static Options embedded() {
            return new Options("127.0.0.1", 0, 0, 1000, 30, 48, true, SandboxEvaluator.Limits.defaults());
        }

        public static Options headless() {
            return new Options("127.0.0.1", 7733, 7734, 1000, 30, 48, true, SandboxEvaluator.Limits.defaults());
        }

        public Options withPorts(int ledger, int validator) {
            return new Options(host, ledger, validator, blockMillis, tempo, evalImages, simulatedMiners, limits);
        }

        public Options withClock(long millis, long blocksPerEpoch) {
            return new Options(host, ledgerPort, validatorPort, millis, blocksPerEpoch, evalImages, simulatedMiners,
                    limits);
        }

        public Options withEvalImages(int n) {
            return new Options(host, ledgerPort, validatorPort, blockMillis, tempo, n, simulatedMiners, limits);
        }

        public Options withSimulatedMiners(boolean on) {
            return new Options(host, ledgerPort, validatorPort, blockMillis, tempo, evalImages, on, limits);
        }
    }

    /** A running validator of the devnet. */
    public record Validator(String name, HotkeyPair key, double stake, int port, ValidatorServer server,
                            LedgerClient ledgerClient) {
    }

    /** A simulated miner and how far it got. */
    public record Simulated(String name, String ss58, String quality, int uid, String state) {
    }

    private final Path base;
    private final Options options;
    private final HotkeyPair owner;
    private final LedgerServer ledger;
    private final List<Validator> validators;
    private final List<Simulated> simulated = new CopyOnWriteArrayList<>();
    private final Thread simulation;
    private volatile boolean closed;
    /** One evaluation at a time on this machine: both validators, and the app's own submit preview. */
    private final java.util.concurrent.Semaphore machine;

    private Devnet(Path base, Options options, HotkeyPair owner, LedgerServer ledger, List<Validator> validators,
                   Thread simulation, java.util.concurrent.Semaphore machine) {
        this.machine = machine;
        this.base = base;
        this.options = options;
        this.owner = owner;
        this.ledger = ledger;
        this.validators = validators;
        this.simulation = simulation;
    }

    /**
     * The slot the devnet's validators take to evaluate, one at a time, so that each times a student alone. Anything
     * else in this process that measures latency the validators' way (the submit preview) takes it too: measured
     * beside an evaluation, a preview read 10.4 ms where the validators then measured 7.7 and 2.9.
     */
    public java.util.concurrent.Semaphore machine() {
        return machine;
    }

    /** The devnet's challenge: the default one (DESIGN.md §4) with {@code evalImages} fresh scenes per epoch. */
    public static Challenge challenge(int evalImages) {
        Challenge d = Challenge.devnetDefault();
        return d.withData(Challenge.EvalData.generated(d.data().kind(), evalImages, 0));
    }

    /**
     * Starts the devnet in {@code base}, judging with {@code teacherFile} (the devnet challenge's teacher,
     * PP-OCRv4 det). {@code progress} hears each step in a sentence.
     */
    public static Devnet start(Path base, Path teacherFile, TeacherProfile profile, Options o,
                               Consumer<String> progress) throws IOException {
        return start(base, teacherFile, profile, o, challenge(o.evalImages()), progress);
    }

    /**
     * Starts a devnet whose ledger is created with {@code genesis} (judged with {@code teacherFile}, the challenge's
     * teacher), e.g. a detection challenge. A ledger already in {@code base} keeps its own history: give each
     * challenge its own folder.
     */
    public static Devnet start(Path base, Path teacherFile, TeacherProfile profile, Options o, Challenge genesis,
                               Consumer<String> progress) throws IOException {
        Files.createDirectories(base);
        HotkeyFiles keys = new HotkeyFiles(base.resolve("keys"));
        HotkeyPair owner = loadOrCreate(keys, "owner");
        List<HotkeyPair> vkeys = List.of(loadOrCreate(keys, "validator-1"), loadOrCreate(keys, "validator-2"));
        Map<String, Double> stakes = new LinkedHashMap<>();
        for (int i = 0; i < vkeys.size(); i++) {
            stakes.put(vkeys.get(i).hotkey().ss58(), VALIDATOR_STAKES[i]);
        }
        progress.accept("Starting the ledger");
        Ledger.Config d = Ledger.Config.devnet(owner.hotkey().ss58());
        Ledger.Config config = new Ledger.Config(o.tempo(), d.maxUids(), d.immunityPeriod(), d.maxValidators(),
                d.activityCutoff(), d.kappa(), d.bondsAlpha(), d.bondsPenalty(), d.emissionPerBlock(), d.ownerCut(),
                owner.hotkey().ss58(), genesis);
        LedgerServer ledger = LedgerServer.start(base.resolve("ledger").resolve("ledger"), o.host(), o.ledgerPort(),
                config, o.blockMillis(), hk -> stakes.getOrDefault(hk, 0.0), null, genesis);
        List<Validator> validators = new ArrayList<>();
        // both validators run on this machine: one evaluation at a time, or each would slow the other's latency
        java.util.concurrent.Semaphore machine = new java.util.concurrent.Semaphore(1, true);
        try {
            for (int i = 0; i < vkeys.size(); i++) {
                String name = "validator-" + (i + 1);
                progress.accept("Starting " + name);
                LedgerClient client = LedgerClient.plaintext(o.host(), ledger.port(), vkeys.get(i));
                ValidatorServer server;
                try {
                    client.register(false);
                    server = ValidatorServer.start(
                            new ValidatorNode.Config(base.resolve(name), teacherFile, null, 1, o.limits(), machine),
                            new ValidatorServer.Options(o.host(), o.validatorPort() == 0 ? 0 : o.validatorPort() + i,
                                    null, Math.max(100, o.blockMillis() / 2)),
                            new GrpcLedgerLink(client), profile);
                } catch (IOException | RuntimeException e) {
                    client.close();
                    throw e;
                }
                validators.add(new Validator(name, vkeys.get(i), VALIDATOR_STAKES[i], server.port(), server, client));
            }
        } catch (IOException | RuntimeException e) {
            validators.forEach(Devnet::stop);
            ledger.close();
            throw e;
        }
        Devnet[] self = new Devnet[1];
        Thread sims = new Thread(() -> self[0].simulate(keys), "devnet-simulated-miners");
        sims.setDaemon(true);
        Devnet net = new Devnet(base, o, owner, ledger, List.copyOf(validators), sims, machine);
        self[0] = net;
        net.writeInfo();
        if (o.simulatedMiners()) {
            sims.start();
        }
        progress.accept("Devnet running: ledger on " + o.host() + ":" + ledger.port());
        LOG.info("Devnet running in {}: ledger {}:{}, validators {}", base, o.host(), ledger.port(),
                validators.stream().map(v -> v.name() + "@" + v.port()).toList());
        return net;
    }

    private static HotkeyPair loadOrCreate(HotkeyFiles keys, String name) throws IOException {
        return Files.exists(keys.keyFile(name)) ? keys.load(name) : keys.create(name);
    }

    /** Registers, commits and uploads each simulated miner's student; retries while the devnet runs. */
    private void simulate(HotkeyFiles keys) {
        for (SimulatedMiner.Spec spec : SimulatedMiner.DEFAULTS) {
            int attempt = 0;
            while (!closed) {
                try {
                    HotkeyPair key = loadOrCreate(keys, spec.name());
                    SimulatedMiner miner = new SimulatedMiner(spec, key, base.resolve("sims"));
                    Map<String, ValidatorClient> clients = new LinkedHashMap<>();
                    try (LedgerClient lc = LedgerClient.plaintext(options.host(), ledger.port(), key)) {
                        for (Validator v : validators) {
                            clients.put(v.name(), ValidatorClient.plaintext(options.host(), v.port(), key));
                        }
                        int uid = miner.submit(lc, clients);
                        simulated.add(new Simulated(spec.name(), key.hotkey().ss58(), spec.quality(), uid, "submitted"));
                    } finally {
                        clients.values().forEach(ValidatorClient::close);
                    }
                    break;
                } catch (IOException | RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    LOG.warn("Simulated miner {} could not submit (attempt {}): {}", spec.name(), ++attempt,
                            e.getMessage());
                    try {
                        Thread.sleep(Math.min(30_000, 1000L << Math.min(attempt, 5)));
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Writes {@code devnet.json}: where everything listens, so other tools on this machine can connect. */
    private void writeInfo() throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("ledger", options.host() + ":" + ledger.port());
        List<Map<String, Object>> vs = new ArrayList<>();
        for (Validator v : validators) {
            vs.add(Map.of("name", v.name(), "address", options.host() + ":" + v.port(), "hotkey",
                    v.key().hotkey().ss58(), "stake", v.stake()));
        }
        info.put("validators", vs);
        info.put("owner", owner.hotkey().ss58());
        info.put("blockMillis", options.blockMillis());
        info.put("tempo", options.tempo());
        AtomicFiles.write(base.resolve("devnet.json"), Json.write(info).getBytes(StandardCharsets.UTF_8));
    }

    public Path base() {
        return base;
    }

    public Options options() {
        return options;
    }

    public String host() {
        return options.host();
    }

    public int ledgerPort() {
        return ledger.port();
    }

    public LedgerServer ledger() {
        return ledger;
    }

    public List<Validator> validators() {
        return validators;
    }

    /** The subnet owner's key (it may change the challenge). */
    public HotkeyPair owner() {
        return owner;
    }

    /** The simulated miners that have submitted so far. */
    public List<Simulated> simulated() {
        return List.copyOf(simulated);
    }

    /** Waits until the simulated miners have all submitted (or the time is up); true if they have. */
    public boolean awaitSimulated(long millis) throws InterruptedException {
        simulation.join(millis);
        return !simulation.isAlive();
    }

    private static void stop(Validator v) {
        v.server().close();
        v.ledgerClient().close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        simulation.interrupt();
        validators.forEach(Devnet::stop);
        ledger.close();
        LOG.info("Devnet stopped");
    }
}
