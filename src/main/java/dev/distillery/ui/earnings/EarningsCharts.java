package dev.distillery.ui.earnings;

import dev.distillery.core.Plural;
import dev.distillery.store.EarningsQueries;
import dev.distillery.store.NetworkStore;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.BarChart;
import dev.distillery.ui.common.Axes;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The Earnings screen's four charts: per epoch, per day (bars), cumulative, and score per model with the hotkey's
 * incentive. {@link #prepare} turns loaded rows into chart points and may run on any thread (the points are not yet
 * in a scene); {@link #show} puts them in the charts on the FX thread. Charts never animate: a refresh replaces all
 * points at once.
 */
public final class EarningsCharts {
    /** Days shown as bars, ending today (or at the last day with earnings when that is older). */
    public static final int DAYS = 30;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    /** What chart values are in: tokens (factor 1) or a currency (factor = price of one token). */
    public record Unit(double factor, String code) {
        public static final Unit TOKENS = new Unit(1, "τ");

        public boolean fiat() {
            return !"τ".equals(code);
        }

        String format(double tokens) {
            return fiat() ? Money.fiatText(tokens * factor, code)
                    : String.format(Locale.ROOT, "%,.4f τ", tokens);
        }
    }

    /** Chart points ready to be shown, each carrying its readout text as {@code extraValue}. */
    public record Prepared(Unit unit, List<XYChart.Data<Number, Number>> perEpoch,
                           List<XYChart.Data<String, Number>> perDay, List<XYChart.Data<Number, Number>> cumulative,
                           Map<String, List<XYChart.Data<Number, Number>>> scores,
                           List<XYChart.Data<Number, Number>> incentive, boolean downSampled) {
        /** All points, for benchmarks and tests. */
        public int pointCount() {
            return perEpoch.size() + perDay.size() + cumulative.size() + incentive.size()
                    + scores.values().stream().mapToInt(List::size).sum();
        }
    }

    private final NumberAxis epochX = epochAxis();
    private final NumberAxis epochY = valueAxis();
    final LineChart<Number, Number> perEpoch = new LineChart<>(epochX, epochY);
    private final CategoryAxis dayX = new CategoryAxis();
    private final NumberAxis dayY = valueAxis();
    final BarChart<String, Number> perDay = new BarChart<>(dayX, dayY);
    private final NumberAxis cumX = epochAxis();
    private final NumberAxis cumY = valueAxis();
    final AreaChart<Number, Number> cumulative = new AreaChart<>(cumX, cumY);
    private final NumberAxis scoreX = epochAxis();
    private final NumberAxis scoreY = new NumberAxis(0, 1, 0.2);
    final LineChart<Number, Number> scores = new LineChart<>(scoreX, scoreY);
    private final NumberAxis incX = epochAxis();
    private final NumberAxis incY = valueAxis();
    final LineChart<Number, Number> incentive = new LineChart<>(incX, incY);
    private final Label epochReadout = readout("earnings-epoch-readout");
    private final Label cumReadout = readout("earnings-cumulative-readout");
    private final Label epochTitle = title("Earned per epoch");
    private final GridPane pane = new GridPane();

    public EarningsCharts() {
        for (XYChart<?, ?> c : List.of(perEpoch, perDay, cumulative, scores, incentive)) {
            c.setAnimated(false);
            c.getXAxis().setAnimated(false);
            c.getYAxis().setAnimated(false);
            c.setLegendVisible(false);
            c.setMinHeight(220);
            c.setPrefHeight(260);
            c.getStyleClass().add("earnings-chart");
        }
        perEpoch.setId("earnings-chart-epoch");
        perEpoch.setCreateSymbols(false);
        perDay.setId("earnings-chart-day");
        perDay.setCategoryGap(3);
        perDay.setBarGap(0);
        dayX.setLabel("Day (UTC)");
        // the days are set as categories by show(): an auto-ranging category axis measures every label against one
        // bar's width and turns them all on their side, though only every seventh has text
        dayX.setAutoRanging(false);
        cumulative.setId("earnings-chart-cumulative");
        cumulative.setCreateSymbols(false);
        scores.setId("earnings-chart-score");
        scores.setLegendVisible(true);
        scoreY.setAutoRanging(false);
        scoreY.setLabel("Score (0–1)");
        scoreX.setLabel("Epoch");
        scores.setCreateSymbols(true);
        incentive.setId("earnings-chart-incentive");
        incentive.setCreateSymbols(false);
        incentive.setMinHeight(150);
        incentive.setPrefHeight(170);
        incY.setLabel("Incentive (%)");
        hover(perEpoch, epochX, epochReadout);
        hover(cumulative, cumX, cumReadout);

        pane.getStyleClass().add("earnings-charts");
        pane.setHgap(16);
        pane.setVgap(16);
        for (int i = 0; i < 2; i++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            cc.setHgrow(Priority.ALWAYS);
            pane.getColumnConstraints().add(cc);
        }
        pane.add(card(epochTitle, epochReadout, perEpoch), 0, 0);
        pane.add(card(title("Earned per day, last " + DAYS + " days"), readout("earnings-day-readout"), perDay), 1, 0);
        pane.add(card(title("Earned in total"), cumReadout, cumulative), 0, 1);
        Label incTitle = new Label("Incentive of your hotkey: its share of the miners' emission");
        incTitle.getStyleClass().add("earnings-chart-subtitle");
        pane.add(card(title("Score per submitted model, and incentive"), readout("earnings-score-readout"), scores,
                incTitle, incentive), 1, 1);
        setUnit(Unit.TOKENS);
    }

    public Node pane() {
        return pane;
    }

    /** Chart points for {@code d} in {@code unit}; any thread. */
    public static Prepared prepare(EarningsData d, Unit unit) {
        List<XYChart.Data<Number, Number>> epochs = new ArrayList<>(d.perEpoch().size());
        List<XYChart.Data<Number, Number>> cum = new ArrayList<>(d.perEpoch().size());
        boolean down = false;
        for (NetworkStore.EarningPoint p : d.perEpoch()) {
            long n = p.toEpoch() - p.fromEpoch() + 1;
            down |= n > 1;
            double mid = (p.fromEpoch() + p.toEpoch()) / 2.0;
            double avg = Money.tokens(p.emission()) / n;
            epochs.add(point(mid, avg * unit.factor(), n == 1
                    ? "Epoch " + p.fromEpoch() + ": " + unit.format(avg)
                    : String.format(Locale.ROOT, "Epochs %d–%d: %s per epoch", p.fromEpoch(), p.toEpoch(),
                    unit.format(avg))));
            double total = Money.tokens(p.cumulative());
            cum.add(point(p.toEpoch(), total * unit.factor(), "Up to epoch " + p.toEpoch() + ": " + unit.format(total)));
        }

        List<XYChart.Data<String, Number>> days = new ArrayList<>(DAYS);
        if (!d.perDay().isEmpty()) {
            Map<LocalDate, Long> byDay = new HashMap<>();
            d.perDay().forEach(e -> byDay.put(e.day(), e.emission()));
            LocalDate last = d.perDay().get(d.perDay().size() - 1).day();
            // as EarningsQueries.recentDays: today while it earned in the last DAYS days, else its last day
            LocalDate end = last.isAfter(d.today().minusDays(DAYS)) && !last.isAfter(d.today()) ? d.today() : last;
            for (LocalDate day = end.minusDays(DAYS - 1); !day.isAfter(end); day = day.plusDays(1)) {
                double t = Money.tokens(byDay.getOrDefault(day, 0L));
                XYChart.Data<String, Number> bar = new XYChart.Data<>(dayLabel(day, end), t * unit.factor());
                bar.setExtraValue(day + ": " + unit.format(t));
                days.add(bar);
            }
        }

        Map<String, List<XYChart.Data<Number, Number>>> byModel = new LinkedHashMap<>();
        for (EarningsQueries.ScorePoint s : d.scores()) {
            String text = s.fromEpoch() == s.toEpoch()
                    ? String.format(Locale.ROOT, "Model %s, epoch %d: score %.3f", shortSha(s.modelSha256()),
                    s.fromEpoch(), s.score())
                    : String.format(Locale.ROOT, "Model %s, epochs %d–%d: mean score %.3f (%.3f–%.3f, %s)",
                    shortSha(s.modelSha256()), s.fromEpoch(), s.toEpoch(), s.score(), s.minScore(), s.maxScore(),
                    Plural.of(s.count(), "score"));
            byModel.computeIfAbsent(shortSha(s.modelSha256()), k -> new ArrayList<>())
                    .add(point((s.fromEpoch() + s.toEpoch()) / 2.0, s.score(), text));
        }
        List<XYChart.Data<Number, Number>> inc = new ArrayList<>(d.incentive().size());
        for (EarningsQueries.IncentivePoint p : d.incentive()) {
            inc.add(point((p.fromEpoch() + p.toEpoch()) / 2.0, p.incentive() * 100, p.fromEpoch() == p.toEpoch()
                    ? String.format(Locale.ROOT, "Epoch %d: incentive %.3f %%", p.fromEpoch(), p.incentive() * 100)
                    : String.format(Locale.ROOT, "Epochs %d–%d: incentive %.3f %% on average", p.fromEpoch(),
                    p.toEpoch(), p.incentive() * 100)));
        }
        return new Prepared(unit, epochs, days, cum, byModel, inc, down);
    }

    /** Replaces every chart's points (FX thread). */
    public void show(Prepared p) {
        setUnit(p.unit());
        epochTitle.setText(p.downSampled() ? "Earned per epoch (averaged over ranges of epochs)" : "Earned per epoch");
        perEpoch.getData().setAll(List.of(series("Per epoch", p.perEpoch())));
        cumulative.getData().setAll(List.of(series("In total", p.cumulative())));
        XYChart.Series<String, Number> bars = new XYChart.Series<>();
        bars.setName("Per day");
        bars.getData().setAll(p.perDay());
        dayX.getCategories().setAll(p.perDay().stream().map(XYChart.Data::getXValue).toList());
        perDay.getData().setAll(List.of(bars));
        List<XYChart.Series<Number, Number>> models = new ArrayList<>();
        p.scores().forEach((sha, points) -> models.add(series("model " + sha, points)));
        scores.getData().setAll(models);
        incentive.getData().setAll(List.of(series("Incentive", p.incentive())));
        epochReadout.setText(last(p.perEpoch()));
        cumReadout.setText(last(p.cumulative()));
        for (var b : p.perDay()) {
            tooltipOnNode(b);
        }
        for (var list : p.scores().values()) {
            list.forEach(EarningsCharts::tooltipOnNode);
        }
    }

    private void setUnit(Unit u) {
        String unit = u.fiat() ? u.code() : "τ";
        epochY.setLabel(unit + " per epoch");
        dayY.setLabel(unit + " per day");
        cumY.setLabel(unit + " in total");
        epochX.setLabel("Epoch");
        cumX.setLabel("Epoch");
        incX.setLabel("Epoch");
    }

    /**
     * The bar's category, which is also its axis label: the date on the last day and every seventh before it (30
     * dates side by side only fit turned on their side, where nobody reads them); the other days get a distinct run
     * of zero-width spaces, so they stay separate categories with an empty label. Each bar's tooltip has its date.
     * Over 30 days: four dates, a week apart, ending today.
     */
    static String dayLabel(LocalDate day, LocalDate end) {
        long back = java.time.temporal.ChronoUnit.DAYS.between(day, end);
        // not the first two bars: the axis always keeps the first label, and a date there or one bar on would
        // overlap it and be hidden
        return back % 7 == 0 && back < DAYS - 2 ? DAY.format(day) : "\u200B".repeat((int) back);
    }

    static String shortSha(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }

    private static <X> String last(List<XYChart.Data<X, Number>> points) {
        return points.isEmpty() ? "" : "Latest: " + points.get(points.size() - 1).getExtraValue();
    }

    private static XYChart.Data<Number, Number> point(double x, double y, String text) {
        XYChart.Data<Number, Number> d = new XYChart.Data<>(x, y);
        d.setExtraValue(text);
        return d;
    }

    private static <X, Y> XYChart.Series<X, Y> series(String name, List<XYChart.Data<X, Y>> points) {
        XYChart.Series<X, Y> s = new XYChart.Series<>();
        s.setName(name);
        s.getData().setAll(points);
        return s;
    }

    /** A tooltip on a point's node, once the chart has made it (bars and score symbols: a few dozen). */
    private static void tooltipOnNode(XYChart.Data<?, ?> d) {
        if (d.getNode() != null) {
            install(d);
        } else {
            d.nodeProperty().addListener((o, was, now) -> install(d));
        }
    }

    private static void install(XYChart.Data<?, ?> d) {
        if (d.getNode() != null && d.getExtraValue() != null) {
            Tooltip t = new Tooltip(d.getExtraValue().toString());
            t.setShowDelay(Duration.millis(100));
            Tooltip.install(d.getNode(), t);
        }
    }

    /**
     * Lines with hundreds of points get no symbol nodes; instead the point nearest the mouse is written above the
     * chart (a binary search per mouse move, no node per point).
     */
    private static void hover(XYChart<Number, Number> chart, NumberAxis x, Label readout) {
        chart.setOnMouseMoved(e -> {
            if (chart.getData().isEmpty() || chart.getData().get(0).getData().isEmpty()) {
                return;
            }
            List<XYChart.Data<Number, Number>> pts = chart.getData().get(0).getData();
            Point2D local = x.sceneToLocal(e.getSceneX(), e.getSceneY());
            double value = x.getValueForDisplay(local.getX()).doubleValue();
            int lo = 0;
            int hi = pts.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (pts.get(mid).getXValue().doubleValue() < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo > 0 && Math.abs(pts.get(lo - 1).getXValue().doubleValue() - value)
                    < Math.abs(pts.get(lo).getXValue().doubleValue() - value)) {
                lo--;
            }
            readout.setText(String.valueOf(pts.get(lo).getExtraValue()));
        });
        chart.setOnMouseExited(e -> {
            var data = chart.getData();
            if (!data.isEmpty()) {
                readout.setText(last(data.get(0).getData()));
            }
        });
    }

    private static NumberAxis epochAxis() {
        return Axes.whole(null);
    }

    private static NumberAxis valueAxis() {
        NumberAxis a = new NumberAxis();
        a.setMinorTickVisible(false);
        return a;
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("earnings-chart-title");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label readout(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("earnings-readout");
        return l;
    }

    private static VBox card(Label title, Label readout, Node... charts) {
        // the readout under the title: a range's text is too long to share the title's line at half width
        VBox box = new VBox(2, title, readout);
        box.getChildren().addAll(charts);
        box.getStyleClass().addAll("card", "earnings-card");
        return box;
    }
}
