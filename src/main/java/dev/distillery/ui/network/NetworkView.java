package dev.distillery.ui.network;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The network: where the app is connected (the embedded devnet by default), the challenge in force and any change
 * the subnet owner announced for a later epoch, the servers, the metagraph (simulated miners marked) and the last
 * epochs. A function of the latest {@link NetworkSnapshot}, which the feed refreshes off the FX thread.
 */
public final class NetworkView extends ScreenPane {
    private final ShellContext ctx;
    private final VBox content = new VBox(16);
    private final Label title = new Label();
    private final Label stateChip = new Label();
    private final Label position = new Label();
    private final ProgressBar tempoBar = new ProgressBar(0);
    private final Label message = new Label();
    private final VBox challengeBox = new VBox(6);
    private final VBox nodesBox = new VBox(6);
    private final VBox epochsBox = new VBox(4);
    private final ObservableList<NetworkSnapshot.Row> rows = FXCollections.observableArrayList();
    private final TableView<NetworkSnapshot.Row> table = new TableView<>(rows);
    private final Node starting;
    private final Node stopped;
    private final VBox body;
    private NetworkSnapshot shown;

    public NetworkView(ShellContext ctx) {
        super(Screen.NETWORK, "The subnet: challenge, validators, metagraph and epochs");
        this.ctx = ctx;

        title.getStyleClass().add("section-title");
        title.setId("network-source");
        stateChip.getStyleClass().add("chip");
        stateChip.setId("network-state");
        position.setId("network-position");
        position.getStyleClass().add("report-value");
        tempoBar.setPrefWidth(180);
        tempoBar.setTooltip(new Tooltip("Progress of the current epoch: every tempo blocks the ledger runs Yuma "
                + "consensus and pays emissions"));
        message.getStyleClass().add("hint");
        message.setWrapText(true);
        Region spring = new Region();
        HBox.setHgrow(spring, Priority.ALWAYS);
        HBox strip = new HBox(12, new FontIcon("mdi2l-lan-connect"), title, stateChip, spring, position, tempoBar);
        strip.setAlignment(Pos.CENTER_LEFT);
        VBox status = new VBox(6, strip, message);
        status.getStyleClass().add("card");

        challengeBox.getStyleClass().add("card");
        challengeBox.setId("network-challenge");
        nodesBox.getStyleClass().add("card");
        nodesBox.setId("network-nodes");
        HBox.setHgrow(challengeBox, Priority.ALWAYS);
        HBox.setHgrow(nodesBox, Priority.ALWAYS);
        challengeBox.setPrefWidth(420);
        nodesBox.setPrefWidth(380);
        HBox cards = new HBox(16, challengeBox, nodesBox);

        buildTable();
        Label metaTitle = new Label("Metagraph");
        metaTitle.getStyleClass().add("section-title");
        Label metaHint = new Label("Every UID on the subnet after the last epoch. Simulated miners are devnet "
                + "competitors run by the app, not people. Click a column to sort.");
        metaHint.getStyleClass().add("hint");
        metaHint.setWrapText(true);
        VBox meta = new VBox(6, metaTitle, metaHint, table);
        meta.getStyleClass().add("card");

        Label epochsTitle = new Label("Recent epochs");
        epochsTitle.getStyleClass().add("section-title");
        epochsBox.setId("network-epochs");
        VBox epochs = new VBox(6, epochsTitle, epochsBox);
        epochs.getStyleClass().add("card");

        content.getChildren().addAll(status, cards, meta, epochs);

        ProgressIndicator spin = new ProgressIndicator();
        spin.setMaxSize(48, 48);
        Label startingText = new Label("Starting the local devnet: a ledger, two validators and simulated miners "
                + "on this computer…");
        startingText.getStyleClass().add("empty-lead");
        startingText.setWrapText(true);
        VBox startBox = new VBox(14, spin, startingText);
        startBox.setAlignment(Pos.CENTER);
        startBox.setPadding(new Insets(60, 40, 40, 40));
        starting = startBox;

        Button start = new Button("Start the local devnet", new FontIcon("mdi2p-play"));
        start.getStyleClass().add("primary");
        start.setId("network-start-devnet");
        start.setOnAction(e -> ctx.network().startDevnet());
        stopped = new EmptyState("mdi2l-lan-disconnect", "Not connected",
                "Validators score the students miners submit: agreement with the teacher, CPU latency and size. "
                        + "Every epoch the network turns their scores into token emissions. The local devnet runs "
                        + "a ledger, two validators and simulated competitors on this computer, so you can practise "
                        + "offline.",
                List.of("See the challenge: its teacher, latency budget, size cap and score weights",
                        "Follow the metagraph and the emissions epoch by epoch",
                        "Watch simulated miners compete with students of different quality"),
                "Next step: start the local devnet.",
                List.of(start, Actions.goTo(ctx, Screen.DISTILL, "Go to Distill", false)));

        body = new VBox(content);
        setBody(body);
        ctx.network().snapshotProperty().addListener((o, a, b) -> show(b));
        show(ctx.network().snapshotProperty().get());
    }

