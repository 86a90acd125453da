package dev.distillery.ui.history;

import dev.distillery.core.Plural;
import dev.distillery.store.EpochRow;
import dev.distillery.store.HistoryStore.Trail;
import dev.distillery.store.NetworkStore;
import dev.distillery.ui.common.Axes;
import dev.distillery.ui.common.EnumNames;
import dev.distillery.ui.common.Spacer;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The drill-down: where the opened row came from, as a chain of cards (earning → epoch → submission with its
 * timeline → student → training run with its curves). Each card's link selects that item in its own table.
 */
final class TrailPane extends ScrollPane {
    /** Where the links lead. */
    interface Links {
        void epoch(String ledgerId, long epoch);

        void submission(String id);

        void student(long runId);

        void run(long runId);
    }

    private final VBox box = new VBox(6);
    private final Links links;

    TrailPane(Links links) {
        this.links = links;
        setId("history-trail");
        getStyleClass().add("trail");
        setFitToWidth(true);
        box.getStyleClass().add("trail-box");
        setContent(box);
        clear();
    }

    void clear() {
        Label title = new Label("Where it came from");
        title.getStyleClass().add("section-title");
        Label hint = new Label("Double-click a row (or select it and press Open) to follow it back: an earning to "
                + "its epoch, the submission that earned it, the student file and the training run that made it.");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        box.getChildren().setAll(title, hint);
    }

    void loading() {
        Label l = new Label("Reading…");
        l.getStyleClass().add("hint");
        box.getChildren().setAll(l);
    }

    void show(Trail t, List<EpochRow> curve) {
        box.getChildren().clear();
        Label title = new Label("Where it came from");
        title.getStyleClass().add("section-title");
        box.getChildren().add(title);
        boolean fromNetwork = t.earning() != null || t.epoch() != null;
        if (t.earning() != null) {
            var e = t.earning();
            add(card("mdi2c-cash-multiple", "Earning", null, null,
                    row("Epoch", Long.toString(e.epoch())),
                    row("UID", Integer.toString(e.uid())),
                    row("Hotkey", HistoryFormat.shortId(e.hotkey()), e.hotkey()),
                    row("Emission", HistoryFormat.tau(e.emission())),
                    row("Incentive", HistoryFormat.score(e.incentive()))));
        }
        if (t.epoch() != null) {
            var r = t.epoch().epoch();
            long total = t.epoch().shares().stream().mapToLong(NetworkStore.Share::emission).sum();
            Hyperlink link = link("trail-epoch-link", "Select in Epochs", () -> links.epoch(r.ledgerId(), r.epoch()));
            add(card("mdi2c-calendar-clock", "Epoch " + r.epoch(), link, "trail-epoch",
                    row("Network", dev.distillery.ui.miner.MinerAccount.networkName(r.ledgerId())),
                    row("Block", HistoryFormat.count(r.block())),
                    row("Received", HistoryFormat.dateSeconds(r.receivedAt())),
                    row("Paid to miners", HistoryFormat.tau(total) + " over "
                            + Plural.of(t.epoch().shares().size(), "UID")),
                    row("Top shares", topShares(t.epoch().shares()))));
        }
        if (t.submission() != null) {
            var s = t.submission();
            Hyperlink link = link("trail-submission-link", "Select in Submissions", () -> links.submission(s.id()));
            VBox timeline = new VBox(2);
            timeline.setId("trail-timeline");
            for (var ev : t.events()) {
                Label l = new Label(HistoryFormat.dateSeconds(ev.at()) + "  " + EnumNames.words(ev.state())
                        + (ev.epoch() == null ? "" : " (epoch " + ev.epoch() + ")")
                        + (ev.reason() == null || ev.reason().isBlank() ? "" : " · " + ev.reason()));
                l.setWrapText(true);
                l.getStyleClass().add("trail-event");
                timeline.getChildren().add(l);
            }
            add(card("mdi2c-cloud-upload-outline", "Submission", link, "trail-submission",
                    row("Id", HistoryFormat.shortId(s.id()), s.id()),
                    row("Validator", s.validator()),
                    row("State", EnumNames.words(s.state())),
                    row("Score", s.score() == null ? "not scored" : HistoryFormat.score(s.score())),
                    row("Submitted", HistoryFormat.dateSeconds(s.createdAt())),
                    rowNode("Timeline", timeline)));
        } else if (fromNetwork) {
            add(missing("No submission of this hotkey stored here was current at this epoch, so the trail ends here."));
        }
        if (t.student() != null) {
            var f = t.student();
            Hyperlink link = t.run() == null || t.run().studentPath() == null ? null
                    : link("trail-student-link", "Select in Students", () -> links.student(t.run().id()));
            add(card("mdi2c-cube-outline", "Student", link, "trail-student",
                    row("File", f.path()),
                    row("Size", f.exists() ? HistoryFormat.bytes(f.sizeBytes()) : "the file is gone"),
                    row("SHA-256", f.sha256() == null ? "" : HistoryFormat.shortId(f.sha256()), f.sha256())));
        }
        if (t.run() != null) {
            var r = t.run();
            Hyperlink link = link("trail-run-link", "Select in Runs", () -> links.run(r.id()));
            Label name = new Label(r.name());
            name.setId("trail-run-name");
            name.setWrapText(true);
            VBox card = card("mdi2f-flask-outline", "Training run", link, "trail-run",
                    rowNode("Name", name),
                    row("Status", EnumNames.words(r.status())),
                    row("Teacher", r.teacherName()),
                    row("Preset", r.preset()),
                    row("Started", HistoryFormat.date(r.createdAt())),
                    row("Epochs", Integer.toString(r.epochsDone())),
                    row("Best metric", HistoryFormat.score(r.bestMetric())));
            if (curve.isEmpty()) {
                Label none = new Label("No finished epochs, so no curves.");
                none.getStyleClass().add("hint");
                card.getChildren().add(none);
            } else {
                card.getChildren().addAll(
                        chart("trail-loss-chart", "Training loss", curve, EpochRow::trainLoss),
                        chart("trail-metric-chart", "Validation metric", curve, EpochRow::valMetric),
                        chart("trail-lr-chart", "Learning rate", curve, EpochRow::learningRate));
            }
            add(card);
        } else if (t.submission() != null) {
            add(missing("No training run on this machine exported this student (no run has its path, and none "
                    + "of the students still on disk has its SHA-256)."));
        }
    }

