package dev.distillery.ui.network;

import dev.distillery.network.devnet.Devnet;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.EpochShare;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.score.Challenge;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's link to the network: starts the embedded devnet (by default, off the FX thread), then reads the ledger
 * every second into a {@link NetworkSnapshot} for the Network screen and the status bar. Closing stops both.
 */
public final class NetworkFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFeed.class);
    /** Setting: start the embedded devnet with the app (default true). */
    public static final String AUTOSTART = "network.devnet.autostart";
    /** System property that overrides {@link #AUTOSTART} (UI tests turn the devnet off). */
    public static final String AUTOSTART_PROPERTY = "distillery.devnet.autostart";
    static final String SOURCE = "Local devnet";
    private static final int RECENT_EPOCHS = 8;

    private final ShellContext ctx;
    private final ReadOnlyObjectWrapper<NetworkSnapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot",
            NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STOPPED, null));
    private final Deque<EpochReport> recent = new ArrayDeque<>();
    private volatile Devnet devnet;
    private volatile LedgerClient reader;
    private ScheduledExecutorService poller;
    private Thread epochs;
    private volatile boolean closed;

    public NetworkFeed(ShellContext ctx) {
        this.ctx = ctx;
    }

    public ReadOnlyObjectProperty<NetworkSnapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    /** Whether the app should start the devnet now (setting, overridden by the system property). */
    public boolean autostart() {
        String p = System.getProperty(AUTOSTART_PROPERTY);
        if (p != null) {
            return Boolean.parseBoolean(p);
        }
        return ctx.settings().getBoolean(AUTOSTART, true);
    }

    /** The running devnet, or null. */
    public Devnet devnet() {
        return devnet;
    }

    /** Starts the embedded devnet in the background; does nothing when it runs or is starting. */
    public synchronized void startDevnet() {
        if (devnet != null || closed || snapshot.get().state() == NetworkSnapshot.State.STARTING) {
            return;
        }
        publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STARTING, "Starting the local devnet…"));
        Background.tasks().execute(() -> {
            try {
                Teacher t = ctx.teachers().bySha256(Challenge.DEVNET_TEACHER_SHA256);
                Devnet net = Devnet.start(ctx.session().dataDirectory().root().resolve("devnet"),
                        ctx.teachers().fileOf(t), t.profile(), Devnet.Options.embedded(),
                        step -> publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STARTING, step + "…")));
                synchronized (this) {
                    if (closed) {
                        net.close();
                        return;
                    }
                    devnet = net;
                    reader = LedgerClient.plaintext(net.host(), net.ledgerPort(), null);
                    poller = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread th = new Thread(r, "network-feed");
                        th.setDaemon(true);
                        return th;
                    });
                    poller.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS);
                    epochs = new Thread(this::followEpochs, "network-epochs");
                    epochs.setDaemon(true);
                    epochs.start();
                }
            } catch (Exception | LinkageError e) {
                LOG.error("The local devnet did not start", e);
                publish(NetworkSnapshot.of(SOURCE, NetworkSnapshot.State.STOPPED, "The local devnet did not start: "
                        + e.getMessage() + ". See the log for details; Start tries again."));
            }
        });
    }

    /** Follows the ledger's epoch reports (resumable), keeping the last few for the screen. */
    private void followEpochs() {
        long from = 1;
        while (!closed) {
            try {
                long latest = reader.metagraph().getEpoch();
                from = Math.max(from, latest - RECENT_EPOCHS + 1);
                Iterator<EpochReport> it = reader.epochReports(Math.max(1, from));
                while (!closed && it.hasNext()) {
                    EpochReport r = it.next();
                    synchronized (recent) {
                        recent.addFirst(r);
                        while (recent.size() > RECENT_EPOCHS) {
                            recent.removeLast();
                        }
                    }
                    from = r.getEpoch() + 1;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("Epoch stream interrupted, resuming from {}: {}", from, e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void poll() {
        Devnet net = devnet;
        LedgerClient c = reader;
        if (net == null || c == null || closed) {
            return;
        }
        try {
            MetagraphResponse m = c.metagraph();
            LedgerClient.ChallengeInfo ch = c.challenge(0);
            Map<String, String> labels = labels(net);
            List<NetworkSnapshot.Row> rows = new ArrayList<>();
            for (Neuron n : m.getNeuronsList()) {
                rows.add(new NetworkSnapshot.Row(n.getUid(), n.getHotkeySs58(), labels.get(n.getHotkeySs58()),
                        n.getSimulated(), n.getStake() / 1e9, n.getIncentive(), n.getDividends(), n.getEmission(),
                        n.getConsensus(), n.getValidatorTrust(), n.getValidatorPermit(), n.getActive(),
                        n.getLastUpdate()));
            }
            List<NetworkSnapshot.Node> nodes = new ArrayList<>();
            nodes.add(new NetworkSnapshot.Node("Ledger", "ledger", net.host() + ":" + net.ledgerPort(),
                    String.format(Locale.ROOT, "tempo %d blocks of %.1f s; owner %s", m.getTempo(),
                            net.options().blockMillis() / 1000.0, NetworkView.shortKey(net.owner().hotkey().ss58()))));
            for (Devnet.Validator v : net.validators()) {
                var w = v.server().node().lastWeights();
                nodes.add(new NetworkSnapshot.Node("Validator", v.name(), net.host() + ":" + v.port(),
                        String.format(Locale.ROOT, "stake %.0f τ; %s", v.stake(), w.map(x -> "weights set for epoch "
                                + x.epoch() + " over " + x.weights().size() + " miners").orElse("no weights set yet"))));
            }
            List<NetworkSnapshot.EpochLine> lines = new ArrayList<>();
            synchronized (recent) {
                for (EpochReport r : recent) {
                    lines.add(new NetworkSnapshot.EpochLine(r.getEpoch(), r.getBlock(), r.getTotalEmission(),
                            summary(r, m)));
                }
            }
            publish(new NetworkSnapshot(SOURCE, NetworkSnapshot.State.RUNNING, null, m.getBlock(), m.getEpoch(),
                    m.getTempo(), net.options().blockMillis(), card(ch), rows, nodes, lines));
        } catch (RuntimeException e) {
            NetworkSnapshot last = snapshot.get();
            publish(new NetworkSnapshot(SOURCE, NetworkSnapshot.State.UNREACHABLE, "The ledger does not answer: "
                    + e.getMessage() + ". Retrying every second.", last.block(), last.epoch(), last.tempo(),
                    last.blockMillis(), last.challenge(), last.rows(), last.nodes(), last.epochs()));
        }
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

    private static String summary(EpochReport r, MetagraphResponse m) {
        EpochShare best = null;
        for (EpochShare s : r.getSharesList()) {
            if (s.getIncentive() > 0 && (best == null || s.getIncentive() > best.getIncentive())) {
                best = s;
            }
        }
        if (best == null) {
            return "No miner had weight yet: validators and the owner shared it.";
        }
        return String.format(Locale.ROOT, "Top miner uid %d: incentive %.3f, %,.4f τ.", best.getUid(),
                best.getIncentive(), best.getEmission() / 1e9);
    }

    static NetworkSnapshot.ChallengeCard card(LedgerClient.ChallengeInfo info) {
        Challenge c = info.challenge();
        String pending = null;
        long pendingEpoch = 0;
        if (info.pending().isPresent()) {
            ChallengeChange p = info.pending().get();
            pendingEpoch = p.getEffectiveEpoch();
            pending = changeText(c, p);
        }
        String teacher = Challenge.DEVNET_TEACHER_SHA256.equalsIgnoreCase(c.teacherSha256())
                ? "PP-OCRv4 text detector (built in)" : c.teacherSha256().substring(0, 12) + "…";
        return new NetworkSnapshot.ChallengeCard(c.id(), teacher, c.task() == Challenge.Task.DENSE
                ? "dense map (IoU@" + c.mapThreshold() + ")" : "classification over " + c.classes().size() + " classes",
                c.input().width() + "×" + c.input().height(), c.latencyBudgetMs(), c.sizeCapBytes(),
                c.weights().quality(), c.weights().speed(), c.weights().size(), info.version(), info.effectiveEpoch(),
                pending, pendingEpoch);
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
    static String statusLine(NetworkSnapshot s) {
        return switch (s.state()) {
            case STOPPED -> "Not connected";
            case STARTING -> "Starting the local devnet…";
            case UNREACHABLE -> "Devnet unreachable";
            case RUNNING -> String.format(Locale.ROOT, "Local devnet · block %,d · epoch %,d", s.block(), s.epoch());
        };
    }

    private void publish(NetworkSnapshot s) {
        Platform.runLater(() -> {
            snapshot.set(s);
            ctx.networkStatusProperty().set(statusLine(s));
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        if (epochs != null) {
            epochs.interrupt();
        }
        if (reader != null) {
            reader.close();
        }
        if (devnet != null) {
            devnet.close();
            devnet = null;
        }
    }
}
