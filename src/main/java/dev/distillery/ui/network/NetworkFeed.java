package dev.distillery.ui.network;

import dev.distillery.core.Plural;
import dev.distillery.network.crypto.Hotkey;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.devnet.Devnet;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.miner.EpochFollower;
import dev.distillery.network.miner.ValidatorClient;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.tls.TrustOnFirstUse;
import dev.distillery.store.NetworkStore;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.miner.MinerAccount;
import io.grpc.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's link to the network: the embedded devnet (by default, started off the FX thread) or a remote ledger and
 * validators over TLS with pinned certificates. While connected it
 * <ul>
 *   <li>reads the ledger every second into a {@link NetworkSnapshot} for the screens and the status bar;</li>
 *   <li>stores every epoch report in the app's database through an {@link EpochFollower}, which reconnects with
 *       back-off and resumes after the last epoch stored, so none is missed or stored twice;</li>
 *   <li>follows every validator's submission statuses: the best current score for the challenge card, and the
 *       user's own submissions, whose every change is stored with its timeline and announced.</li>
 * </ul>
 * Closing stops all of it (and the devnet).
 */
public final class NetworkFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFeed.class);
    /** Setting: start the embedded devnet with the app (default true). */
    public static final String AUTOSTART = "network.devnet.autostart";
    /** System property that overrides {@link #AUTOSTART} (UI tests turn the devnet off). */
    public static final String AUTOSTART_PROPERTY = "distillery.devnet.autostart";
    /** Setting: "devnet" (default) or "remote". */
    public static final String MODE = "network.mode";
    /** Setting: the remote ledger's host:port. */
    public static final String REMOTE_LEDGER = "network.remote.ledger";
    /** Setting: the remote validators' host:port, separated by commas or spaces. */
    public static final String REMOTE_VALIDATORS = "network.remote.validators";
    /** Setting prefix: the pinned certificate fingerprint of host:port. */
    public static final String PIN_PREFIX = "network.pin.";
    /**
     * The local devnet's challenge as JSON ({@link dev.distillery.network.devnet.DevnetChallenges}); unset or empty:
     * the built-in text-map challenge with simulated competitors.
     */
    public static final String DEVNET_CHALLENGE = "network.devnet.challenge";
    static final String SOURCE = "Local devnet";
    private static final int RECENT_EPOCHS = 8;

    /** A server: a name for people, where it listens, and its pinned fingerprint (null: plaintext loopback). */
    public record Endpoint(String name, String host, int port, String pin) {
        public String address() {
            return host + ":" + port;
        }

        /** "host:port" → an endpoint named after it; throws IllegalArgumentException with a readable message. */
        public static Endpoint parse(String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new IllegalArgumentException("“" + t + "” is not host:port (for example ledger.example.org:7400)");
            }
            int port;
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("“" + t + "”: the port must be a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("“" + t + "”: the port must be between 1 and 65535");
            }
            return new Endpoint(t, t.substring(0, colon), port, null);
        }

        Endpoint pinned(String fingerprint) {
            return new Endpoint(name, host, port, fingerprint);
        }
    }

    /** What the app is connected to. {@code devnet} is set for the embedded devnet. */
    public record Link(String source, String ledgerId, Endpoint ledger, List<Endpoint> validators, Devnet devnet) {
        public LedgerClient ledgerClient(HotkeyPair key) {
            return ledger.pin() == null ? LedgerClient.plaintext(ledger.host(), ledger.port(), key)
                    : LedgerClient.pinned(ledger.host(), ledger.port(), ledger.pin(), key);
        }

        public ValidatorClient validatorClient(Endpoint v, HotkeyPair key) throws IOException {
            return v.pin() == null ? ValidatorClient.plaintext(v.host(), v.port(), key)
                    : ValidatorClient.pinned(v.host(), v.port(), v.pin(), key);
        }
    }

    /** A validator's latest status for one submission. */
    public record Seen(String validator, SubmissionStatus status) {
    }

    private final ShellContext ctx;
    private final ReadOnlyObjectWrapper<NetworkSnapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot",
            NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STOPPED, null));
    private final Notices notices;
    private final Map<String, Seen> statuses = new ConcurrentHashMap<>();
    /** The user's submissions on the current link (ids), loaded from the store and added by submit. */
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private final Map<String, NetworkStore.Submission> stored = new ConcurrentHashMap<>();
    private final Map<String, Boolean> validatorUp = new ConcurrentHashMap<>();
    private volatile Link link;
    private volatile Devnet devnet;
    private volatile LedgerClient reader;
    private volatile EpochFollower follower;
    private volatile EpochFollower.State followerState;
    private volatile String mineFor;
    private ScheduledExecutorService poller;
    private final List<Context.CancellableContext> watches = new ArrayList<>();
    private volatile boolean closed;
    private volatile long generation;

    public NetworkFeed(ShellContext ctx) {
        this.ctx = ctx;
        this.notices = new Notices(ctx);
    }

    public ReadOnlyObjectProperty<NetworkSnapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    /** The notifications shown (new best score, score drop, validator unreachable, rejection…). */
    public Notices notices() {
        return notices;
    }

    /** Whether the app should start the devnet now (setting, overridden by the system property). */
    public boolean autostart() {
        String p = System.getProperty(AUTOSTART_PROPERTY);
        if (p != null) {
            return Boolean.parseBoolean(p);
        }
        return ctx.settings().getBoolean(AUTOSTART, true);
    }

    /** Whether the user chose a remote network over the devnet. */
    public boolean remoteMode() {
        return "remote".equals(ctx.settings().get(MODE, "devnet"));
    }

    /** At app start: the remote network when chosen, else the devnet when it starts automatically. */
    public void startDefault() {
        if (remoteMode()) {
            try {
                connectRemote(remoteLedger(), remoteValidators());
            } catch (IllegalArgumentException e) {
                publish(NetworkSnapshot.of("Remote network", NetworkSnapshot.State.STOPPED,
                        "The remote network settings are not valid: " + e.getMessage() + ". Fix them with Connection… on the Network screen."));
            }
        } else if (autostart()) {
            startDevnet();
        }
    }

    /** The remote ledger from the settings. */
    public Endpoint remoteLedger() {
        String s = ctx.settings().get(REMOTE_LEDGER, "");
        if (s.isBlank()) {
            throw new IllegalArgumentException("no ledger address is set");
        }
        return Endpoint.parse(s);
    }

    /** The remote validators from the settings. */
    public List<Endpoint> remoteValidators() {
        List<Endpoint> out = new ArrayList<>();
        for (String part : ctx.settings().get(REMOTE_VALIDATORS, "").split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(Endpoint.parse(part));
            }
        }
        return out;
    }

    /**
     * The embedded devnet's options: 1 s blocks, 30 per epoch, unless the system properties
     * {@code distillery.devnet.blockMillis}, {@code .tempo}, {@code .evalImages} or {@code .simulated} say otherwise
     * (tests and demos run faster epochs).
     */
    static Devnet.Options embeddedOptions() {
        Devnet.Options o = Devnet.Options.embedded();
        long ms = Long.getLong("distillery.devnet.blockMillis", o.blockMillis());
        long tempo = Long.getLong("distillery.devnet.tempo", o.tempo());
        o = o.withClock(ms, tempo).withEvalImages(Integer.getInteger("distillery.devnet.evalImages", o.evalImages()));
        String sim = System.getProperty("distillery.devnet.simulated");
        return sim == null ? o : o.withSimulatedMiners(Boolean.parseBoolean(sim));
    }

    /** The challenge the local devnet judges when it is not the built-in one, or null for the built-in one. */
    public Challenge devnetChallenge() {
        String json = ctx.settings().get(DEVNET_CHALLENGE, "");
        if (json.isBlank()) {
            return null;
        }
        try {
            return Challenge.fromJson(json);
        } catch (RuntimeException e) {
            LOG.warn("The stored devnet challenge does not read; the built-in one is used", e);
            return null;
        }
    }

    /** The running devnet, or null. */
    public Devnet devnet() {
        return devnet;
    }

    /** What the app is connected to, or null. */
    public Link link() {
        return link;
    }

    /** The latest status each validator gave for each submission id it knows. */
    public Map<String, Seen> statuses() {
        return Map.copyOf(statuses);
    }

    /**
     * Stops the devnet (off the FX thread: its validators take a moment to stop) and starts it again, e.g. with
     * another challenge ({@link #DEVNET_CHALLENGE}).
     */
    public void restartDevnet() {
        Background.tasks().execute(() -> {
            synchronized (this) {
                disconnect();
            }
            Platform.runLater(this::startDevnet);
        });
    }

    /** Starts the embedded devnet in the background; does nothing when it runs or is starting. */
    public synchronized void startDevnet() {
        if (devnet != null || closed || snapshot.get().state() == NetworkSnapshot.State.STARTING) {
            return;
        }
        disconnect();
        long gen = generation;
        publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STARTING, "Starting the local devnet…"));
        Background.tasks().execute(() -> {
            try {
                Challenge chosen = devnetChallenge();
                Teacher t;
                try {
                    t = ctx.teachers().bySha256(chosen == null ? Challenge.DEVNET_TEACHER_SHA256
                            : chosen.teacherSha256());
                } catch (RuntimeException missing) {
                    if (chosen == null) {
                        throw missing;
                    }
                    publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STOPPED, "The local devnet did not "
                            + "start: the teacher of its challenge '" + chosen.id() + "' (SHA-256 "
                            + chosen.teacherSha256().substring(0, 12) + "…) is no longer in your library. Import it "
                            + "again on the Teachers screen, or choose another challenge in Connect."));
                    return;
                }
                Path folder = dev.distillery.network.devnet.DevnetChallenges.folder(
                        ctx.session().dataDirectory().root(), chosen);
                java.util.function.Consumer<String> steps = step -> publish(NetworkSnapshot.of(SOURCE,
                        NetworkSnapshot.State.STARTING, step + "…"));
                Devnet net = chosen == null
                        ? Devnet.start(folder, ctx.teachers().fileOf(t), t.profile(), embeddedOptions(), steps)
                        // the simulated miners make text-map students: a challenge of the user's own has none
                        : Devnet.start(folder, ctx.teachers().fileOf(t), t.profile(),
                        embeddedOptions().withSimulatedMiners(false), chosen, steps);
                synchronized (this) {
                    if (closed || gen != generation) {
                        net.close();
                        return;
                    }
                    devnet = net;
                    List<Endpoint> vals = new ArrayList<>();
                    for (Devnet.Validator v : net.validators()) {
                        vals.add(new Endpoint(v.name(), net.host(), v.port(), null));
                    }
                    // the devnet listens on new ports at each start: its rows are filed under its owner's key
                    open(new Link(SOURCE, net.owner().hotkey().ss58(),
                            new Endpoint("ledger", net.host(), net.ledgerPort(), null), vals, net));
                }
            } catch (Exception | LinkageError e) {
                LOG.error("The local devnet did not start", e);
                String why = e instanceof dev.distillery.store.StoreLockedException
                        ? "its files in " + dev.distillery.network.devnet.DevnetChallenges.folder(
                        ctx.session().dataDirectory().root(), devnetChallenge()) + " are in use by "
                        + "another process, most likely 'distillery devnet' running in a terminal on this data "
                        + "directory. Stop that one, then press Start"
                        : e.getMessage() + ". See the log for details; Start tries again";
                publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STOPPED, "The local devnet did not start: "
                        + why + "."));
            }
        });
    }

    /**
     * Connects to a remote ledger and validators over TLS, in the background. Each server's certificate is read
     * first: one never seen is pinned (trust on first use); one that differs from its pin stops the connection
     * with a loud warning ({@link NetworkSnapshot.State#UNTRUSTED}) until the user accepts it with
     * {@link #trustNewCertificates}.
     */
    public synchronized void connectRemote(Endpoint ledgerEndpoint, List<Endpoint> validatorEndpoints) {
        if (closed) {
            return;
        }
        disconnect();
        long gen = generation;
        String source = "Ledger " + ledgerEndpoint.address();
        publish(NetworkSnapshot.of(source, NetworkSnapshot.State.STARTING, "Connecting to " + source + "…"));
        Background.tasks().execute(() -> {
            List<String> warnings = new ArrayList<>();
            List<String> firstUse = new ArrayList<>();
            Endpoint ledgerPinned;
            List<Endpoint> vals = new ArrayList<>();
            Map<Endpoint, String> leftOut = new LinkedHashMap<>();
            try {
                ledgerPinned = pin(ledgerEndpoint, warnings, firstUse);
            } catch (IOException e) {
                publish(NetworkSnapshot.of(source, NetworkSnapshot.State.UNREACHABLE, "Could not reach "
                        + e.getMessage() + ". Check the address and that the server runs, then Connect again."));
                return;
            }
            // A validator that does not answer does not keep the user off the network: with a pin from before it is
            // followed as "unreachable, retrying" like one that goes down later; never seen, its certificate cannot
            // be pinned, so it is left out until the next Connect, and the user is told.
            for (Endpoint v : validatorEndpoints) {
                try {
                    vals.add(pin(v, warnings, firstUse));
                } catch (IOException e) {
                    Optional<String> known = pins().pinned(v.address());
                    if (known.isPresent()) {
                        vals.add(v.pinned(known.get()));
                    } else {
                        leftOut.put(v, e.getMessage());
                    }
                }
            }
            if (!warnings.isEmpty()) {
                String text = String.join("\n\n", warnings);
                LOG.warn("Certificate changed: {}", text);
                publish(NetworkSnapshot.of(source, NetworkSnapshot.State.UNTRUSTED, text));
                notices.certificateChanged(text);
                return;
            }
            for (String f : firstUse) {
                LOG.info("Pinned on first use: {}", f);
            }
            synchronized (this) {
                if (closed || gen != generation) {
                    return;
                }
                open(new Link(source, ledgerEndpoint.address(), ledgerPinned, vals, null));
            }
            leftOut.forEach((v, why) -> notices.validatorLeftOut(v.name(), v.address(), why));
        });
    }

    private Endpoint pin(Endpoint e, List<String> warnings, List<String> firstUse) throws IOException {
        String fp;
        try {
            fp = TrustOnFirstUse.probe(e.host(), e.port(), 5000);
        } catch (IOException ex) {
            throw new IOException(e.address() + " (" + ex.getMessage() + ")", ex);
        }
        TrustOnFirstUse.Verdict v = TrustOnFirstUse.check(e.address(), fp, pins());
        if (v instanceof TrustOnFirstUse.Changed c) {
            warnings.add(c.warning(e.address()));
        } else if (v instanceof TrustOnFirstUse.FirstUse f) {
            firstUse.add(e.address() + " " + f.fingerprint());
        }
        return e.pinned(v.fingerprint());
    }

    /** Fingerprints pinned in the settings. */
    public TrustOnFirstUse.PinStore pins() {
        return new TrustOnFirstUse.PinStore() {
            @Override
            public Optional<String> pinned(String address) {
                return ctx.settings().get(PIN_PREFIX + address);
            }

            @Override
            public void pin(String address, String fingerprint) {
                ctx.settings().put(PIN_PREFIX + address, fingerprint);
            }
        };
    }

    /**
     * After a changed-certificate warning, the user's decision to trust what the servers present now (they
     * reinstalled them). Re-reads and re-pins each, then connects. Runs in the background.
     */
    public void trustNewCertificates(Endpoint ledgerEndpoint, List<Endpoint> validatorEndpoints) {
        Background.tasks().execute(() -> {
            try {
                for (Endpoint e : concat(ledgerEndpoint, validatorEndpoints)) {
                    ctx.settings().put(PIN_PREFIX + e.address(), TrustOnFirstUse.probe(e.host(), e.port(), 5000)
                            .replace(":", "").toLowerCase(Locale.ROOT));
                }
            } catch (IOException e) {
                publish(NetworkSnapshot.of("Ledger " + ledgerEndpoint.address(), NetworkSnapshot.State.UNREACHABLE,
                        "Could not read the certificate: " + e.getMessage()));
                return;
            }
            Platform.runLater(() -> connectRemote(ledgerEndpoint, validatorEndpoints));
        });
    }

    private static List<Endpoint> concat(Endpoint first, List<Endpoint> rest) {
        List<Endpoint> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Starts reading the network behind {@code l}. Holds the monitor. */
    private void open(Link l) {
        long gen = generation;
        link = l;
        reader = l.ledgerClient(null);
        statuses.clear();
        validatorUp.clear();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "network-feed");
            th.setDaemon(true);
            return th;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS);
        follower = EpochFollower.start(new EpochFollower.Address(l.ledger().host(), l.ledger().port(),
                l.ledger().pin(), l.ledgerId()), ctx.session().database().network(),
                s -> onFollower(gen, l.ledgerId(), s));
        for (Endpoint v : l.validators()) {
            watch(l, v, 0);
        }
    }

    private void onFollower(long gen, String ledgerId, EpochFollower.State s) {
        if (gen != generation) {
            return; // a follower of a link already left (its STOPPED arrives after the next connection began)
        }
        followerState = s;
        // the status line says whether the epoch stream is reconnecting; read the snapshot on the FX thread, where
        // it is current, rather than republishing one read here that may already be stale. The stored epoch is
        // announced in the same runnable: a screen that re-reads the store on the announcement renders after the
        // status line has the epoch, never between the two
        Platform.runLater(() -> {
            if (gen != generation) {
                return; // the link was left while this waited: its epochs are not the followed ledger's
            }
            if (s instanceof EpochFollower.State.Connected c) {
                ctx.miner().epochStored(ledgerId, c.epoch());
            }
            NetworkSnapshot last = snapshot.get();
            if ((last.state() == NetworkSnapshot.State.RUNNING
                    || last.state() == NetworkSnapshot.State.UNREACHABLE)) {
                ctx.networkStatusProperty().set(statusLine(last));
            }
        });
    }

    /** Follows every status of validator {@code v}; a broken stream is retried with back-off. */
    private void watch(Link l, Endpoint v, long attempt) {
        if (closed || link != l) {
            return;
        }
        try {
            ValidatorClient client = l.validatorClient(v, null);
            Context.CancellableContext c = client.follow(null, s -> {
                if (Boolean.FALSE.equals(validatorUp.put(v.name(), true))) {
                    LOG.info("Validator {} answers again", v.name());
                }
                onStatus(v.name(), s);
            }, err -> {
                client.close();
                validatorDown(l, v, attempt, err.getMessage());
            });
            // a watch cancelled by disconnect() closes its channel too, or it would linger until collected
            c.addListener(cancelled -> client.close(), Background.tasks());
            synchronized (watches) {
                watches.add(c);
            }
            validatorUp.putIfAbsent(v.name(), true);
        } catch (IOException | RuntimeException e) {
            validatorDown(l, v, attempt, e.getMessage());
        }
    }

    private void validatorDown(Link l, Endpoint v, long attempt, String why) {
        if (closed || link != l) {
            return;
        }
        Boolean was = validatorUp.put(v.name(), false);
        if (!Boolean.FALSE.equals(was)) {
            notices.validatorUnreachable(v.name(), v.address(), why);
        }
        long delay = Math.min(30_000, 500L << Math.min(6, attempt));
        ScheduledExecutorService p = poller;
        if (p != null && !p.isShutdown()) {
            p.schedule(() -> watch(l, v, attempt + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void onStatus(String validator, SubmissionStatus s) {
        Seen before = statuses.put(s.getSubmissionId(), new Seen(validator, s));
        if (mine.contains(s.getSubmissionId()) && (before == null || !same(before.status(), s))) {
            apply(s);
        }
    }

    /** Stores a status of one of the user's submissions when it differs from what is stored, and announces it. */
    private synchronized void apply(SubmissionStatus s) {
        NetworkStore.Submission old = stored.get(s.getSubmissionId());
        if (old == null) {
            return;
        }
        String state = stateName(s);
        boolean changed = !state.equals(old.state()) || !java.util.Objects.equals(old.epoch(), epochOf(s))
                || !java.util.Objects.equals(old.score(), scoreOf(s));
        if (!changed) {
            return;
        }
        boolean judged = s.getState() == SubmissionState.SUBMISSION_STATE_SCORED
                || s.getState() == SubmissionState.SUBMISSION_STATE_REJECTED;
        NetworkStore.Submission now = new NetworkStore.Submission(old.id(), old.ledgerId(), old.validator(),
                old.hotkey(), old.modelSha256(), old.studentPath(), state, scoreOf(s),
                judged && s.getQuality() >= 0 ? s.getQuality() : null,
                s.getLatencyP95Ms() > 0 ? s.getLatencyP95Ms() : null, s.getSizeBytes() > 0 ? s.getSizeBytes() : null,
                s.getReason().isBlank() ? null : s.getReason(), epochOf(s), old.createdAt(), Instant.now());
        Double bestBefore = bestOfMine(now);
        ctx.session().database().network().putSubmission(now, Instant.now());
        stored.put(now.id(), now);
        ctx.miner().submissionsChanged();
        notices.submissionChanged(old, now, bestBefore);
    }

    /** The user's best score before this one, over their other submissions and this one's previous score. */
    private Double bestOfMine(NetworkStore.Submission except) {
        Double best = null;
        for (NetworkStore.Submission s : stored.values()) {
            if (!s.id().equals(except.id()) && s.score() != null && (best == null || s.score() > best)) {
                best = s.score();
            }
        }
        return best;
    }

    private static boolean same(SubmissionStatus a, SubmissionStatus b) {
        return a.getState() == b.getState() && a.getEpoch() == b.getEpoch() && a.getScore() == b.getScore()
                && a.getReason().equals(b.getReason());
    }

    /** The state stored for a status: the timeline's step name. */
    static String stateName(SubmissionStatus s) {
        return dev.distillery.network.miner.Submitter.stepOf(s).name();
    }

    private static Long epochOf(SubmissionStatus s) {
        return s.getEpoch() > 0 ? s.getEpoch() : null;
    }

    private static Double scoreOf(SubmissionStatus s) {
        return s.getState() == SubmissionState.SUBMISSION_STATE_SCORED
                || s.getState() == SubmissionState.SUBMISSION_STATE_REJECTED ? s.getScore() : null;
    }

    /**
     * Records a new submission of the user (made by the submit flow) so its every status change is stored and
     * announced from now on, whether or not its dialog stays open.
     */
    public void track(NetworkStore.Submission s, Instant committedAt) {
        NetworkStore network = ctx.session().database().network();
        network.putSubmission(new NetworkStore.Submission(s.id(), s.ledgerId(), s.validator(), s.hotkey(),
                s.modelSha256(), s.studentPath(), "COMMITTED", null, null, null, s.sizeBytes(), null, null,
                committedAt, committedAt), committedAt);
        network.putSubmission(s, Instant.now());
        stored.put(s.id(), s);
        mine.add(s.id());
        ctx.miner().submissionsChanged();
        Seen seen = statuses.get(s.id());
        if (seen != null) {
            apply(seen.status());
        }
    }

    /** Loads the user's stored submissions on this network (after connecting or changing wallet). */
    private void loadMine(String ledgerId, String hotkey) {
        String key = ledgerId + "/" + hotkey;
        if (key.equals(mineFor)) {
            return;
        }
        mine.clear();
        stored.clear();
        for (NetworkStore.Submission s : ctx.session().database().network().submissions(ledgerId, hotkey)) {
            mine.add(s.id());
            stored.put(s.id(), s);
        }
        mineFor = key;
        for (String id : mine) {
            Seen seen = statuses.get(id);
            if (seen != null) {
                apply(seen.status());
            }
        }
    }

    private void poll() {
        long gen = generation;
        Link l = link;
        LedgerClient c = reader;
        if (l == null || c == null || closed) {
            return;
        }
        try {
            MetagraphResponse m = c.metagraph();
            LedgerClient.ChallengeInfo ch = c.challenge(0);
            Map<String, String> labels = l.devnet() != null ? labels(l.devnet()) : Map.of();
            var wallet = ctx.miner().walletProperty().get();
            var key = ctx.miner().keyProperty().get();
            NetworkSnapshot.Account account = null;
            List<NetworkSnapshot.Row> rows = new ArrayList<>();
            int myUid = -1;
            for (Neuron n : m.getNeuronsList()) {
                String label = labels.get(n.getHotkeySs58());
                if (wallet != null && wallet.ss58().equals(n.getHotkeySs58())) {
                    myUid = n.getUid();
                    label = "you (" + wallet.name() + ")";
                }
                rows.add(new NetworkSnapshot.Row(n.getUid(), n.getHotkeySs58(), label, n.getSimulated(),
                        n.getStake() / 1e9, n.getIncentive(), n.getDividends(), n.getEmission(), n.getConsensus(),
                        n.getValidatorTrust(), n.getValidatorPermit(), n.getActive(), n.getLastUpdate()));
            }
            if (wallet != null) {
                long balance = -1;
                try {
                    balance = c.balance(Hotkey.fromSs58(wallet.ss58()).bytes()).getFree();
                } catch (RuntimeException e) {
                    LOG.debug("balance: {}", e.getMessage());
                }
                account = new NetworkSnapshot.Account(wallet.name(), wallet.ss58(), myUid, balance, key != null);
                ctx.miner().setBalance(balance);
                MinerAccount.Identity id = new MinerAccount.Identity(l.ledgerId(), wallet.name(), wallet.ss58());
                if (!id.equals(ctx.miner().identity())) {
                    ctx.miner().setIdentity(id);
                }
                loadMine(l.ledgerId(), wallet.ss58());
            } else if (ctx.miner().identity() != null) {
                ctx.miner().setIdentity(null);
            }
            List<NetworkSnapshot.Node> nodes = new ArrayList<>();
            nodes.add(new NetworkSnapshot.Node("Ledger", l.ledger().name(), l.ledger().address(), ledgerDetail(l, m)));
            for (Endpoint v : l.validators()) {
                nodes.add(new NetworkSnapshot.Node("Validator", v.name(), v.address(), validatorDetail(l, v)));
            }
            int rank = 0;
            if (myUid >= 0) {
                double mine = 0;
                for (Neuron n : m.getNeuronsList()) {
                    if (n.getUid() == myUid) {
                        mine = n.getIncentive();
                    }
                }
                rank = 1;
                for (Neuron n : m.getNeuronsList()) {
                    if (n.getUid() != myUid && n.getIncentive() > mine) {
                        rank++;
                    }
                }
                double inc = mine;
                ctx.miner().setStanding(new MinerAccount.Standing(true, m.getBlock(), m.getEpoch(), myUid, rank,
                        m.getNeuronsCount(), inc));
            } else {
                ctx.miner().setStanding(new MinerAccount.Standing(true, m.getBlock(), m.getEpoch(), -1, 0,
                        m.getNeuronsCount(), 0));
            }
            publish(gen, new NetworkSnapshot(l.source(), NetworkSnapshot.State.RUNNING, null, m.getBlock(), m.getEpoch(),
                    m.getTempo(), l.devnet() != null ? l.devnet().options().blockMillis() : 0,
                    card(ch, libraryTeacher(ch.challenge().teacherSha256()).orElse(null)), rows, nodes,
                    recentEpochs(l.ledgerId()), l.ledgerId(), account, best()));
        } catch (RuntimeException e) {
            NetworkSnapshot last = snapshot.get();
            MinerAccount.Standing was = ctx.miner().standingProperty().get();
            if (was != null && was.connected()) {
                ctx.miner().setStanding(new MinerAccount.Standing(false, was.block(), was.epoch(), was.uid(),
                        was.rank(), was.miners(), was.incentive()));
            }
            publish(gen, last.with(NetworkSnapshot.State.UNREACHABLE, "The ledger does not answer: " + e.getMessage()
                    + ". Retrying every second; stored epochs are kept and the stream resumes where it stopped."));
        }
    }

    private static String ledgerDetail(Link l, MetagraphResponse m) {
        if (l.devnet() != null) {
            return String.format(Locale.ROOT, "tempo %s of %.1f s; owner %s", Plural.of(m.getTempo(), "block"),
                    l.devnet().options().blockMillis() / 1000.0,
                    NetworkView.shortKey(l.devnet().owner().hotkey().ss58()));
        }
        return "tempo " + Plural.of(m.getTempo(), "block") + "; TLS, certificate " + shortPin(l.ledger().pin());
    }

    /** A validator's last weight row in words: "weights set for epoch 12 over 1 miner". */
    static String weightsText(long epoch, int miners) {
        return "weights set for epoch " + epoch + " over " + Plural.of(miners, "miner");
    }

    private String validatorDetail(Link l, Endpoint v) {
        String up = Boolean.FALSE.equals(validatorUp.get(v.name())) ? "unreachable, retrying" : "answering";
        if (l.devnet() != null) {
            for (Devnet.Validator dv : l.devnet().validators()) {
                if (dv.name().equals(v.name())) {
                    var w = dv.server().node().lastWeights();
                    return String.format(Locale.ROOT, "stake %.0f τ; %s", dv.stake(),
                            w.map(x -> weightsText(x.epoch(), x.weights().size())).orElse("no weights set yet"));
                }
            }
        }
        return up + "; TLS, certificate " + shortPin(v.pin());
    }

    static String shortPin(String pin) {
        if (pin == null) {
            return "none (loopback)";
        }
        return pin.length() > 16 ? pin.substring(0, 16) + "…" : pin;
    }

    private NetworkSnapshot.Best best() {
        NetworkSnapshot.Best best = null;
        for (Seen s : statuses.values()) {
            SubmissionStatus st = s.status();
            if (st.getState() == SubmissionState.SUBMISSION_STATE_SCORED && st.getScore() > 0
                    && (best == null || st.getScore() > best.score())) {
                best = new NetworkSnapshot.Best(st.getScore(), st.getUid(), s.validator());
            }
        }
        return best;
    }

    private static List<NetworkSnapshot.EpochLine> recentEpochs(NetworkStore store, String ledgerId) {
        List<NetworkStore.EpochRow> all = store.recentEpochs(ledgerId, RECENT_EPOCHS);
        List<NetworkSnapshot.EpochLine> out = new ArrayList<>();
        for (NetworkStore.EpochRow r : all) {
            out.add(new NetworkSnapshot.EpochLine(r.epoch(), r.block(), r.totalEmission(),
                    summary(store.shares(ledgerId, r.epoch()))));
        }
        return out;
    }

    private List<NetworkSnapshot.EpochLine> recentEpochs(String ledgerId) {
        return recentEpochs(ctx.session().database().network(), ledgerId);
    }

    /** Names the app knows for hotkeys: the devnet's validators and simulated miners. */
    static Map<String, String> labels(Devnet net) {
        Map<String, String> out = new HashMap<>();
        for (Devnet.Validator v : net.validators()) {
            out.put(v.key().hotkey().ss58(), v.name());
        }
        for (Devnet.Simulated s : net.simulated()) {
            out.put(s.ss58(), s.name() + " (" + s.quality() + ")");
        }
        return out;
    }

    private static String summary(List<NetworkStore.Share> shares) {
        NetworkStore.Share best = null;
        for (NetworkStore.Share s : shares) {
            if (s.incentive() > 0 && (best == null || s.incentive() > best.incentive())) {
                best = s;
            }
        }
        if (best == null) {
            return "No miner had weight yet: validators and the owner shared it.";
        }
        return String.format(Locale.ROOT, "Top miner uid %d: incentive %.3f, %,.4f τ.", best.uid(),
                best.incentive(), best.emission() / 1e9);
    }

    /** The teacher with this hash in the library, if it is there (and the library answers). */
    private Optional<Teacher> libraryTeacher(String sha256) {
        try {
            return ctx.teachers().list().stream().filter(t -> t.sha256().equalsIgnoreCase(sha256)).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static NetworkSnapshot.ChallengeCard card(LedgerClient.ChallengeInfo info) {
        return card(info, null);
    }

    /** The challenge card; {@code inLibrary} is the challenge's teacher in the user's library, or null. */
    static NetworkSnapshot.ChallengeCard card(LedgerClient.ChallengeInfo info, Teacher inLibrary) {
        Challenge c = info.challenge();
        String pending = null;
        long pendingEpoch = 0;
        if (info.pending().isPresent()) {
            ChallengeChange p = info.pending().get();
            pendingEpoch = p.getEffectiveEpoch();
            pending = changeText(c, p);
        }
        String teacher = Challenge.DEVNET_TEACHER_SHA256.equalsIgnoreCase(c.teacherSha256())
                ? "PP-OCRv4 text detector (built in)" : inLibrary != null ? inLibrary.name()
                : c.teacherSha256().substring(0, 12) + "…";
        return new NetworkSnapshot.ChallengeCard(c.id(), teacher, c.task().challengeText(c.classes(), c.mapThreshold()),
                c.input().width() + "×" + c.input().height(), c.latencyBudgetMs(), c.sizeCapBytes(),
                c.weights().quality(), c.weights().speed(), c.weights().size(), info.version(), info.effectiveEpoch(),
                pending, pendingEpoch, c.teacherSha256(), c.task().groupsOf(c.classes()),
                c.input().width(), c.input().height(), inLibrary != null);
    }

    /** What an announced change does, in words: only what differs from the challenge in force. */
    static String changeText(Challenge now, ChallengeChange p) {
        List<String> parts = new ArrayList<>();
        if (p.getLatencyBudgetMs() != now.latencyBudgetMs()) {
            parts.add(String.format(Locale.ROOT, "latency budget %.1f ms (now %.1f)", p.getLatencyBudgetMs(),
                    now.latencyBudgetMs()));
        }
        if (p.getSizeCapBytes() != now.sizeCapBytes()) {
            parts.add(String.format(Locale.ROOT, "size cap %,.2f MB (now %,.2f)", p.getSizeCapBytes() / 1e6,
                    now.sizeCapBytes() / 1e6));
        }
        var w = p.getWeights();
        if (w.getQuality() != now.weights().quality() || w.getSpeed() != now.weights().speed()
                || w.getSize() != now.weights().size()) {
            parts.add(String.format(Locale.ROOT, "score %.2f·quality + %.2f·speed + %.2f·size", w.getQuality(),
                    w.getSpeed(), w.getSize()));
        }
        if (parts.isEmpty()) {
            parts.add("floors only");
        }
        String note = p.getNote().isBlank() ? "" : " (“" + p.getNote() + "”)";
        return String.join("; ", parts) + note;
    }

    /** One line for the status bar. */
    String statusLine(NetworkSnapshot s) {
        String where = s.source() != null && s.source().startsWith("Ledger ") ? s.source().substring(7) : "Local devnet";
        return switch (s.state()) {
            case STOPPED -> "Not connected";
            case STARTING -> SOURCE.equals(s.source()) ? "Starting the local devnet…" : "Connecting to " + where + "…";
            case UNREACHABLE -> where + " unreachable";
            case UNTRUSTED -> where + ": certificate changed!";
            case RUNNING -> {
                // the epoch stream stores an epoch as soon as it ends, up to a second before the next poll: say the
                // stored one then, so the status bar never trails the Dashboard's and Earnings' last epoch
                long epoch = s.epoch();
                long block = s.block();
                if (followerState instanceof EpochFollower.State.Connected c && c.block() > 0 && c.epoch() > epoch) {
                    epoch = c.epoch();
                    block = c.block(); // the block that ended a later epoch than the poll saw: later than its block
                }
                String line = String.format(Locale.ROOT, "%s · block %,d · epoch %,d", where, block, epoch);
                if (followerState instanceof EpochFollower.State.Reconnecting r) {
                    line += " · epoch stream reconnecting in " + Math.max(1, r.in().toMillis() / 1000) + " s";
                }
                yield line;
            }
        };
    }

    /** Publishes a poll's result unless the link it read has been left meanwhile. */
    private void publish(long gen, NetworkSnapshot s) {
        Platform.runLater(() -> {
            if (gen == generation) {
                snapshot.set(s);
                // the line is made here, not on the poller: an epoch stored between the poll and now must count
                ctx.networkStatusProperty().set(statusLine(s));
            }
        });
    }

    private void publish(NetworkSnapshot s) {
        Platform.runLater(() -> {
            snapshot.set(s);
            ctx.networkStatusProperty().set(statusLine(s));
        });
    }

    /** Stops reading the current network (and the devnet, if it is the one); shows the stopped state. */
    public synchronized void disconnect() {
        generation++;
        Link l = link;
        link = null;
        synchronized (watches) {
            watches.forEach(c -> c.cancel(null));
            watches.clear();
        }
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        if (follower != null) {
            follower.close();
            follower = null;
        }
        followerState = null;
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (devnet != null) {
            devnet.close();
            devnet = null;
        }
        mineFor = null;
        if (l != null) {
            // the identity stays: what was stored for it remains on the Earnings and History screens
            ctx.miner().setStanding(null);
            publish(NetworkSnapshot.of(l.source(), NetworkSnapshot.State.STOPPED, null));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }
}