    private void add(Node card) {
        if (box.getChildren().size() > 1) {
            FontIcon arrow = new FontIcon("mdi2a-arrow-down");
            arrow.getStyleClass().add("trail-arrow");
            HBox a = new HBox(arrow);
            a.setAlignment(Pos.CENTER);
            box.getChildren().add(a);
        }
        box.getChildren().add(card);
    }

    private static Label missing(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().addAll("hint", "trail-missing");
        l.setId("trail-missing");
        return l;
    }

    private static String topShares(List<NetworkStore.Share> shares) {
        return shares.stream().sorted((a, b) -> Long.compare(b.emission(), a.emission())).limit(3)
                .map(s -> "UID " + s.uid() + ": " + HistoryFormat.tau(s.emission()))
                .reduce((a, b) -> a + "\n" + b).orElse("none");
    }

    private static Hyperlink link(String id, String text, Runnable action) {
        Hyperlink h = new Hyperlink("Select");
        h.setTooltip(new Tooltip(text));
        h.setId(id);
        h.setOnAction(e -> action.run());
        return h;
    }

    private static Node[] row(String key, String value) {
        return row(key, value, null);
    }

    private static Node[] row(String key, String value, String tooltip) {
        Label v = new Label(value == null ? "" : value);
        v.setWrapText(true);
        v.getStyleClass().add("trail-value");
        if (tooltip != null) {
            v.setTooltip(new Tooltip(tooltip));
        }
        return rowNode(key, v);
    }

    private static Node[] rowNode(String key, Node value) {
        Label k = new Label(key);
        k.getStyleClass().add("field-label");
        k.setMinWidth(Region.USE_PREF_SIZE);
        return new Node[] {k, value};
    }

    private static VBox card(String icon, String title, Hyperlink link, String id, Node[]... rows) {
        FontIcon i = new FontIcon(icon);
        i.getStyleClass().add("trail-icon");
        Label t = new Label(title);
        t.getStyleClass().add("trail-title");
        t.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = Spacer.grow();
        HBox head = new HBox(8, i, t, spacer);
        head.setAlignment(Pos.CENTER_LEFT);
        if (link != null) {
            head.getChildren().add(link);
        }
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(3);
        for (int r = 0; r < rows.length; r++) {
            grid.add(rows[r][0], 0, r);
            grid.add(rows[r][1], 1, r);
            GridPane.setHgrow(rows[r][1], Priority.ALWAYS);
        }
        VBox card = new VBox(8, head, grid);
        card.getStyleClass().addAll("card", "trail-card");
        if (id != null) {
            card.setId(id);
        }
        return card;
    }

    private static LineChart<Number, Number> chart(String id, String title, List<EpochRow> curve,
                                                   ToDoubleFunction<EpochRow> y) {
        NumberAxis x = Axes.whole("epoch");
        x.setTickUnit(1);
        NumberAxis yAxis = new NumberAxis();
        yAxis.setForceZeroInRange(false);
        yAxis.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number n) {
                double v = n.doubleValue();
                return Math.abs(v) < 0.01 && v != 0 ? String.format(Locale.ROOT, "%.0e", v)
                        : String.format(Locale.ROOT, "%.3g", v);
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s);
            }
        });
        LineChart<Number, Number> c = new LineChart<>(x, yAxis);
        c.setId(id);
        c.setTitle(title);
        c.setLegendVisible(false);
        c.setAnimated(false);
        c.setCreateSymbols(curve.size() <= 40);
        c.setPrefHeight(170);
        c.setMinHeight(150);
        c.getStyleClass().addAll("run-chart", "trail-chart");
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        for (EpochRow e : curve) {
            s.getData().add(new XYChart.Data<>(e.epoch(), y.applyAsDouble(e)));
        }
        c.getData().add(s);
        return c;
    }
}
