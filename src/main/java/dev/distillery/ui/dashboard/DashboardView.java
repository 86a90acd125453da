package dev.distillery.ui.dashboard;

import dev.distillery.core.Plural;
import dev.distillery.store.Database;
import dev.distillery.store.NetworkStore;
import dev.distillery.store.RunRow;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.miner.MinerAccount;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.InvalidationListener;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One glance at the miner's state: six tiles (connection, balance, latest score, rank, running jobs, last epoch),
 * each opening its screen; under them, until all are done, the three steps that lead there.
 *
 * <p>What the network says comes from {@link MinerAccount} and the shell's status line; what is stored (earnings,
 * submissions, epochs, runs, teachers) is read in the background whenever those change, each time the screen is
 * shown, and every few seconds while it shows (for running jobs). Reads never overlap.
 */
public final class DashboardView extends ScreenPane {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardView.class);
    private static final Duration PERIOD = Duration.seconds(5);
    private static final Set<String> JUDGED = Set.of("SCORED", "REJECTED");

    /** What the store holds for the identity it was read for (null parts when there is no identity). */
    record Loaded(MinerAccount.Identity identity, NetworkStore.Totals totals, NetworkStore.Submission judged,
                  int waiting, List<RunRow> running, NetworkStore.EpochRow lastEpoch, Long earnedInLast,
                  boolean hasTeacher, boolean hasStudent, boolean hasSubmission) {
    }

    private final ShellContext ctx;
    private final MinerAccount miner;
    private final Tile connection;
    private final Tile balance;
    private final Tile score;
    private final Tile rank;
    private final Tile jobs;
    private final Tile epoch;
    private final VBox start;
    private final Label startTitle = new Label();
    private final Label startLead = new Label();
    private final Step[] steps;
    private final Timeline ticker = new Timeline(new KeyFrame(PERIOD, e -> refresh()));
    private Task<Loaded> loading;
    private boolean again;
    private Loaded loaded;

    public DashboardView(ShellContext ctx) {
        super(Screen.DASHBOARD, "Your mining at a glance");
        this.ctx = ctx;
        this.miner = ctx.miner();
        getStylesheets().add(Objects.requireNonNull(DashboardView.class.getResource("dashboard.css")).toExternalForm());

        connection = new Tile("connection", "mdi2l-lan-connect", "Connection", "the Network screen",
                () -> ctx.navigator().go(Screen.NETWORK));
        balance = new Tile("balance", "mdi2w-wallet-outline", "Balance", "the Earnings screen",
                () -> ctx.navigator().go(Screen.EARNINGS));
        score = new Tile("score", "mdi2s-star-outline", "Latest score", "the History screen",
                () -> ctx.navigator().go(Screen.HISTORY));
        rank = new Tile("rank", "mdi2t-trophy-outline", "Rank", "the Network screen",
                () -> ctx.navigator().go(Screen.NETWORK));
        jobs = new Tile("jobs", "mdi2f-flask-outline", "Running jobs", "the Distill screen",
                () -> ctx.navigator().go(Screen.DISTILL));
        epoch = new Tile("epoch", "mdi2t-timer-sand", "Last epoch", "the Earnings screen",
                () -> ctx.navigator().go(Screen.EARNINGS));
        FlowPane tiles = new FlowPane(16, 16, connection, balance, score, rank, jobs, epoch);
        tiles.setId("dashboard-tiles");
        tiles.getStyleClass().add("dash-tiles");
        tiles.setAlignment(Pos.TOP_LEFT);
        tiles.setPrefWrapLength(3 * 270 + 2 * 16);

        steps = new Step[] {
            new Step(1, "mdi2s-school-outline", "Bring a teacher",
                    "Import a big ONNX vision model and see what it does on your images.",
                    Actions.goTo(ctx, Screen.TEACHERS, "Open Teachers", true)),
            new Step(2, "mdi2f-flask-outline", "Distill a student",
                    "Train a tiny model that copies the teacher and runs live on this CPU.",
                    Actions.goTo(ctx, Screen.DISTILL, "Open Distill", false)),
            new Step(3, "mdi2l-lan", "Submit and earn",
                    "Create a wallet, send the student to the validators; scores and earnings arrive every epoch.",
                    Actions.goTo(ctx, Screen.NETWORK, "Open Network", false))};
        startTitle.setId("empty-title");
        startTitle.getStyleClass().add("dash-start-title");
        startLead.setId("dashboard-start-lead");
        startLead.getStyleClass().add("dash-start-lead");
        startLead.setWrapText(true);
        HBox row = new HBox(14);
        for (Step s : steps) {
            HBox.setHgrow(s.card, Priority.ALWAYS);
            row.getChildren().add(s.card);
        }
        start = new VBox(10, startTitle, startLead, row);
        start.setId("dashboard-start");
        start.getStyleClass().add("dash-start");
        start.managedProperty().bind(start.visibleProperty());

        VBox body = new VBox(24, tiles, start);
        body.setMaxWidth(3 * 270 + 2 * 16 + 4);
        body.setAlignment(Pos.TOP_LEFT);
        StackPane.setAlignment(body, Pos.TOP_CENTER);
        setBody(body);

        ticker.setCycleCount(Animation.INDEFINITE);
        InvalidationListener redraw = o -> render();
        ctx.networkStatusProperty().addListener(redraw);
        miner.standingProperty().addListener(redraw);
        miner.balanceProperty().addListener(redraw);
        miner.walletProperty().addListener(redraw);
        miner.tokenPriceProperty().addListener(redraw);
        miner.currencyProperty().addListener(redraw);
        InvalidationListener reload = o -> {
            render();
            refresh();
        };
        miner.identityProperty().addListener(reload);
        miner.storedEpochProperty().addListener(reload);
        miner.submissionsVersionProperty().addListener(reload);
        ctx.navigator().currentProperty().addListener((o, was, now) -> {
            if (now != Screen.DASHBOARD) {
                ticker.stop();
            }
        });
        // nor while the window is gone (the app closing: the database closes with it)
        javafx.beans.value.ChangeListener<Boolean> hidden = (o, a, showing) -> {
            if (!showing) {
                ticker.stop();
            }
        };
        javafx.beans.value.ChangeListener<javafx.stage.Window> window = (o, was, w) -> {
            if (w != null) {
                w.showingProperty().removeListener(hidden); // the view re-enters the scene at each visit
                w.showingProperty().addListener(hidden);
            }
        };
        sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.windowProperty().removeListener(window);
                scene.windowProperty().addListener(window);
                window.changed(null, null, scene.getWindow());
            }
        });
        // the wallet used last time is otherwise opened only when the Network screen is built: without this the
        // dashboard, the first screen, would say "No wallet" to a user who has one
        miner.loadRemembered();
        render(); // the first read starts in onShown
    }

    @Override
    public void onShown() {
        refresh();
        ticker.play();
    }

    /** Reads the store again in the background; a call while a read runs makes it run once more afterwards. */
    void refresh() {
        if (loading != null) {
            again = true;
            return;
        }
        MinerAccount.Identity id = miner.identity();
        Task<Loaded> t = new Task<>() {
            @Override
            protected Loaded call() {
                return load(id);
            }
        };
        t.setOnSucceeded(e -> {
            loaded = t.getValue();
            done();
        });
        t.setOnFailed(e -> {
            // a periodic read: say it in the log, not in a dialog every five seconds
            LOG.warn("Could not read the dashboard's figures: {}", String.valueOf(t.getException()));
            done();
        });
        loading = t;
        Background.run(t);
    }

    private void done() {
        loading = null;
        render();
        if (again) {
            again = false;
            refresh();
        }
    }

    /** The store's part (background thread). */
    private Loaded load(MinerAccount.Identity id) {
        Database db = ctx.session().database();
        boolean hasTeacher = !ctx.teachers().list().isEmpty();
        List<RunRow> runs = db.runs().list();
        boolean hasStudent = runs.stream().anyMatch(r -> RunRow.COMPLETED.equals(r.status()) || r.studentPath() != null);
        List<RunRow> running = runs.stream().filter(r -> RunRow.RUNNING.equals(r.status()) && alive(r)).toList();
        if (id == null) {
            return new Loaded(null, null, null, 0, running, null, null, hasTeacher, hasStudent, false);
        }
        NetworkStore net = db.network();
        NetworkStore.Totals totals = net.totals(id.ledgerId(), id.hotkey(), LocalDate.now(ZoneOffset.UTC));
        List<NetworkStore.Submission> subs = net.submissions(id.ledgerId(), id.hotkey());
        NetworkStore.Submission judged = subs.stream().filter(s -> JUDGED.contains(s.state()))
                .max(Comparator.comparing(NetworkStore.Submission::updatedAt)).orElse(null);
        int waiting = (int) subs.stream()
                .filter(s -> Set.of("UPLOADED", "QUEUED", "EVALUATING", "COMMITTED").contains(s.state())).count();
        NetworkStore.EpochRow last = net.recentEpochs(id.ledgerId(), 1).stream().findFirst().orElse(null);
        Long earned = null;
        if (last != null) {
            earned = net.shares(id.ledgerId(), last.epoch()).stream().filter(s -> s.hotkey().equals(id.hotkey()))
                    .map(NetworkStore.Share::emission).reduce(Long::sum).orElse(null);
        }
        return new Loaded(id, totals, judged, waiting, running, last, earned, hasTeacher, hasStudent, !subs.isEmpty());
    }

    /** A RUNNING row counts only while its process lives (a crash leaves the row RUNNING until Distill opens). */
    private static boolean alive(RunRow r) {
        Long pid = r.ownerPid();
        return pid != null && (pid == ProcessHandle.current().pid()
                || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** Draws every tile from the properties and the last read (FX thread; cheap). */
    private void render() {
        Instant now = Instant.now();
        MinerAccount.Identity id = miner.identity();
        Loaded l = loaded;
        Loaded mine = l != null && Objects.equals(l.identity(), id) ? l : null;
        boolean hasWallet = miner.walletProperty().get() != null || id != null;
        MinerAccount.Standing st = miner.standingProperty().get();

        renderConnection(ctx.networkStatusProperty().get());
        renderBalance(hasWallet, id, mine);
        renderScore(hasWallet, id, mine, now);
        renderRank(hasWallet, st, mine == null ? null : mine.judged());
        renderJobs(l);
        renderEpoch(hasWallet, id, mine, st, now);
        renderStart(l);
    }

    private void renderConnection(String line) {
        String s = line == null || line.isBlank() ? "Not connected" : line;
        int block = s.indexOf(" · block");
        if (s.contains("certificate")) {
            connection.show("Certificate changed", s, "Check it on the Network screen before trusting it", false);
            connection.dot("down");
            connection.tone("bad");
        } else if (s.contains("unreachable")) {
            connection.show("Unreachable", s, "Retrying every second", false);
            connection.dot("down");
            connection.tone("bad");
        } else if (block > 0) {
            boolean reconnecting = s.contains("reconnecting");
            connection.show(s.substring(0, block), "Connected" + s.substring(block), null, false);
            connection.dot(reconnecting ? "warn" : "up");
            connection.tone(null);
        } else if (s.startsWith("Starting") || s.startsWith("Connecting")) {
            connection.show("Connecting…", s, null, false);
            connection.dot("idle");
            connection.tone(null);
        } else {
            connection.show(s, "Start the local devnet or connect to a network on the Network screen", null, true);
            connection.dot("off");
            connection.tone(null);
        }
    }

    private void renderBalance(boolean hasWallet, MinerAccount.Identity id, Loaded l) {
        balance.tone(null);
        if (!hasWallet) {
            balance.show("No wallet", "Create a wallet on the Network screen to receive earnings", null, true);
            return;
        }
        long rao = miner.balanceProperty().get();
        if (id == null) {
            balance.show("—", "Connect to a network on the Network screen to read your balance", null, true);
            return;
        }
        String earned = l == null || l.totals() == null ? "Reading earnings…"
                : DashboardFormat.earned(l.totals().today()) + " today · "
                + DashboardFormat.earned(l.totals().last7Days()) + " this week";
        if (rao < 0) {
            balance.show("…", "Reading the balance from the ledger", earned, true);
            return;
        }
        balance.show(DashboardFormat.tokens(rao), earned,
                DashboardFormat.fiat(rao, miner.tokenPriceProperty().get(), miner.currencyProperty().get()), false);
    }

    private void renderScore(boolean hasWallet, MinerAccount.Identity id, Loaded l, Instant now) {
        score.tone(null);
        if (!hasWallet) {
            score.show("No score yet", "Create a wallet on the Network screen, then submit a student", null, true);
            return;
        }
        if (id == null) {
            score.show("No score yet", "Connect to a network on the Network screen", null, true);
            return;
        }
        if (l == null) {
            score.show("…", "Reading your submissions", null, true);
            return;
        }
        String waiting = l.waiting() == 0 ? null
                : Plural.of(l.waiting(), "submission") + " waiting for a score";
        NetworkStore.Submission s = l.judged();
        if (s == null) {
            score.show(waiting == null ? "No score yet" : "Waiting",
                    waiting == null ? "Submit a student on the Network screen" : waiting, null, true);
            return;
        }
        double v = s.score() == null ? 0 : s.score();
        String ago = DashboardFormat.ago(s.updatedAt(), now);
        String when = s.epoch() == null ? ago : String.format(Locale.ROOT, "Epoch %,d · %s", s.epoch(), ago);
        if (v > 0 && "SCORED".equals(s.state())) {
            String scored = s.epoch() == null ? "Scored " + ago
                    : String.format(Locale.ROOT, "Scored in epoch %,d · %s", s.epoch(), ago);
            score.show(DashboardFormat.score(v), scored, waiting, false);
            score.tone("good");
        } else {
            score.show("0", "Rejected: " + DashboardFormat.shortReason(s.reason(), 70),
                    waiting == null ? when : when + " · " + waiting, false);
            score.tone("bad");
        }
    }

    /** The rank tile; {@code judged}: the latest judged submission, so that a score and the rank never disagree. */
    private void renderRank(boolean hasWallet, MinerAccount.Standing st, NetworkStore.Submission judged) {
        rank.tone(null);
        if (!hasWallet) {
            rank.show("No rank yet", "Create a wallet on the Network screen and register it", null, true);
        } else if (st == null) {
            rank.show("No rank yet", "Connect to a network on the Network screen", null, true);
        } else if (st.uid() < 0) {
            rank.show("Not registered yet", "Register your hotkey on the Network screen to get a UID", null, true);
        } else if (st.incentive() <= 0) {
            // the ledger ranks ties together: with no incentive the user would read "#1" beside idle miners
            String known = st.connected() ? null : "last known, the ledger does not answer";
            String unpaid = DashboardFormat.unpaidScore(st, judged);
            if (unpaid != null) {
                rank.show("Not ranked yet", unpaid, known, true);
            } else {
                rank.show("No incentive yet", "UID " + st.uid() + " · a scored student earns you a place", known,
                        true);
            }
        } else {
            String inc = String.format(Locale.ROOT, "incentive %.4f", st.incentive());
            // every UID counts, validators too: the ledger does not mark who mines, and a permit is not a role
            rank.show("#" + st.rank() + " of " + st.miners() + " UIDs", "by incentive · UID " + st.uid(),
                    st.connected() ? inc : inc + " · last known, the ledger does not answer", false);
        }
    }

    private void renderJobs(Loaded l) {
        jobs.tone(null);
        if (l == null) {
            jobs.show("…", "Reading your runs", null, true);
            return;
        }
        List<RunRow> running = l.running();
        if (running.isEmpty()) {
            jobs.show("None running", l.hasStudent() ? "Start another run on the Distill screen"
                    : "Distill a student from a teacher on the Distill screen", null, true);
            return;
        }
        RunRow first = running.get(0);
        String phase = first.phase() == null || first.phase().isBlank() ? "running" : first.phase();
        if (running.size() == 1) {
            String best = first.bestMetric() == null ? null : String.format(Locale.ROOT,
                    "%s done · best %.3f", Plural.of(first.epochsDone(), "epoch"), first.bestMetric());
            jobs.show(first.name(), phase, best, false);
        } else {
            jobs.show(Plural.of(running.size(), "run"), first.name() + ": " + phase,
                    "and " + (running.size() - 1) + " more", false);
        }
    }

    private void renderEpoch(boolean hasWallet, MinerAccount.Identity id, Loaded l, MinerAccount.Standing st,
                             Instant now) {
        if (id != null && l != null && l.lastEpoch() != null
                && miner.unannounced(id.ledgerId(), l.lastEpoch().epoch())) {
            return; // read between the store and its announcement: the announcement renders it, after the status bar
        }
        epoch.tone(null);
        if (id != null && l != null && l.lastEpoch() != null) {
            NetworkStore.EpochRow e = l.lastEpoch();
            String earned = l.earnedInLast() == null ? "You held no UID in it"
                    : l.earnedInLast() == 0 ? "You earned nothing in it"
                    : "You earned " + DashboardFormat.earned(l.earnedInLast());
            epoch.show(String.format(Locale.ROOT, "Epoch %,d", e.epoch()),
                    DashboardFormat.ago(e.receivedAt(), now) + " · block " + String.format(Locale.ROOT, "%,d", e.block()),
                    earned, false);
            if (l.earnedInLast() != null && l.earnedInLast() > 0) {
                epoch.tone("good");
            }
            return;
        }
        String next = !hasWallet ? "Create a wallet on the Network screen to earn in epochs"
                : id == null ? "Connect to a network on the Network screen" : "Waiting for the ledger's first epoch";
        if (st != null && st.epoch() > 0) {
            epoch.show(String.format(Locale.ROOT, "Epoch %,d", st.epoch()), "Block " + String.format(Locale.ROOT,
                    "%,d", st.block()), next, false);
        } else {
            epoch.show("No epoch yet", next, null, true);
        }
    }

    private void renderStart(Loaded l) {
        boolean[] done = l == null ? new boolean[3] : new boolean[] {l.hasTeacher(), l.hasStudent(), l.hasSubmission()};
        int n = 0;
        for (boolean d : done) {
            n += d ? 1 : 0;
        }
        int next = firstOpen(done);
        for (int i = 0; i < steps.length; i++) {
            steps[i].show(done[i], i == next);
        }
        start.setVisible(n < steps.length);
        if (n == 0) {
            startTitle.setText("Nothing mined yet");
            startLead.setText("The tiles above fill in as you go. Three steps get you there:");
        } else {
            startTitle.setText("Getting started");
            startLead.setText(n + " of 3 steps done. Next: " + steps[next].title.getText().toLowerCase(Locale.ROOT)
                    + ".");
        }
    }

    private static int firstOpen(boolean[] done) {
        for (int i = 0; i < done.length; i++) {
            if (!done[i]) {
                return i;
            }
        }
        return done.length - 1;
    }

    /** A compact getting-started step: number (a tick once done), title, one sentence, its button. */
    private static final class Step {
        final int n;
        final VBox card;
        final Label title;
        final Label badge;
        final Button action;

        Step(int n, String icon, String title, String text, Button action) {
            this.n = n;
            this.action = action;
            badge = new Label(Integer.toString(n));
            badge.getStyleClass().add("step-number");
            FontIcon i = new FontIcon(icon);
            i.getStyleClass().add("step-icon");
            this.title = new Label(title);
            this.title.getStyleClass().add("step-title");
            HBox top = new HBox(10, badge, i, this.title);
            top.setAlignment(Pos.CENTER_LEFT);
            Label d = new Label(text);
            d.setWrapText(true);
            d.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            d.getStyleClass().add("step-text");
            VBox.setVgrow(d, Priority.ALWAYS);
            card = new VBox(8, top, d, action);
            card.setId("dashboard-step-" + n);
            card.getStyleClass().addAll("card", "dash-step");
            card.setPrefWidth(260);
        }

        /** Marks the step done (a tick instead of its number) and the next one to take (its button primary). */
        void show(boolean yes, boolean next) {
            card.getStyleClass().remove("dash-step-done");
            action.getStyleClass().remove("primary");
            if (next) {
                action.getStyleClass().add("primary");
            }
            if (yes) {
                card.getStyleClass().add("dash-step-done");
                FontIcon tick = new FontIcon("mdi2c-check-bold");
                tick.getStyleClass().add("dash-step-tick");
                badge.setGraphic(tick);
                badge.setText("");
            } else {
                badge.setGraphic(null);
                badge.setText(Integer.toString(n));
            }
            badge.setAccessibleText(yes ? "Step " + n + ", done" : "Step " + n);
        }
    }
}
