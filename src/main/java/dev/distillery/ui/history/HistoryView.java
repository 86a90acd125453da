package dev.distillery.ui.history;

import dev.distillery.store.EpochRow;
import dev.distillery.store.HistoryStore;
import dev.distillery.store.HistoryStore.EarningItem;
import dev.distillery.store.HistoryStore.EpochItem;
import dev.distillery.store.HistoryStore.Filter;
import dev.distillery.store.HistoryStore.RunItem;
import dev.distillery.store.HistoryStore.StudentItem;
import dev.distillery.store.HistoryStore.Table;
import dev.distillery.store.HistoryStore.Trail;
import dev.distillery.store.NetworkStore.Submission;
import dev.distillery.store.RunRow;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.EnumNames;
import dev.distillery.ui.miner.MinerAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Everything kept in the local database: runs, the students they exported, submissions, epoch reports and
 * earnings, each a searchable, filterable table with CSV export; opening a row follows it back (earning → epoch →
 * submission → student → training run, with the run's curves) in the pane on the right.
 */
public final class HistoryView extends ScreenPane {
    private static final String ALL = "All";

    private final ShellContext ctx;
    private final HistoryStore store;
    private final ComboBox<String> ledger = new ComboBox<>();
    {
        ledger.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : MinerAccount.networkName(id);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
    }
    private final Label who = new Label();
    private final TabPane tabs = new TabPane();
    private final TrailPane trail;
    private final HistoryTable<RunItem> runs;
    private final HistoryTable<StudentItem> students;
    private final HistoryTable<Submission> submissions;
    private final HistoryTable<EpochItem> epochs;
    private final HistoryTable<EarningItem> earnings;
    private final List<HistoryTable<?>> all = new ArrayList<>();
    private final List<CheckBox> mine = new ArrayList<>();
    private final ComboBox<String> runStatus = new ComboBox<>();
    private final ComboBox<String> subState = new ComboBox<>();
    private final ComboBox<String> subValidator = new ComboBox<>();
    private final VBox main;
    private final EmptyState empty;
    private boolean updatingLedgers;
    private boolean stale = true;
    private int trailGeneration;

    public HistoryView(ShellContext ctx) {
        super(Screen.HISTORY, "Every run, submission, score and earning, kept on this machine");
        this.ctx = ctx;
        this.store = ctx.session().database().history();
        getStylesheets().add(Objects.requireNonNull(HistoryView.class.getResource("history.css")).toExternalForm());
        var db = ctx.session().database();
        empty = new EmptyState("mdi2h-history", "No history yet",
                "Distillery records everything it does in a local database, so nothing is lost when the app "
                        + "closes or crashes. Database: " + db.file() + " (schema version " + db.schemaVersion() + ").",
                List.of("Search and filter past training runs and their curves",
                        "Follow an earning back to its epoch, submission, student and run",
                        "Export any table to CSV"),
                "Next step: history fills up as you distill and submit. Start with a teacher.",
                List.of(Actions.goTo(ctx, Screen.TEACHERS, "Go to Teachers", true),
                        Actions.openFolder(ctx, ctx.session().dataDirectory().root(), "Open data folder")));

        trail = new TrailPane(new TrailPane.Links() {
            @Override
            public void epoch(String ledgerId, long epoch) {
                show(epochs).reveal(e -> e.epoch() == epoch && e.ledgerId().equals(ledgerId));
            }

            @Override
            public void submission(String id) {
                show(submissions).reveal(s -> s.id().equals(id));
            }

            @Override
            public void student(long runId) {
                show(students).reveal(s -> s.runId() == runId);
            }

            @Override
            public void run(long runId) {
                show(runs).reveal(r -> r.id() == runId);
            }
        });

        runs = table("runs", Table.RUNS, "runs", HistoryStore::runs, false);
        runs.column("Started", r -> HistoryFormat.date(r.createdAt()), 130, false);
        runs.column("Name", RunItem::name, 190, false);
        runs.column("Teacher", RunItem::teacherName, 160, false);
        runs.column("Preset", RunItem::preset, 90, false);
        runs.column("Status", r -> EnumNames.words(r.status()), 100, false);
        runs.column("Epochs", r -> Integer.toString(r.epochsDone()), 60, true);
        runs.column("Best metric", r -> HistoryFormat.score(r.bestMetric()), 90, true);
        runStatus.getItems().addAll(ALL, RunRow.COMPLETED, RunRow.RUNNING, RunRow.INTERRUPTED, RunRow.CANCELLED,
                RunRow.FAILED);
        runStatus.setValue(ALL);
        runStatus.setConverter(EnumNames.wordsConverter());
        runStatus.setId("history-runs-status");
        runStatus.setTooltip(new Tooltip("Status"));
        runStatus.valueProperty().addListener((o, was, now) -> runs.reload());
        runs.addFilter(runStatus, f -> f.withState(choice(runStatus)), () -> runStatus.setValue(ALL));
        runs.onOpen(r -> open(() -> store.trailFromRun(r.id())));

        students = table("students", Table.STUDENTS, "students", HistoryStore::students, false);
        students.column("Exported", s -> HistoryFormat.date(s.exportedAt()), 130, false);
        students.column("Run", StudentItem::runName, 170, false);
        students.column("Preset", StudentItem::preset, 90, false);
        students.column("Size", s -> s.sizeBytes() == null ? "gone" : HistoryFormat.bytes(s.sizeBytes()), 80, true);
        students.column("Metric", s -> HistoryFormat.score(s.bestMetric()), 80, true);
        students.column("Submitted", s -> s.submissions() == 0 ? "" : s.submissions() + "×", 80, true);
        students.column("File", StudentItem::path, 260, false);
        students.onOpen(s -> open(() -> store.trailFromRun(s.runId())));

        submissions = table("submissions", Table.SUBMISSIONS, "submissions", HistoryStore::submissions, true);
        submissions.column("Submitted", s -> HistoryFormat.date(s.createdAt()), 130, false);
        submissions.column("Validator", Submission::validator, 120, false);
        submissions.column("State", s -> EnumNames.words(s.state()), 90, false);
        submissions.column("Score", s -> HistoryFormat.score(s.score()), 80, true);
        submissions.column("Quality", s -> HistoryFormat.score(s.quality()), 80, true);
        submissions.column("Epoch", s -> s.epoch() == null ? "" : Long.toString(s.epoch()), 60, true);
        submissions.column("Model", s -> HistoryFormat.shortId(s.modelSha256()), 130, false);
        submissions.column("Reason", s -> s.reason() == null ? "" : s.reason(), 200, false);
        for (ComboBox<String> c : List.of(subState, subValidator)) {
            c.getItems().setAll(ALL);
            c.setValue(ALL);
            c.valueProperty().addListener((o, was, now) -> {
                if (!updatingLedgers) {
                    submissions.reload();
                }
            });
        }
        subState.setConverter(EnumNames.wordsConverter());
        subState.setId("history-submissions-state");
        subState.setTooltip(new Tooltip("State"));
        subValidator.setId("history-submissions-validator");
        subValidator.setTooltip(new Tooltip("Validator"));
        submissions.addFilter(subState, f -> f.withState(choice(subState)), () -> subState.setValue(ALL));
        submissions.addFilter(subValidator, f -> f.withValidator(choice(subValidator)),
                () -> subValidator.setValue(ALL));
        submissions.onOpen(s -> open(() -> store.trailFromSubmission(s.id())));

        epochs = table("epochs", Table.EPOCHS, "epochs", HistoryStore::epochs, true);
        epochs.column("Epoch", e -> Long.toString(e.epoch()), 70, true);
        epochs.column("Received", e -> HistoryFormat.date(e.receivedAt()), 130, false);
        epochs.column("Block", e -> HistoryFormat.count(e.block()), 80, true);
        epochs.column("UIDs", e -> Integer.toString(e.uids()), 60, true);
        epochs.column("Emission", e -> HistoryFormat.tau(e.totalEmission()), 130, true);
        epochs.column("Your UID", e -> e.uid() == null ? "" : Integer.toString(e.uid()), 70, true);
        epochs.column("Your incentive", e -> HistoryFormat.score(e.incentive()), 100, true);
        epochs.column("You earned", e -> HistoryFormat.tau(e.emission()), 120, true);
        epochs.onOpen(e -> open(() -> store.trailFromEarning(e.ledgerId(), e.epoch(),
                e.hotkey() != null ? e.hotkey() : myHotkey())));

        earnings = table("earnings", Table.EARNINGS, "earnings", HistoryStore::earnings, true);
        earnings.column("Epoch", e -> Long.toString(e.epoch()), 70, true);
        earnings.column("Received", e -> HistoryFormat.date(e.receivedAt()), 130, false);
        earnings.column("UID", e -> Integer.toString(e.uid()), 50, true);
        earnings.column("Hotkey", e -> HistoryFormat.shortId(e.hotkey()), 130, false);
        earnings.column("Incentive", e -> HistoryFormat.score(e.incentive()), 90, true);
        earnings.column("Dividends", e -> HistoryFormat.score(e.dividends()), 90, true);
        earnings.column("Emission", e -> HistoryFormat.tau(e.emission()), 130, true);
        earnings.onOpen(e -> open(() -> store.trailFromEarning(e.ledgerId(), e.epoch(), e.hotkey())));

        tabs.setId("history-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(tab("Runs", runs), tab("Students", students), tab("Submissions", submissions),
                tab("Epochs", epochs), tab("Earnings", earnings));

        ledger.setId("history-ledger");
        ledger.setTooltip(new Tooltip("The network whose epochs, earnings and submissions are shown"));
        ledger.valueProperty().addListener((o, was, now) -> {
            if (!updatingLedgers) {
                identityChanged();
                reloadNetwork(true);
            }
        });
        Label ledgerLabel = new Label("Network");
        ledgerLabel.getStyleClass().add("field-label");
        who.getStyleClass().add("hint");
        who.setId("history-identity");
        HBox top = new HBox(10, ledgerLabel, ledger, who);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("history-top");

        SplitPane split = new SplitPane(tabs, trail);
        split.getStyleClass().add("history-split");
        split.setDividerPositions(0.7);
        trail.setMinWidth(280);
        SplitPane.setResizableWithParent(trail, false);
        VBox.setVgrow(split, Priority.ALWAYS);
        main = new VBox(10, top, split);
        main.getStyleClass().add("history-main");
        main.setId("history-main");

        MinerAccount miner = ctx.miner();
        miner.identityProperty().addListener((o, was, now) -> {
            identityChanged();
            whenShowing(this::refresh);
        });
        miner.storedEpochProperty().addListener((o, was, now) -> whenShowing(() -> reloadNetwork(false)));
        miner.submissionsVersionProperty().addListener((o, was, now) -> whenShowing(() -> {
            submissions.reload();
            students.reload();
        }));
        identityChanged();
        setCenter(null);
    }

    /** A store query with a page limit, as the tables call it. */
    @FunctionalInterface
    private interface Query<T> {
        HistoryStore.Page<T> apply(HistoryStore s, Filter f, int limit);
    }

    private <T> HistoryTable<T> table(String id, Table t, String noun, Query<T> query, boolean network) {
        HistoryTable<T> table = new HistoryTable<>(id, t, noun, store,
                (s, f) -> query.apply(s, f, HistoryStore.DEFAULT_LIMIT),
                () -> network ? Filter.none().withLedger(ledger.getValue(), null) : Filter.none());
        if (network) {
            CheckBox only = new CheckBox(t == Table.EARNINGS ? "Only my hotkey" : "Only mine");
            only.setId("history-" + id + "-mine");
            only.setSelected(true);
            only.setTooltip(new Tooltip(t == Table.EPOCHS ? "Show your share of each epoch (off: epoch totals only)"
                    : "Off: every UID's rows on this network"));
            only.selectedProperty().addListener((o, was, now) -> table.reload());
            mine.add(only);
            table.addFilter(only, f -> only.isSelected() && myHotkey() != null ? f.withLedger(f.ledgerId(), myHotkey())
                    : f, () -> { });
        }
        all.add(table);
        return table;
    }

    private static Tab tab(String title, HistoryTable<?> table) {
        Tab t = new Tab(title, table);
        t.setId("history-tab-" + title.toLowerCase(java.util.Locale.ROOT));
        return t;
    }

    private static String choice(ComboBox<String> c) {
        String v = c.getValue();
        return v == null || v.equals(ALL) ? null : v;
    }

    private <T> HistoryTable<T> show(HistoryTable<T> table) {
        for (Tab t : tabs.getTabs()) {
            if (t.getContent() == table) {
                tabs.getSelectionModel().select(t);
            }
        }
        return table;
    }

    /** The user's hotkey on the network shown, or null (no wallet, or another network). */
    private String myHotkey() {
        MinerAccount.Identity id = ctx.miner().identity();
        return id != null && id.ledgerId() != null && id.ledgerId().equals(ledger.getValue()) ? id.hotkey() : null;
    }

    private void identityChanged() {
        MinerAccount.Identity id = ctx.miner().identity();
        String key = myHotkey();
        if (id == null) {
            who.setText("No wallet in use: the network tables show every UID.");
        } else if (key == null) {
            who.setText("Your wallet " + id.walletName() + " is on another network: showing every UID here.");
        } else {
            who.setText("Yours: " + id.walletName() + " · " + HistoryFormat.shortId(key));
        }
        for (CheckBox c : mine) {
            c.setDisable(key == null);
        }
    }

    private void whenShowing(Runnable r) {
        if (ctx.navigator().current() == Screen.HISTORY && getScene() != null) {
            r.run();
        } else {
            stale = true;
        }
    }

    @Override
    public void onShown() {
        if (stale || getCenter() == null) {
            refresh();
        }
    }

    /** Reads which networks and filter values exist, then every table. */
    void refresh() {
        stale = false;
        String chosen = ledger.getValue();
        Task<Object[]> task = Jobs.task("Reading the history",
                () -> new Object[] {store.hasAnything(), store.ledgers()});
        task.setOnSucceeded(e -> {
            boolean any = (Boolean) task.getValue()[0];
            @SuppressWarnings("unchecked")
            List<String> ledgers = (List<String>) task.getValue()[1];
            if (!any) {
                setBody(empty);
                return;
            }
            if (getCenter() == null || getCenter().lookup("#history-main") == null) {
                setCenter(main);
            }
            MinerAccount.Identity id = ctx.miner().identity();
            List<String> items = new ArrayList<>(ledgers);
            if (id != null && id.ledgerId() != null && !items.contains(id.ledgerId())) {
                items.add(0, id.ledgerId());
            }
            String pick = chosen != null && items.contains(chosen) ? chosen
                    : id != null && id.ledgerId() != null ? id.ledgerId() : items.isEmpty() ? null : items.get(0);
            updatingLedgers = true;
            ledger.getItems().setAll(items);
            ledger.setValue(pick);
            updatingLedgers = false;
            ledger.setDisable(items.size() < 2);
            identityChanged();
            runs.reload();
            students.reload();
            reloadNetwork(true);
        });
        Background.run(task);
    }

    private void reloadNetwork(boolean withChoices) {
        if (withChoices) {
            String l = ledger.getValue();
            Task<List<List<String>>> choices = Jobs.task("Reading the submissions' states and validators",
                    () -> l == null ? List.of(List.<String>of(), List.<String>of())
                            : List.of(store.submissionStates(l), store.validators(l)));
            choices.setOnSucceeded(e -> {
                updatingLedgers = true;
                fill(subState, choices.getValue().get(0));
                fill(subValidator, choices.getValue().get(1));
                updatingLedgers = false;
                submissions.reload();
            });
            Background.run(choices);
        } else {
            submissions.reload();
        }
        epochs.reload();
        earnings.reload();
    }

    private static void fill(ComboBox<String> c, List<String> values) {
        String was = c.getValue();
        List<String> items = new ArrayList<>();
        items.add(ALL);
        items.addAll(values);
        c.getItems().setAll(items);
        c.setValue(items.contains(was) ? was : ALL);
    }

    /** Follows a row back in the background and shows the trail (with the run's curves). */
    private void open(Callable<Trail> find) {
        int gen = ++trailGeneration;
        trail.loading();
        var runStore = ctx.session().database().runs();
        Task<Object[]> task = Jobs.task("Following the row back", () -> {
            Trail t = find.call();
            List<EpochRow> curve = t.run() == null ? List.of() : runStore.epochs(t.run().id());
            return new Object[] {t, curve};
        });
        task.setOnSucceeded(e -> {
            if (gen == trailGeneration) {
                @SuppressWarnings("unchecked")
                List<EpochRow> curve = (List<EpochRow>) task.getValue()[1];
                trail.show((Trail) task.getValue()[0], curve);
            }
        });
        Background.run(task);
    }

    /**
     * Writes every row of a table that its current search and filters select to {@code file} as CSV (what
     * Export CSV… does after asking for the file).
     */
    public Task<Long> export(Table table, Path file) {
        for (HistoryTable<?> t : all) {
            if (t.table == table) {
                return t.export(file);
            }
        }
        throw new IllegalArgumentException("no table " + table);
    }
}
