package dev.distillery.ui.distill;

import dev.distillery.core.Plural;
import dev.distillery.distill.DistillService;
import dev.distillery.store.EpochRow;
import dev.distillery.store.RunRow;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.EnumNames;
import dev.distillery.ui.common.ErrorReporter;
import dev.distillery.ui.common.Spacer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Distill: the list of runs on the left (name, teacher, preset, status, best metric, date), the selected run's
 * page on the right, and the New run wizard. One run trains at a time, in a background task that outlives the
 * page (leave the screen and come back: it is still there). Interrupted runs resume from their checkpoint.
 */
public final class DistillView extends ScreenPane {
    /** Opens the wizard while this screen is shown. */
    public static final KeyCombination NEW_RUN = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);

    private final ShellContext ctx;
    private final ListView<RunRow> runs = new ListView<>();
    private final StackPane pageHolder = new StackPane();
    private final StackPane centre = new StackPane();
    private final SplitPane split;
    private final EmptyState empty;
    private final Label count = new Label();
    private final Button newRun = new Button("New run", new FontIcon("mdi2p-plus"));
    private final Map<Long, RunSession> sessions = new HashMap<>();
    private RunPage page;
    private RunWizard wizard;
    private boolean loading;

    public DistillView(ShellContext ctx) {
        super(Screen.DISTILL, "Train a tiny student that copies a teacher, then export it");
        this.ctx = ctx;

        newRun.setId("distill-new-run");
        newRun.getStyleClass().add("primary");
        newRun.setMinWidth(Region.USE_PREF_SIZE);
        newRun.setTooltip(new Tooltip("Start a distillation run (" + NEW_RUN.getDisplayText() + ")"));
        newRun.setOnAction(e -> newRun());
        count.getStyleClass().add("hint");
        Region spring = Spacer.grow();
        HBox toolbar = new HBox(8, newRun, spring, count);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(0, 32, 10, 32));

        runs.setId("distill-runs");
        runs.setCellFactory(l -> new RunCell());
        runs.getStyleClass().add("run-list");
        runs.setPlaceholder(new Label("No runs"));
        runs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && !loading && (page == null || page.runId() != b.id())) {
                showRun(b.id());
            }
        });
        VBox left = new VBox(runs);
        VBox.setVgrow(runs, Priority.ALWAYS);
        left.setPadding(new Insets(0, 0, 12, 32));
        left.setMinWidth(280); // room for the date beside the status chip
        pageHolder.setId("distill-page");
        split = new SplitPane(left, pageHolder);
        split.setDividerPositions(0.3);
        split.getStyleClass().add("teachers-split");
        SplitPane.setResizableWithParent(left, false);

        Button emptyNew = new Button("New run", new FontIcon("mdi2p-plus"));
        emptyNew.getStyleClass().add("primary");
        emptyNew.setId("distill-empty-new-run");
        emptyNew.setOnAction(e -> newRun());
        empty = new EmptyState("mdi2f-flask-outline", "No distillation runs yet",
                "Distilling trains a small student network to give the same answers as a big teacher on your own "
                        + "data. The student ends up a fraction of the teacher's size and fast enough to run live "
                        + "on a laptop CPU.",
                List.of("Build a dataset from image folders, videos or generated text scenes",
                        "Let the teacher label it, then train a student of the size you choose",
                        "Watch loss and agreement live, with progress, pause and cancel",
                        "Export the student to ONNX, checked against the trained network"),
                nextStep(-1),
                List.of(emptyNew, Actions.goTo(ctx, Screen.TEACHERS, "Go to Teachers", false),
                        Actions.openFolder(ctx, ctx.session().dataDirectory().datasets(), "Open datasets folder")));
        StackPane emptyBox = new StackPane(empty);
        emptyBox.getStyleClass().add("screen-body");
        ScrollPane emptyScroll = new ScrollPane(emptyBox);
        emptyScroll.setFitToWidth(true);
        emptyScroll.setFitToHeight(true);
        emptyScroll.getStyleClass().add("screen-scroll");
        centre.getChildren().add(emptyScroll);
        this.emptyView = emptyScroll;

        BorderPane body = new BorderPane(centre);
        body.setTop(toolbar);
        setCenter(body);

        sceneProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.getAccelerators().remove(NEW_RUN);
            }
            if (now != null) {
                now.getAccelerators().put(NEW_RUN, this::newRun);
            }
        });
        refresh(null);
    }

    private final Node emptyView;

    @Override
    public void onShown() {
        if (!isTraining()) {
            refresh(page == null ? null : page.runId());
        }
    }

    /** Whether a run is training in this window. */
    public boolean isTraining() {
        return sessions.values().stream().anyMatch(RunSession::isRunning);
    }

    // ------------------------------------------------------------------------------------------------ list

    /** Reloads the runs (marking dead ones INTERRUPTED the first time) and selects one. */
    public void refresh(Long select) {
        Task<Object[]> load = new Task<>() {
            @Override
            protected Object[] call() {
                List<RunRow> rows = ctx.distill().runs().list();
                return new Object[] {rows, rows.isEmpty() ? ctx.teachers().list().size() : -1};
            }
        };
        load.setOnSucceeded(e -> {
            @SuppressWarnings("unchecked")
            List<RunRow> rows = (List<RunRow>) load.getValue()[0];
            int teachers = (int) load.getValue()[1];
            if (teachers >= 0) {
                empty.nextStep(nextStep(teachers));
            }
            showList(rows, select);
        });
        Background.run(load);
    }

    /**
     * The empty screen's next step for a library of {@code teachers} teachers: "import one first" only when it is
     * empty; -1 before the library is read.
     */
    static String nextStep(int teachers) {
        if (teachers < 0) {
            return "Next step: press New run: the wizard takes you from a teacher to a dataset and a student.";
        }
        if (teachers == 0) {
            return "Next step: a run starts from a teacher, and your library has none yet: add one on the Teachers "
                    + "screen (the PaddleOCR teachers come with Distillery), then press New run.";
        }
        return "Next step: press New run and pick " + (teachers == 1 ? "your teacher" : "one of your "
                + Plural.of(teachers, "teacher")) + ": the wizard builds the dataset with you.";
    }

    /** Updates the list only (statuses, best metrics), leaving the open page alone. */
    private void refreshList() {
        Task<List<RunRow>> load = new Task<>() {
            @Override
            protected List<RunRow> call() {
                return ctx.distill().runs().list();
            }
        };
        load.setOnSucceeded(e -> {
            if (load.getValue().isEmpty() || centre.getChildren().get(0) != split) {
                return;
            }
            RunRow was = runs.getSelectionModel().getSelectedItem();
            loading = true;
            try {
                runs.getItems().setAll(load.getValue());
                if (was != null) {
                    load.getValue().stream().filter(r -> r.id() == was.id()).findFirst()
                            .ifPresent(r -> runs.getSelectionModel().select(r));
                }
            } finally {
                loading = false;
            }
        });
        Background.run(load);
    }

    private void showList(List<RunRow> rows, Long select) {
        count.setText(Plural.of(rows.size(), "run"));
        if (rows.isEmpty()) {
            centre.getChildren().setAll(emptyView);
            replacePage(null);
            return;
        }
        centre.getChildren().setAll(split);
        loading = true;
        try {
            runs.getItems().setAll(rows);
            RunRow pick = rows.stream().filter(r -> select != null && r.id() == select).findFirst()
                    .orElse(rows.get(0));
            runs.getSelectionModel().select(pick);
        } finally {
            loading = false;
        }
        RunRow sel = runs.getSelectionModel().getSelectedItem();
        if (sel != null && (page == null || page.runId() != sel.id() || select != null)) {
            showRun(sel.id());
        }
    }

    /** Opens a run's page: live when it trains here, else from the database. */
    public void showRun(long id) {
        Task<Object[]> load = new Task<>() {
            @Override
            protected Object[] call() {
                RunRow row = ctx.distill().runs().find(id).orElse(null);
                List<EpochRow> epochs = row == null ? List.of() : ctx.distill().runs().epochs(id);
                return new Object[] {row, epochs};
            }
        };
        load.setOnSucceeded(e -> {
            RunRow row = (RunRow) load.getValue()[0];
            if (row == null) {
                refresh(null);
                return;
            }
            @SuppressWarnings("unchecked")
            List<EpochRow> epochs = (List<EpochRow>) load.getValue()[1];
            RunSession s = sessions.get(id);
            replacePage(new RunPage(ctx, row, epochs, s != null && s.isRunning() ? s : null, host()));
            select(id);
        });
        Background.run(load);
    }

    private void select(long id) {
        loading = true;
        try {
            runs.getItems().stream().filter(r -> r.id() == id).findFirst()
                    .ifPresent(r -> runs.getSelectionModel().select(r));
        } finally {
            loading = false;
        }
    }

    private void replacePage(RunPage p) {
        if (page != null) {
            page.dispose();
        }
        page = p;
        if (p == null) {
            pageHolder.getChildren().clear();
            return;
        }
        ScrollPane scroll = new ScrollPane(p);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("screen-scroll");
        pageHolder.getChildren().setAll(scroll);
    }

    private RunPage.Host host() {
        return new RunPage.Host() {
            @Override
            public void resume(RunRow row) {
                start(row.id());
            }

            @Override
            public void delete(RunRow row) {
                confirmDelete(row);
            }

            @Override
            public void export(RunRow row) {
                exportStopped(row);
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ runs

    /** Exports the best weights of a cancelled run, off the FX thread, then shows its report. */
    private void exportStopped(RunRow row) {
        Task<Void> t = new Task<>() {
            @Override
            protected Void call() {
                ctx.distill().export(row.id(), null);
                return null;
            }
        };
        t.setOnSucceeded(e -> refresh(row.id()));
        t.setOnFailed(e -> info("Export failed", t.getException() == null ? "Unknown error"
                : t.getException().getMessage()));
        Background.run(t);
    }

    /** Opens the New run wizard. */
    public void newRun() {
        newRun(null);
    }

    /** Opens the New run wizard filled in for a challenge (its teacher, a name, its limits); null: blank. */
    public void newRun(dev.distillery.ui.ChallengePrefill prefill) {
        if (wizard != null && wizard.dialog().isShowing()) {
            wizard.dialog().getDialogPane().requestFocus();
            return;
        }
        if (isTraining()) {
            info("One run at a time", "A run is training. Wait for it to finish, or pause or cancel it, before "
                    + "starting another: they would share the same CPU cores.");
            return;
        }
        wizard = new RunWizard(ctx, getScene() == null ? null : getScene().getWindow(), this::start, prefill);
        wizard.show();
    }

    /** Trains a registered run (new, or interrupted: it continues from its checkpoint) and shows its page. */
    public void start(long runId) {
        if (isTraining()) {
            info("One run at a time", "A run is training already; wait for it or cancel it first.");
            return;
        }
        RunSession session = new RunSession(runId);
        Task<DistillService.Result> task = new Task<>() {
            @Override
            protected DistillService.Result call() {
                return ctx.distill().run(runId, session.listener(), session.control);
            }

            @Override
            protected void cancelled() {
                session.cancel();
            }
        };
        sessions.put(runId, session);
        int[] epochsSeen = {-1};
        session.revisionProperty().addListener((o, a, b) -> {
            RunSession.Snapshot snap = session.snapshot();
            if (snap != null && snap.epochs().size() != epochsSeen[0]) {
                epochsSeen[0] = snap.epochs().size();
                refreshList(); // the list's best metric, once an epoch
            }
        });
        session.pausedProperty().addListener((o, a, b) -> runs.refresh()); // the list's chip says PAUSED too
        session.follow(task);
        task.setOnSucceeded(e -> finished(session, null));
        task.setOnFailed(e -> finished(session, task.getException()));
        Background.run(task);
        refresh(runId);
    }

    private void finished(RunSession session, Throwable error) {
        session.stopFollowing();
        sessions.remove(session.runId);
        if (error != null && !(error instanceof IllegalArgumentException)) {
            ErrorReporter.report("Distillation run " + session.runId + " failed", error);
        }
        refresh(session.runId);
    }

    private void confirmDelete(RunRow row) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(delete, ButtonType.CANCEL);
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.setTitle("Delete run");
        a.setHeaderText("Delete \"" + row.name() + "\"?");
        a.setContentText("Its epochs, checkpoints and the student in the run folder are removed. A copy of the "
                + "student saved elsewhere is kept.");
        a.getDialogPane().setId("delete-run-dialog");
        a.showAndWait().filter(b -> b == delete).ifPresent(b -> {
            Task<Void> t = new Task<>() {
                @Override
                protected Void call() throws IOException {
                    ctx.distill().delete(row.id());
                    return null;
                }
            };
            t.setOnSucceeded(e -> {
                replacePage(null);
                refresh(null);
            });
            Background.run(t);
        });
    }

    private void info(String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.setTitle(title);
        a.setHeaderText(title);
        a.show();
    }

    /** The wizard on screen, or null (tests drive it). */
    RunWizard wizard() {
        return wizard;
    }

    // ------------------------------------------------------------------------------------------------ cells

    /** Name, teacher → preset and date on the left; status chip and best metric on the right. */
    private final class RunCell extends ListCell<RunRow> {
        @Override
        protected void updateItem(RunRow r, boolean emptyCell) {
            super.updateItem(r, emptyCell);
            if (emptyCell || r == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                return;
            }
            setPrefWidth(0); // as wide as the list, never wider: long names are cut with an ellipsis
            Label name = new Label(r.name());
            name.getStyleClass().add("run-item-name");
            name.setMinWidth(0);
            Label meta = new Label(r.teacherName() + " → " + r.preset());
            meta.getStyleClass().add("hint");
            meta.setMinWidth(0);
            Label date = new Label(DistillFormat.date(r.createdAt()));
            date.getStyleClass().add("hint");
            // what the ellipsis cuts off a long name or teacher, whole
            setTooltip(new Tooltip(name.getText() + "\n" + meta.getText() + "\n" + date.getText()));
            VBox text = new VBox(2, name, meta, date);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            RunSession s = sessions.get(r.id());
            String st = s != null && s.isRunning() ? (s.pausedProperty().get() ? "PAUSED" : RunRow.RUNNING) : r.status();
            Label chip = new Label(EnumNames.words(st));
            chip.getStyleClass().setAll("label", "run-status", "run-status-" + st.toLowerCase(Locale.ROOT));
            chip.setMinWidth(Region.USE_PREF_SIZE);
            Label metric = new Label(r.bestMetric() == null ? "" : DistillFormat.metric(r.bestMetric()));
            metric.getStyleClass().add("run-item-metric");
            VBox right = new VBox(4, chip, metric);
            right.setAlignment(Pos.TOP_RIGHT);
            HBox box = new HBox(8, text, right);
            box.setId("run-item-" + r.id());
            setText(null);
            setGraphic(box);
        }
    }
}
