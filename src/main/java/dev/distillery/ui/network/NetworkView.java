package dev.distillery.ui.network;

import dev.distillery.core.Plural;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.EnumNames;
import dev.distillery.ui.common.Spacer;
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
    private final javafx.collections.transformation.FilteredList<NetworkSnapshot.Row> filtered =
            new javafx.collections.transformation.FilteredList<>(rows);
    private final javafx.collections.transformation.SortedList<NetworkSnapshot.Row> sorted =
            new javafx.collections.transformation.SortedList<>(filtered);
    private final TableView<NetworkSnapshot.Row> table = new TableView<>(sorted);
    private final javafx.scene.control.TextField filter = new javafx.scene.control.TextField();
    private final javafx.beans.property.StringProperty myHotkey = new javafx.beans.property.SimpleStringProperty();
    private final VBox accountBox = new VBox(8);
    private final VBox untrusted = new VBox(10);
    private final Label untrustedText = new Label();
    private final Label accountLine = new Label();
    private final Button register = new Button("Register on this network", new FontIcon("mdi2a-account-plus-outline"));
    private final Button submitStudent = new Button("Submit a student…", new FontIcon("mdi2u-upload-outline"));
    private final Node starting;
    private final Node stopped;
    private final Label stoppedReason = new Label();
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
        tempoBar.setMinWidth(60); // the one that gives way in a narrow window, not the texts beside it
        tempoBar.setTooltip(new Tooltip("Progress of the current epoch: every tempo blocks the ledger runs Yuma "
                + "consensus and pays emissions"));
        message.getStyleClass().add("hint");
        message.setWrapText(true);
        Region spring = Spacer.grow();
        Button change = new Button("Connection…", new FontIcon("mdi2l-lan-connect"));
        change.setId("network-connection");
        change.setTooltip(new Tooltip("The local devnet or a remote network"));
        change.setOnAction(e -> ConnectDialog.show(ctx));
        for (javafx.scene.control.Labeled l : List.of(title, stateChip, position, change)) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox strip = new HBox(12, new FontIcon("mdi2l-lan-connect"), title, stateChip, spring, position, tempoBar,
                change);
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
        buildAccount();
        buildUntrusted();

        buildTable();
        Label metaTitle = new Label("Metagraph");
        metaTitle.getStyleClass().add("section-title");
        Label metaHint = new Label("Every UID on the subnet after the last epoch. Your row stays on top, "
                + "highlighted. Simulated miners are devnet competitors run by the app, not people. Click a column "
                + "to sort.");
        metaHint.getStyleClass().add("hint");
        metaHint.setWrapText(true);
        metaHint.setMinHeight(Region.USE_PREF_SIZE);
        filter.setId("network-filter");
        filter.setPromptText("Filter: uid, hotkey, name, “simulated”, “validator”…");
        filter.setPrefWidth(360); // room for the whole prompt
        filter.setTooltip(new Tooltip(filter.getPromptText()));
        filter.textProperty().addListener((o, a, b) -> applyFilter());
        Region metaSpring = Spacer.grow();
        HBox metaHead = new HBox(10, metaTitle, metaSpring, new FontIcon("mdi2f-filter-outline"), filter);
        metaHead.setAlignment(Pos.CENTER_LEFT);
        VBox meta = new VBox(6, metaHead, metaHint, table);
        meta.getStyleClass().add("card");

        Label epochsTitle = new Label("Recent epochs");
        epochsTitle.getStyleClass().add("section-title");
        epochsBox.setId("network-epochs");
        VBox epochs = new VBox(6, epochsTitle, epochsBox);
        epochs.getStyleClass().add("card");

        content.getChildren().addAll(status, untrusted, accountBox, cards, meta, epochs);

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
                List.of(start, remoteButton(), Actions.goTo(ctx, Screen.DISTILL, "Go to Distill", false)));
        // why the network is not running, when something went wrong (the devnet failed to start, bad settings)
        stoppedReason.setId("network-stopped-reason");
        stoppedReason.getStyleClass().add("error-text");
        stoppedReason.setWrapText(true);
        stoppedReason.setMaxWidth(600);
        stoppedReason.managedProperty().bind(stoppedReason.visibleProperty());
        ((VBox) stopped).getChildren().add(2, stoppedReason);

        body = new VBox(content);
        setBody(body);
        ctx.network().snapshotProperty().addListener((o, a, b) -> show(b));
        show(ctx.network().snapshotProperty().get());
    }

    private void buildTable() {
        table.setId("network-metagraph");
        table.setPlaceholder(new Label("No UID registered yet"));
        // no column narrower than its title: in a narrow window the table scrolls sideways instead
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPrefHeight(320);
        table.setMinHeight(230); // the two validators and the simulated miners without scrolling
        table.getColumns().add(column("UID", 45, r -> r.uid(), String::valueOf));
        TableColumn<NetworkSnapshot.Row, String> key = column("Hotkey", 120, r -> r.hotkey(), NetworkView::shortKey);
        key.setMinWidth(135); // "5HW6EE…dtmRxa" whole, whatever its letters
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
        who.setMinWidth(150);
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
                    Label name = new Label(r.label());
                    name.setTooltip(new Tooltip(r.label())); // "sim-copycat (copy of sim-strong)" may not fit
                    box.getChildren().add(name);
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
                getStyleClass().removeAll("simulated-row", "my-row");
                if (!empty && r != null && r.simulated()) {
                    getStyleClass().add("simulated-row");
                }
                if (!empty && r != null && r.hotkey().equals(myHotkey.get())) {
                    getStyleClass().add("my-row");
                }
            }
        });
        // the user's row first whatever the sort; then the column order the user clicked
        sorted.comparatorProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            java.util.Comparator<NetworkSnapshot.Row> by = table.getComparator();
            String me = myHotkey.get();
            java.util.Comparator<NetworkSnapshot.Row> pin = java.util.Comparator.comparing(
                    (NetworkSnapshot.Row r) -> !r.hotkey().equals(me));
            return by == null ? pin.thenComparingInt(NetworkSnapshot.Row::uid) : pin.thenComparing(by);
        }, table.comparatorProperty(), myHotkey));
        // The SortedList does the sorting through that binding. The default sort policy only accepts a SortedList
        // bound to the table's comparator itself, and otherwise calls the sort failed and puts the previous sort
        // order back: a click on a header would not sort.
        table.setSortPolicy(t -> true);
        myHotkey.addListener((o, a, b) -> table.refresh());
    }

    /** A sortable column of values shown through {@code text}. */
    private static <T extends Comparable<T>> TableColumn<NetworkSnapshot.Row, T> column(
            String name, double width, java.util.function.Function<NetworkSnapshot.Row, T> value,
            java.util.function.Function<T, String> text) {
        TableColumn<NetworkSnapshot.Row, T> c = new TableColumn<>(name);
        c.setMinWidth(dev.distillery.ui.common.Labels.columnTitleWidth(name));
        c.setPrefWidth(Math.max(width, c.getMinWidth()));
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
            String why = s == null ? null : s.message();
            stoppedReason.setText(why == null ? "" : why);
            stoppedReason.setVisible(why != null && !why.isBlank());
            body.getChildren().setAll(stopped);
            return;
        }
        if (s.state() == NetworkSnapshot.State.STARTING && s.block() == 0) {
            body.getChildren().setAll(starting);
            return;
        }
        untrusted.setVisible(s.state() == NetworkSnapshot.State.UNTRUSTED);
        untrusted.setManaged(untrusted.isVisible());
        if (s.state() == NetworkSnapshot.State.UNTRUSTED) {
            untrustedText.setText(s.message());
        }
        if (body.getChildren().get(0) != content) {
            body.getChildren().setAll(content);
        }
        title.setText(s.source());
        stateChip.setText(EnumNames.of(s.state()));
        stateChip.getStyleClass().removeAll("chip-bad");
        if (s.state() == NetworkSnapshot.State.UNREACHABLE || s.state() == NetworkSnapshot.State.UNTRUSTED) {
            stateChip.getStyleClass().add("chip-bad");
        }
        showAccount(s);
        long left = s.blocksToNextEpoch();
        position.setText(String.format(Locale.ROOT, "block %,d · epoch %,d · next epoch in %s", s.block(), s.epoch(),
                s.blockMillis() > 0 ? seconds(left * s.blockMillis() / 1000.0) : Plural.of(left, "block")));
        tempoBar.setProgress(s.tempo() <= 0 ? 0 : 1.0 - (double) left / s.tempo());
        message.setText(s.message() == null ? "" : s.message());
        message.setVisible(s.message() != null && !s.message().isBlank());
        message.setManaged(message.isVisible());
        // rebuilt only when they changed: the feed publishes every second
        if (shown == null || !java.util.Objects.equals(shown.challenge(), s.challenge())
                || !java.util.Objects.equals(shown.best(), s.best())) {
            showChallenge(s.challenge(), s.best());
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

    private void showChallenge(NetworkSnapshot.ChallengeCard c, NetworkSnapshot.Best best) {
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
        Label bestLine = new Label(best == null ? "No scored submission yet: the first one sets the bar."
                : String.format(Locale.ROOT, "Best score now %.4f (uid %d, %s)", best.score(), best.uid(),
                best.validator()));
        bestLine.setId("network-best-score");
        bestLine.getStyleClass().add(best == null ? "hint" : "best-score");
        bestLine.setGraphic(new FontIcon("mdi2t-trophy-outline"));
        bestLine.setWrapText(true); // the validator's name can be long; narrow windows wrap, never cut
        bestLine.setMinHeight(Region.USE_PREF_SIZE);
        Button download = new Button("Download teacher", new FontIcon("mdi2d-download-outline"));
        download.setId("network-download-teacher");
        download.setOnAction(e -> downloadTeacher(c, download));
        if (c.teacherInLibrary()) {
            download.setText("Teacher in your library");
            download.setGraphic(new FontIcon("mdi2c-check"));
            download.setDisable(true);
        }
        Button distill = new Button("Distill for this challenge", new FontIcon("mdi2f-flask-outline"));
        distill.setId("network-distill-challenge");
        distill.getStyleClass().add("primary");
        distill.setOnAction(e -> distillFor(c));
        distill.setMinWidth(Region.USE_PREF_SIZE);
        download.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, distill, download);
        challengeBox.getChildren().addAll(bestLine, actions);
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
        k.setMinWidth(Region.USE_PREF_SIZE);
        GridPane.setValignment(k, javafx.geometry.VPos.TOP); // level with the first line of a wrapped value
        Label v = new Label(value);
        v.getStyleClass().add("report-value");
        v.setWrapText(true);
        v.setMinHeight(Region.USE_PREF_SIZE);
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
            role.setMinWidth(Region.USE_PREF_SIZE);
            GridPane.setValignment(role, javafx.geometry.VPos.TOP);
            Label name = new Label(n.name() + "  " + n.address());
            name.getStyleClass().add("report-value");
            name.setWrapText(true);
            name.setMinHeight(Region.USE_PREF_SIZE);
            Label detail = new Label(n.detail());
            detail.getStyleClass().add("hint");
            detail.setWrapText(true);
            detail.setMinHeight(Region.USE_PREF_SIZE);
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
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
            epochsBox.getChildren().add(l);
        }
    }

    private Button remoteButton() {
        Button b = new Button("Connect to a remote network…", new FontIcon("mdi2l-lan-connect"));
        b.setId("network-connect-remote");
        b.setOnAction(e -> ConnectDialog.show(ctx));
        return b;
    }

    private void buildUntrusted() {
        FontIcon shield = new FontIcon("mdi2s-shield-alert-outline");
        Label head = new Label("A server's certificate changed — Distillery is not connecting");
        head.getStyleClass().add("section-title");
        untrustedText.setId("network-untrusted");
        untrustedText.setWrapText(true);
        Button trust = new Button("I reinstalled it: trust the new certificate", new FontIcon("mdi2s-shield-check"));
        trust.setId("network-trust-new");
        trust.getStyleClass().add("danger");
        trust.setOnAction(e -> {
            try {
                ctx.network().trustNewCertificates(ctx.network().remoteLedger(), ctx.network().remoteValidators());
            } catch (IllegalArgumentException ex) {
                untrustedText.setText(ex.getMessage());
            }
        });
        Button local = new Button("Use the local devnet instead", new FontIcon("mdi2p-play"));
        local.setOnAction(e -> {
            ctx.settings().put(NetworkFeed.MODE, "devnet");
            ctx.network().startDevnet();
        });
        untrusted.getChildren().setAll(new HBox(12, shield, head), untrustedText, new HBox(8, trust, local));
        untrusted.getStyleClass().add("danger-banner");
        untrusted.setVisible(false);
        untrusted.setManaged(false);
    }

    private void buildAccount() {
        accountBox.getStyleClass().add("card");
        accountBox.setId("network-account");
        Label head = new Label("You on this network");
        head.getStyleClass().add("section-title");
        accountLine.setId("network-account-line");
        accountLine.setWrapText(true);
        register.setId("network-register");
        register.setOnAction(e -> register());
        submitStudent.setId("network-submit");
        submitStudent.getStyleClass().add("primary");
        submitStudent.setOnAction(e -> chooseStudent());
        HBox actions = new HBox(8, submitStudent, register);
        accountBox.getChildren().setAll(head, walletSlot(), accountLine, actions);
    }

    /** The wallet card (create, import, unlock, copy the address). */
    private Node walletSlot() {
        return dev.distillery.ui.miner.WalletPanel.forNetwork(ctx);
    }

    private void showAccount(NetworkSnapshot s) {
        NetworkSnapshot.Account a = s.account();
        myHotkey.set(a == null ? null : a.hotkey());
        if (a == null) {
            accountLine.setText("Create or import a wallet to register and submit students.");
            register.setDisable(true);
            submitStudent.setDisable(true);
            return;
        }
        String balance = a.balanceRao() < 0 ? "balance unknown"
                : String.format(Locale.ROOT, "balance %,.4f τ", a.balanceRao() / 1e9);
        if (a.registered()) {
            accountLine.setText(String.format(Locale.ROOT, "Registered as uid %d · %s%s", a.uid(), balance,
                    a.unlocked() ? "" : " · wallet locked: unlock it to submit"));
        } else {
            accountLine.setText("Not registered on this network yet · " + balance
                    + (a.unlocked() ? "" : " · unlock your wallet to register"));
        }
        register.setVisible(!a.registered());
        register.setManaged(!a.registered());
        register.setDisable(!a.unlocked());
        submitStudent.setDisable(false);
    }

    private void register() {
        var link = ctx.network().link();
        var key = ctx.miner().keyProperty().get();
        if (link == null || key == null) {
            accountLine.setText("Unlock your wallet and connect first.");
            return;
        }
        register.setDisable(true);
        javafx.concurrent.Task<Integer> t = new javafx.concurrent.Task<>() {
            @Override
            protected Integer call() {
                try (var c = link.ledgerClient(key)) {
                    return c.register(false).getUid();
                }
            }
        };
        t.setOnSucceeded(e -> accountLine.setText("Registered as uid " + t.getValue() + "."));
        t.setOnFailed(e -> {
            register.setDisable(false);
            accountLine.setText("Registration failed: " + t.getException().getMessage() + ". Try again.");
        });
        dev.distillery.ui.common.Background.run(t);
    }

    /** Submit: an exported student from the runs, or any .onnx file. */
    private void chooseStudent() {
        javafx.concurrent.Task<List<dev.distillery.store.RunRow>> t = new javafx.concurrent.Task<>() {
            @Override
            protected List<dev.distillery.store.RunRow> call() {
                return ctx.session().database().runs().list().stream()
                        .filter(r -> r.studentPath() != null && java.nio.file.Files.isRegularFile(
                                java.nio.file.Path.of(r.studentPath()))).toList();
            }
        };
        t.setOnSucceeded(e -> StudentPicker.pick(ctx, t.getValue()).ifPresent(p -> SubmitDialog.open(ctx, p)));
        dev.distillery.ui.common.Background.run(t);
    }

    /** Opens the Distill wizard with the challenge's teacher and limits filled in. */
    private void distillFor(NetworkSnapshot.ChallengeCard c) {
        String note = String.format(Locale.ROOT, "For challenge %s: teacher %s, %sinput %s, latency p95 ≤ %.1f ms, "
                + "size ≤ %,.2f MB. Pick the smallest student that reaches the quality you want.", c.id(), c.teacher(),
                c.groups().isEmpty() ? "" : "classes " + String.join("; ", c.groups()) + ", ", c.input(),
                c.latencyBudgetMs(), c.sizeCapBytes() / 1e6);
        ctx.distillFor(new dev.distillery.ui.ChallengePrefill(c.teacherSha256(), "for " + c.id(), note,
                c.latencyBudgetMs(), c.groups(), c.inputWidth(), c.inputHeight()));
    }

    /** Puts the challenge's teacher in the library: from the catalog when it is there, else from a validator. */
    private void downloadTeacher(NetworkSnapshot.ChallengeCard c, Button button) {
        var link = ctx.network().link();
        if (link == null) {
            return;
        }
        button.setDisable(true);
        javafx.concurrent.Task<String> t = new javafx.concurrent.Task<>() {
            @Override
            protected String call() throws Exception {
                for (var x : ctx.teachers().list()) {
                    if (x.sha256().equalsIgnoreCase(c.teacherSha256())) {
                        return x.name() + " is already in your library.";
                    }
                }
                try {
                    return ctx.teachers().bySha256(c.teacherSha256()).name() + " added to your library.";
                } catch (IllegalStateException notInCatalog) {
                    if (link.validators().isEmpty()) {
                        throw new IllegalStateException("no validator to download it from");
                    }
                    java.nio.file.Path tmp = ctx.session().dataDirectory().cache().resolve(c.teacherSha256()
                            + ".onnx.part");
                    try (var v = link.validatorClient(link.validators().get(0), null)) {
                        v.downloadTeacher(java.util.HexFormat.of().parseHex(c.teacherSha256()), tmp,
                                (done, total) -> updateProgress(done, total));
                    }
                    var out = ctx.teachers().importFile(tmp, null, null);
                    java.nio.file.Files.deleteIfExists(tmp);
                    return out.teacher().name() + " downloaded and added to your library.";
                }
            }
        };
        button.textProperty().bind(javafx.beans.binding.Bindings.when(t.runningProperty())
                .then(javafx.beans.binding.Bindings.createStringBinding(() -> t.getProgress() < 0 ? "Downloading…"
                        : String.format(Locale.ROOT, "Downloading %.0f%%", t.getProgress() * 100), t.progressProperty()))
                .otherwise("Download teacher"));
        t.setOnSucceeded(e -> {
            button.setDisable(false);
            message.setText(t.getValue());
            message.setVisible(true);
            message.setManaged(true);
        });
        t.setOnFailed(e -> {
            button.setDisable(false);
            message.setText("The teacher could not be downloaded: " + t.getException().getMessage()
                    + ". Check the connection and try again.");
            message.setVisible(true);
            message.setManaged(true);
        });
        dev.distillery.ui.common.Background.run(t);
    }

    private void applyFilter() {
        String q = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
        filtered.setPredicate(q.isEmpty() ? null : r -> r.hotkey().equals(myHotkey.get())
                || String.valueOf(r.uid()).equals(q)
                || r.hotkey().toLowerCase(Locale.ROOT).contains(q)
                || (r.label() != null && r.label().toLowerCase(Locale.ROOT).contains(q))
                || (q.equals("simulated") && r.simulated())
                || (q.startsWith("valid") && r.permit()));
    }
}