    private void buildTable() {
        table.setId("network-metagraph");
        table.setPlaceholder(new Label("No UID registered yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setPrefHeight(320);
        table.setMinHeight(230); // the two validators and the simulated miners without scrolling
        table.getColumns().add(column("UID", 45, r -> r.uid(), String::valueOf));
        TableColumn<NetworkSnapshot.Row, String> key = column("Hotkey", 120, r -> r.hotkey(), NetworkView::shortKey);
        key.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String k, boolean empty) {
                super.updateItem(k, empty);
                setText(empty || k == null ? null : shortKey(k));
                setTooltip(empty || k == null ? null : new Tooltip(k));
            }
        });
        table.getColumns().add(key);
        TableColumn<NetworkSnapshot.Row, NetworkSnapshot.Row> who = new TableColumn<>("Who");
        who.setPrefWidth(210);
        who.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        who.setComparator((a, b) -> String.valueOf(a.label()).compareTo(String.valueOf(b.label())));
        who.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(NetworkSnapshot.Row r, boolean empty) {
                super.updateItem(r, empty);
                setText(null);
                setGraphic(null);
                if (empty || r == null) {
                    return;
                }
                HBox box = new HBox(6);
                box.setAlignment(Pos.CENTER_LEFT);
                if (r.simulated()) {
                    Label chip = new Label("simulated");
                    chip.getStyleClass().addAll("chip", "chip-simulated");
                    chip.setMinWidth(Region.USE_PREF_SIZE);
                    box.getChildren().add(chip);
                }
                if (r.label() != null) {
                    box.getChildren().add(new Label(r.label()));
                }
                setGraphic(box);
            }
        });
        table.getColumns().add(who);
        table.getColumns().add(column("Stake τ", 70, r -> r.stake(), v -> fmt("%,.0f", v)));
        table.getColumns().add(column("Incentive", 75, r -> r.incentive(), v -> fmt("%.4f", v)));
        table.getColumns().add(column("Dividends", 75, r -> r.dividends(), v -> fmt("%.4f", v)));
        table.getColumns().add(column("Emission τ", 80, r -> r.emissionRao() / 1e9, v -> fmt("%.4f", v)));
        table.getColumns().add(column("Consensus", 75, r -> r.consensus(), v -> fmt("%.4f", v)));
        table.getColumns().add(column("V-trust", 65, r -> r.validatorTrust(), v -> fmt("%.4f", v)));
        table.getColumns().add(column("Permit", 55, r -> r.permit(), v -> v ? "yes" : ""));
        table.getColumns().add(column("Active", 55, r -> r.active(), v -> v ? "yes" : "no"));
        table.getColumns().add(column("Updated", 70, r -> r.lastUpdate(), v -> fmt("%,d", v)));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(NetworkSnapshot.Row r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().remove("simulated-row");
                if (!empty && r != null && r.simulated()) {
                    getStyleClass().add("simulated-row");
                }
            }
        });
    }

    /** A sortable column of values shown through {@code text}. */
    private static <T extends Comparable<T>> TableColumn<NetworkSnapshot.Row, T> column(
            String name, double width, java.util.function.Function<NetworkSnapshot.Row, T> value,
            java.util.function.Function<T, String> text) {
        TableColumn<NetworkSnapshot.Row, T> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(T v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : text.apply(v));
            }
        });
        return c;
    }

    private static String fmt(String format, Object v) {
        return String.format(Locale.ROOT, format, v);
    }

    static String shortKey(String ss58) {
        return ss58 == null || ss58.length() < 14 ? ss58 : ss58.substring(0, 6) + "…" + ss58.substring(ss58.length() - 6);
    }

    private void show(NetworkSnapshot s) {
        if (s == null || s.state() == NetworkSnapshot.State.STOPPED) {
            body.getChildren().setAll(stopped);
            return;
        }
        if (s.state() == NetworkSnapshot.State.STARTING && s.block() == 0) {
            body.getChildren().setAll(starting);
            return;
        }
        if (body.getChildren().get(0) != content) {
            body.getChildren().setAll(content);
        }
        title.setText(s.source());
        stateChip.setText(s.state().name().toLowerCase(Locale.ROOT));
        stateChip.getStyleClass().removeAll("chip-bad");
        if (s.state() == NetworkSnapshot.State.UNREACHABLE) {
            stateChip.getStyleClass().add("chip-bad");
        }
        long left = s.blocksToNextEpoch();
        position.setText(String.format(Locale.ROOT, "block %,d · epoch %,d · next epoch in %s", s.block(), s.epoch(),
                s.blockMillis() > 0 ? seconds(left * s.blockMillis() / 1000.0) : left + " blocks"));
        tempoBar.setProgress(s.tempo() <= 0 ? 0 : 1.0 - (double) left / s.tempo());
        message.setText(s.message() == null ? "" : s.message());
        message.setVisible(s.message() != null && !s.message().isBlank());
        message.setManaged(message.isVisible());
        // rebuilt only when they changed: the feed publishes every second
        if (shown == null || !java.util.Objects.equals(shown.challenge(), s.challenge())) {
            showChallenge(s.challenge());
        }
        if (shown == null || !shown.nodes().equals(s.nodes())) {
            showNodes(s.nodes());
        }
        if (shown == null || !shown.epochs().equals(s.epochs())) {
            showEpochs(s.epochs());
        }
        if (shown == null || !shown.rows().equals(s.rows())) {
            var sort = List.copyOf(table.getSortOrder());
            NetworkSnapshot.Row selected = table.getSelectionModel().getSelectedItem();
            rows.setAll(s.rows());
            table.getSortOrder().setAll(sort);
            table.sort();
            if (selected != null) { // keep the user's row selected across refreshes
                rows.stream().filter(r -> r.uid() == selected.uid()).findFirst()
                        .ifPresent(r -> table.getSelectionModel().select(r));
            }
        }
        shown = s;
    }

    private static String seconds(double s) {
        return s < 90 ? Math.round(s) + " s" : Math.round(s / 60) + " min";
    }

    private void showChallenge(NetworkSnapshot.ChallengeCard c) {
        challengeBox.getChildren().clear();
        Label head = new Label("Challenge");
        head.getStyleClass().add("section-title");
        challengeBox.getChildren().add(head);
        if (c == null) {
            challengeBox.getChildren().add(new Label("The ledger has not published a challenge yet."));
            return;
        }
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(4);
        int r = 0;
        r = fact(g, r, "Id", c.id() + "  (version " + c.version() + ", since epoch " + c.effectiveEpoch() + ")");
        r = fact(g, r, "Teacher", c.teacher());
        r = fact(g, r, "Task", c.task() + ", input " + c.input());
        r = fact(g, r, "Latency budget", String.format(Locale.ROOT, "p95 ≤ %.1f ms on 2 CPU threads",
                c.latencyBudgetMs()));
        r = fact(g, r, "Size cap", String.format(Locale.ROOT, "%,.2f MB", c.sizeCapBytes() / 1e6));
        fact(g, r, "Score", String.format(Locale.ROOT, "%.2f·quality + %.2f·speed + %.2f·size", c.weightQuality(),
                c.weightSpeed(), c.weightSize()));
        challengeBox.getChildren().add(g);
        if (c.pending() != null) {
            Label p = new Label("Announced by the subnet owner, from epoch " + c.pendingEpoch() + ": " + c.pending());
            p.setId("network-pending-change");
            p.setWrapText(true);
            p.getStyleClass().add("pending-change");
            p.setGraphic(new FontIcon("mdi2b-bullhorn-outline"));
            challengeBox.getChildren().add(p);
        }
    }

    private static int fact(GridPane g, int row, String name, String value) {
        Label k = new Label(name);
        k.getStyleClass().add("field-label");
        Label v = new Label(value);
        v.getStyleClass().add("report-value");
        v.setWrapText(true);
        g.addRow(row, k, v);
        return row + 1;
    }

    private void showNodes(List<NetworkSnapshot.Node> nodes) {
        nodesBox.getChildren().clear();
        Label head = new Label("Servers");
        head.getStyleClass().add("section-title");
        nodesBox.getChildren().add(head);
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(4);
        int r = 0;
        for (NetworkSnapshot.Node n : nodes) {
            Label role = new Label(n.role());
            role.getStyleClass().add("field-label");
            Label name = new Label(n.name() + "  " + n.address());
            name.getStyleClass().add("report-value");
            Label detail = new Label(n.detail());
            detail.getStyleClass().add("hint");
            detail.setWrapText(true);
            g.addRow(r++, role, new VBox(1, name, detail));
        }
        nodesBox.getChildren().add(g);
    }

    private void showEpochs(List<NetworkSnapshot.EpochLine> epochs) {
        epochsBox.getChildren().clear();
        if (epochs.isEmpty()) {
            Label none = new Label("No epoch has run yet; the first one pays out after the first tempo.");
            none.getStyleClass().add("hint");
            epochsBox.getChildren().add(none);
            return;
        }
        for (NetworkSnapshot.EpochLine e : epochs) {
            Label l = new Label(String.format(Locale.ROOT, "Epoch %,d (block %,d): %,.4f τ emitted. %s", e.epoch(),
                    e.block(), e.totalRao() / 1e9, e.summary()));
            l.getStyleClass().add("report-value");
            epochsBox.getChildren().add(l);
        }
    }
}
