package dev.distillery.ui.distill;

import dev.distillery.distill.StudentTask;
import dev.distillery.core.Plural;
import dev.distillery.ui.common.Axes;
import dev.distillery.ui.common.EnumNames;
import dev.distillery.ui.common.Labels;

import dev.distillery.distill.DistillReport;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.store.EpochRow;
import dev.distillery.store.RunRow;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ShellContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One run: what it distils into what, its status, what it is doing with a progress bar and the time left, live
 * charts (train loss and validation metric per epoch, learning rate per step) with pause / resume / cancel while
 * it trains in this window, and the report (teacher against student) once it is done. A finished run reopens
 * from the database: its stored epochs as charts and its stored report.
 */
final class RunPage extends VBox {
    /** What the page asks of the screen. */
    interface Host {
        /** Continues an interrupted run from its checkpoint. */
        void resume(RunRow row);

        /** Deletes the run after asking. */
        void delete(RunRow row);

        /** Exports the best weights of a stopped run. */
        void export(RunRow row);
    }

    /** Epoch points per chart at most; longer runs are thinned evenly (the last epoch always shows). */
    static final int MAX_EPOCH_POINTS = 300;

    private final ShellContext ctx;
    private final RunRow row;
    private final RunSession live;
    private final boolean dense;
    /** A detector run: its figure is mAP@0.5 (and, like a map's, has no balanced companion). */
    /** What the student learns: names its quality figure. */
    private final StudentTask task;
    private final Label status = new Label();
    private final Label phase = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label eta = new Label();
    private final Label epoch = new Label();
    private final Label speed = new Label();
    private final Label elapsed = new Label();
    private final Label best = new Label();
    private final Button pause = new Button("Pause", new FontIcon("mdi2p-pause"));
    private final Button cancel = new Button("Cancel", new FontIcon("mdi2c-close"));
    private final XYChart.Series<Number, Number> loss = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> metric = new XYChart.Series<>();
    /** Classifiers: balanced agreement per epoch (what picks the best epoch), beside agreement. */
    private final XYChart.Series<Number, Number> balanced = new XYChart.Series<>();
    private final Label balancedBest = new Label();
    private final XYChart.Series<Number, Number> learningRate = new XYChart.Series<>();
    private final LineChart<Number, Number> lrChart;
    private final LineChart<Number, Number> lossChart;
    private final LineChart<Number, Number> metricChart;
    private ChangeListener<Number> follower;
    private ChangeListener<Boolean> pauseFollower;
    private final Label waiting = new Label("The charts fill in as training goes: the learning rate every few "
            + "steps, loss and validation score after each epoch.");
    private boolean cancelling;
    private int drawnEpochs = -1;
    private int drawnSteps = -1;
    private double drawnLastStep = -1;

    /** The width a chart needs for its title ("Validation agreement") and axes. */
    private static final double CHART_WIDTH = 180;

    RunPage(ShellContext ctx, RunRow row, List<EpochRow> stored, RunSession live, Host host) {
        this.ctx = ctx;
        this.row = row;
        this.live = live;
        this.task = kind(row.preset());
        this.dense = !task.picksOnBalancedAgreement();
        getStyleClass().add("run-page");
        setId("run-page");
        setSpacing(14);
        setPadding(new Insets(4, 24, 20, 16));

        Label name = new Label(row.name());
        name.getStyleClass().add("detail-title");
        name.setId("run-name");
        name.setWrapText(true);
        status.setId("run-status");
        status.setMinWidth(Region.USE_PREF_SIZE);
        HBox title = new HBox(12, name, status);
        title.setAlignment(Pos.CENTER_LEFT);
        Label what = new Label(row.teacherName() + "  →  " + row.preset() + "   ·   started "
                + DistillFormat.date(row.createdAt()) + "   ·   run " + row.id());
        what.getStyleClass().add("hint");
        what.setId("run-what");

        phase.setId("run-phase");
        phase.setWrapText(true);
        progress.setId("run-progress");
        progress.setPrefWidth(320);
        eta.setId("run-eta");
        eta.getStyleClass().add("hint");
        eta.setMinWidth(Region.USE_PREF_SIZE);
        HBox progressRow = new HBox(12, progress, eta);
        progressRow.setAlignment(Pos.CENTER_LEFT);

        epoch.setId("run-epoch");
        speed.setId("run-speed");
        elapsed.setId("run-elapsed");
        best.setId("run-best");
        balancedBest.setId("run-balanced");
        // "Epochs": finished epochs, the count the report and History give; the one in progress is in the phase line.
        // Wraps onto a second line in a narrow page rather than cutting "0.500 · 0.000" short.
        javafx.scene.layout.FlowPane stats = new javafx.scene.layout.FlowPane(8, 8, stat("Epochs", epoch),
                stat("Samples/s", speed), stat("Elapsed", elapsed),
                stat("Best " + metricName(), best));
        if (!dense) {
            // the best epoch is picked on balanced agreement; a majority-only student shows 1/classes here
            stats.getChildren().add(stat("Balanced · kappa", balancedBest));
        }

        loss.setName("train loss");
        metric.setName(metricName());
        learningRate.setName("learning rate");
        lossChart = chart("Train loss", "epoch", loss, "run-chart-loss");
        metricChart = chart("Validation " + metricName(), "epoch", metric, "run-chart-metric");
        if (!dense) {
            balanced.setName("balanced agreement");
            metricChart.getData().add(balanced);
        }
        NumberAxis metricAxis = (NumberAxis) metricChart.getYAxis();
        metricAxis.setAutoRanging(false);
        metricAxis.setLowerBound(0);
        metricAxis.setUpperBound(1);
        metricAxis.setTickUnit(0.2);
        lrChart = chart("Learning rate", live != null ? "step" : "epoch", learningRate, "run-chart-lr");
        lrChart.setCreateSymbols(live == null);
        // three charts in a row; two, and the third below, when the page is too narrow for three whole titles
        javafx.scene.layout.FlowPane charts = new javafx.scene.layout.FlowPane(10, 10, lossChart, metricChart,
                lrChart);
        charts.setId("run-charts");
        charts.widthProperty().addListener((o, was, now) -> {
            int perRow = now.doubleValue() >= 3 * CHART_WIDTH + 20 ? 3 : 2;
            double each = Math.floor((now.doubleValue() - 10 * (perRow - 1)) / perRow) - 1;
            for (Node c : charts.getChildren()) {
                ((Region) c).setPrefWidth(Math.max(each, ((Region) c).getMinWidth()));
            }
        });
        waiting.getStyleClass().add("hint");
        waiting.setId("run-charts-waiting");
        waiting.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(metric.getData())
                .and(javafx.beans.binding.Bindings.isEmpty(learningRate.getData())));
        waiting.managedProperty().bind(waiting.visibleProperty());

        getChildren().addAll(new VBox(4, title, what));
        if (live != null) {
            pause.setId("run-pause");
            pause.setMinWidth(Region.USE_PREF_SIZE);
            pause.setOnAction(e -> togglePause());
            cancel.setId("run-cancel");
            cancel.setMinWidth(Region.USE_PREF_SIZE);
            cancel.setOnAction(e -> confirmCancel());
            HBox buttons = new HBox(8, pause, cancel);
            getChildren().addAll(card(new VBox(10, phase, progressRow, stats, buttons)), waiting, charts);
            follower = (o, a, b) -> update(live.snapshot());
            live.revisionProperty().addListener(follower);
            pauseFollower = (o, a, b) -> showLiveStatus();
            live.pausedProperty().addListener(pauseFollower);
            showLiveStatus();
            if (live.snapshot() != null) {
                update(live.snapshot());
            } else {
                phase.setText("Starting");
                progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
            }
        } else {
            showStatus(row.status());
            phase.setText(row.phase() == null ? "" : row.phase());
            epoch.setText(Integer.toString(row.epochsDone()));
            best.setText(DistillFormat.metric(row.bestMetric()));
            showStored(stored);
            VBox summary = new VBox(10, phase, stats);
            if (RunRow.RUNNING.equals(row.status())) {
                Label other = new Label("This run is training in another Distillery process (the command line?). "
                        + "Its figures here are from the last finished epoch.");
                other.getStyleClass().add("hint");
                other.setWrapText(true);
                summary.getChildren().add(other);
            }
            if (row.error() != null && !row.error().isBlank()) {
                Label error = new Label(row.error());
                error.getStyleClass().add("error-text");
                error.setId("run-error");
                error.setWrapText(true);
                summary.getChildren().add(error);
            }
            HBox buttons = new HBox(8);
            if (RunRow.INTERRUPTED.equals(row.status())) {
                Button resume = new Button("Resume", new FontIcon("mdi2p-play"));
                resume.setId("run-resume");
                resume.getStyleClass().add("primary");
                resume.setOnAction(e -> host.resume(row));
                buttons.getChildren().add(resume);
            }
            if (RunRow.CANCELLED.equals(row.status()) && row.reportJson() == null && row.epochsDone() > 0) {
                Button export = new Button("Export best weights", new FontIcon("mdi2e-export"));
                export.setId("run-export");
                export.getStyleClass().add("primary");
                export.setOnAction(e -> {
                    export.setDisable(true);
                    export.setText("Exporting…");
                    host.export(row);
                });
                buttons.getChildren().add(export);
            }
            if (!RunRow.RUNNING.equals(row.status())) {
                Button delete = new Button("Delete run", new FontIcon("mdi2d-delete-outline"));
                delete.setId("run-delete");
                delete.setOnAction(e -> host.delete(row));
                buttons.getChildren().add(delete);
            }
            if (!buttons.getChildren().isEmpty()) {
                summary.getChildren().add(buttons);
            }
            getChildren().add(card(summary));
            if (row.reportJson() != null) {
                try {
                    DistillReport r = dev.distillery.teacher.library.Json.read(row.reportJson(), DistillReport.class);
                    getChildren().add(card(report(r)));
                    // the kept model's figure, as the report and "Done: …" give it (not the highest epoch's)
                    best.setText(DistillFormat.metric(r.valMetric()));
                    if (r.classification() != null) {
                        balancedBest.setText(DistillFormat.metric(r.classification().balancedAgreement()) + " · "
                                + DistillFormat.metric(r.classification().kappa()));
                    }
                    // the whole run's rate; an epoch's own figure leaves out validation and labelling
                    speed.setText(String.format(Locale.ROOT, "%.0f", r.samplesPerSecond()));
                    // one clock and one count: the report's training time (to the budget's end, past the last
                    // finished epoch) and its finished epochs
                    elapsed.setText(DistillFormat.duration(r.trainSeconds()));
                    epoch.setText(Integer.toString(r.epochs()));
                } catch (RuntimeException bad) {
                    Label l = new Label("The stored report could not be read: " + bad.getMessage());
                    l.getStyleClass().add("error-text");
                    getChildren().add(l);
                }
            }
            getChildren().add(charts);
        }
    }

    long runId() {
        return row.id();
    }

    /** Stops following the live run (the page is being replaced). */
    void dispose() {
        if (live != null && follower != null) {
            live.revisionProperty().removeListener(follower);
            live.pausedProperty().removeListener(pauseFollower);
        }
    }

    private static StudentTask kind(String preset) {
        return StudentZoo.taskOf(preset);
    }

    private String metricName() {
        return task.metricName();
    }

    // ------------------------------------------------------------------------------------------------ live

    private void showLiveStatus() {
        showStatus(cancelling ? "CANCELLING" : live.pausedProperty().get() ? "PAUSED" : RunRow.RUNNING);
        pause.setText(live.pausedProperty().get() ? "Resume" : "Pause");
        ((FontIcon) pause.getGraphic()).setIconLiteral(live.pausedProperty().get() ? "mdi2p-play" : "mdi2p-pause");
    }

    private void togglePause() {
        if (live.pausedProperty().get()) {
            live.resume();
        } else {
            live.pause();
        }
    }

    private void confirmCancel() {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        ButtonType stop = new ButtonType("Cancel run", ButtonBar.ButtonData.OK_DONE);
        ButtonType keep = new ButtonType("Keep training", ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().setAll(stop, keep);
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.setTitle("Cancel run");
        a.setHeaderText("Cancel \"" + row.name() + "\"?");
        a.setContentText("Training stops after the current step. The best weights so far are kept in the run "
                + "folder; you can export them from this page afterwards.");
        a.getDialogPane().setId("cancel-dialog");
        ((Button) a.getDialogPane().lookupButton(stop)).setId("cancel-confirm");
        a.showAndWait().filter(b -> b == stop).ifPresent(b -> {
            cancelling = true;
            live.cancel();
            cancel.setDisable(true);
            pause.setDisable(true);
            showLiveStatus();
            phase.setText("Cancelling after the current step…");
        });
    }

    private void update(RunSession.Snapshot s) {
        if (s == null) {
            return;
        }
        boolean paused = live.pausedProperty().get();
        Distiller.StepInfo st = s.step();
        if (cancelling) {
            phase.setText("Cancelling after the current step…");
        } else if (s.training() && st != null) {
            phase.setText((paused ? "Paused · " : "") + "Training · epoch " + st.epoch());
            progress.setProgress(st.progress());
            eta.setText(paused ? "" : etaText(st.etaSeconds()));
        } else {
            phase.setText((paused ? "Paused · " : "") + s.phase().text());
            progress.setProgress(s.phase().fraction() < 0 ? ProgressBar.INDETERMINATE_PROGRESS : s.phase().fraction());
            eta.setText(etaText(s.phase().etaSeconds()));
        }
        if (st != null) {
            epoch.setText(Integer.toString(s.epochs().isEmpty() ? 0 : s.epochs().get(s.epochs().size() - 1).epoch()));
            speed.setText(String.format(Locale.ROOT, "%.0f", st.samplesPerSecond()));
            elapsed.setText(DistillFormat.duration(st.elapsedSeconds()));
        }
        List<XYChart.Data<Number, Number>> l = new ArrayList<>();
        List<XYChart.Data<Number, Number>> m = new ArrayList<>();
        List<XYChart.Data<Number, Number>> bal = new ArrayList<>();
        if (s.epochs().size() == drawnEpochs && s.learningRate().size() == drawnSteps
                && (s.learningRate().isEmpty() || s.learningRate().get(s.learningRate().size() - 1)[0] == drawnLastStep)) {
            return; // nothing new for the charts
        }
        drawnEpochs = s.epochs().size();
        drawnSteps = s.learningRate().size();
        drawnLastStep = s.learningRate().isEmpty() ? -1 : s.learningRate().get(drawnSteps - 1)[0];
        double top = Double.NaN;
        int every = Math.max(1, (s.epochs().size() + MAX_EPOCH_POINTS - 1) / MAX_EPOCH_POINTS);
        for (int i = 0; i < s.epochs().size(); i++) {
            Distiller.EpochInfo e = s.epochs().get(i);
            if (Double.isFinite(e.valMetric())) {
                top = Double.isNaN(top) ? e.valMetric() : Math.max(top, e.valMetric());
            }
            if (i % every != 0 && i != s.epochs().size() - 1) {
                continue; // thinned: a long run keeps a few hundred points per chart
            }
            if (Double.isFinite(e.trainLoss()) && e.epoch() > 0) {
                l.add(new XYChart.Data<>(e.epoch(), e.trainLoss()));
            }
            if (Double.isFinite(e.valMetric())) {
                m.add(new XYChart.Data<>(e.epoch(), e.valMetric()));
            }
            if (e.valBalanced() != null && Double.isFinite(e.valBalanced())) {
                bal.add(new XYChart.Data<>(e.epoch(), e.valBalanced()));
            }
        }
        // the figure of the epoch whose weights are kept (the last marked best), else the highest so far
        double kept = s.epochs().stream().filter(Distiller.EpochInfo::best).reduce((a, b) -> b)
                .map(Distiller.EpochInfo::valMetric).filter(Double::isFinite).orElse(top);
        if (!Double.isNaN(kept)) {
            best.setText(DistillFormat.metric(kept));
        }
        s.epochs().stream().filter(Distiller.EpochInfo::best).reduce((a, b) -> b)
                .filter(e -> e.valBalanced() != null)
                .ifPresent(e -> balancedBest.setText(DistillFormat.metric(e.valBalanced()) + " · "
                        + DistillFormat.metric(e.valKappa())));
        loss.getData().setAll(l);
        metric.getData().setAll(m);
        balanced.getData().setAll(bal);
        fitEpochs(s.epochs().isEmpty() ? 0 : s.epochs().get(s.epochs().size() - 1).epoch());
        List<XYChart.Data<Number, Number>> r = new ArrayList<>(s.learningRate().size());
        for (double[] p : s.learningRate()) {
            r.add(new XYChart.Data<>(p[0], p[1]));
        }
        learningRate.getData().setAll(r);
    }

    /** Whole epochs on the x axes, from 0 to at least 5, so one point does not make a 0.99–1.01 axis. */
    private void fitEpochs(int lastEpoch) {
        List<LineChart<Number, Number>> charts = new ArrayList<>(List.of(lossChart, metricChart));
        if (live == null) {
            charts.add(lrChart);
        }
        int upper = Math.max(5, lastEpoch);
        double unit = Math.max(1, Math.ceil(upper / 10.0));
        for (LineChart<Number, Number> c : charts) {
            NumberAxis x = (NumberAxis) c.getXAxis();
            x.setAutoRanging(false);
            x.setLowerBound(0);
            x.setUpperBound(upper);
            x.setTickUnit(unit);
        }
    }

    private static String etaText(double seconds) {
        if (!(seconds >= 1)) {
            return ""; // unknown, or about to end: "about 0 s left" says nothing
        }
        String d = DistillFormat.duration(seconds);
        return d.isEmpty() ? "" : "about " + d + " left";
    }

    // ------------------------------------------------------------------------------------------------ stored

    private void showStored(List<EpochRow> epochs) {
        List<XYChart.Data<Number, Number>> l = new ArrayList<>();
        List<XYChart.Data<Number, Number>> m = new ArrayList<>();
        List<XYChart.Data<Number, Number>> r = new ArrayList<>();
        EpochRow last = null;
        int every = Math.max(1, (epochs.size() + MAX_EPOCH_POINTS - 1) / MAX_EPOCH_POINTS);
        for (int i = 0; i < epochs.size(); i++) {
            EpochRow e = epochs.get(i);
            last = e;
            if (i % every != 0 && i != epochs.size() - 1) {
                continue;
            }
            if (Double.isFinite(e.trainLoss())) {
                l.add(new XYChart.Data<>(e.epoch(), e.trainLoss()));
            }
            if (Double.isFinite(e.valMetric())) {
                m.add(new XYChart.Data<>(e.epoch(), e.valMetric()));
            }
            if (Double.isFinite(e.learningRate())) {
                r.add(new XYChart.Data<>(e.epoch(), e.learningRate()));
            }
        }
        loss.getData().setAll(l);
        metric.getData().setAll(m);
        learningRate.getData().setAll(r);
        fitEpochs(last == null ? 0 : last.epoch());
        // RunRow.bestMetric holds the latest epoch's figure (see DistillService.run), so the best comes from here;
        // a finished run's report then gives the kept epoch's own.
        epochs.stream().mapToDouble(EpochRow::valMetric).filter(Double::isFinite).max()
                .ifPresent(v -> best.setText(DistillFormat.metric(v)));
        if (last != null) {
            speed.setText(String.format(Locale.ROOT, "%.0f", last.samplesPerSecond()));
            elapsed.setText(DistillFormat.duration(last.elapsedSeconds()));
        }
    }

    private void showStatus(String s) {
        status.setText(EnumNames.words(s));
        status.getStyleClass().setAll("label", "run-status", "run-status-" + s.toLowerCase(Locale.ROOT));
    }

    private Node report(DistillReport r) {
        Label heading = new Label("Teacher against student");
        heading.getStyleClass().add("section-title");
        GridPane g = new GridPane();
        g.setId("run-report");
        g.setHgap(20);
        g.setVgap(6);
        g.addRow(0, new Label(""), head("Teacher"), head("Student"), head("Student ÷ teacher"));
        g.addRow(1, Labels.field("File size"), value(DistillFormat.bytes(r.teacherBytes())),
                value(DistillFormat.bytes(r.studentBytes()), "report-student-bytes"), value(DistillFormat.ratio(r.sizeRatio())));
        double paramRatio = r.teacherParams() > 0 ? (double) r.studentParams() / r.teacherParams() : Double.NaN;
        g.addRow(2, Labels.field("Parameters"), value(DistillFormat.count(r.teacherParams())),
                value(DistillFormat.count(r.studentParams())), value(DistillFormat.ratio(paramRatio)));
        g.addRow(3, Labels.field("CPU latency p50 (" + Plural.of(r.threads(), "thread") + ")"),
                value(DistillFormat.ms(r.teacherP50Ms())),
                value(DistillFormat.ms(r.studentP50Ms())), value(DistillFormat.ratio(r.latencyRatio())));
        int row = 4;
        g.add(new Region(), 0, row++);
        g.addRow(row++, Labels.field("Validation " + r.metricName()), value(DistillFormat.percent(r.valMetric())
                + "  on " + Plural.of(r.valImages(), "image") + " (exported ONNX)", "report-metric"));
        DistillReport.Classification c = r.classification();
        if (c != null) {
            g.addRow(row++, Labels.field("Majority baseline"), value(DistillFormat.percent(c.majorityBaseline())
                    + "  (always answering “" + c.majorityClass() + "”)", "report-baseline"));
            g.addRow(row++, Labels.field("Balanced agreement"), value(DistillFormat.percent(c.balancedAgreement())
                    + "  (mean per-class recall)", "report-balanced"));
            g.addRow(row++, Labels.field("Cohen's kappa"), value(DistillFormat.metric(c.kappa())
                    + "  (0 = chance, 1 = perfect)", "report-kappa"));
            Label perClass = value(c.perClass().stream().filter(x -> x.count() > 0)
                    .map(x -> x.name() + " " + DistillFormat.percent(x.recall()) + " of " + x.count())
                    .collect(java.util.stream.Collectors.joining(" · ")), "report-per-class");
            perClass.setWrapText(true);
            g.addRow(row++, Labels.field("Per class (recall)"), perClass);
            Label verdict = value(c.failed() ? "FAILED: " + c.verdictReason() + " " + c.advice()
                    : "PASSED: better than always answering the majority class", "report-verdict");
            verdict.setWrapText(true);
            if (c.failed()) {
                verdict.getStyleClass().add("error-text");
            }
            g.addRow(row++, Labels.field("Verdict"), verdict);
        }
        DistillReport.Detection d = r.detection();
        if (d != null) {
            g.addRow(row++, Labels.field("mAP@0.5:0.95"), value(DistillFormat.metric(d.map50to95())
                    + "  (the teacher's boxes as truth, IoU 0.50 to 0.95)", "report-map50-95"));
            g.addRow(row++, Labels.field("Boxes per image"), value(String.format(java.util.Locale.ROOT,
                    "teacher %.2f · student %.2f", d.teacherBoxesPerFrame(), d.studentBoxesPerFrame()),
                    "report-boxes"));
            Label perClass = value(d.perClass().stream().map(x -> x.name() + " AP50 " + DistillFormat.metric(x.ap50())
                    + " (" + x.boxes() + " boxes)").collect(java.util.stream.Collectors.joining(" · ")),
                    "report-per-class");
            perClass.setWrapText(true);
            g.addRow(row++, Labels.field("Per class"), perClass);
        }
        if (r.valAccuracy() != null) {
            g.addRow(row++, Labels.field("Accuracy (folders)"), value(DistillFormat.percent(r.valAccuracy())));
        }
        g.addRow(row++, Labels.field("Training"), value(DistillFormat.duration(r.trainSeconds()) + " · "
                + Plural.of(r.epochs(), "epoch") + " (best " + r.bestEpoch() + ") · "
                + String.format(Locale.ROOT, "%.0f samples/s",
                r.samplesPerSecond())));
        g.addRow(row++, Labels.field("Stopped because"), value(r.stopReason()));
        g.addRow(row++, Labels.field("Student input"), value(r.inputWidth() + "×" + r.inputHeight() + " · " + r.preset()));
        g.addRow(row++, Labels.field("ONNX check"), value(String.format(Locale.ROOT,
                "matches the trained network to %.1e (largest difference)", r.parityMaxAbsDiff())));
        if (r.int8() != null) {
            g.addRow(row++, Labels.field("int8 variant"), value(DistillFormat.bytes(r.int8().bytes()) + " · "
                    + DistillFormat.ms(r.int8().p50Ms()) + " · " + r.metricName() + " "
                    + DistillFormat.percent(r.int8().valMetric())));
        }
        Label path = value(r.studentPath(), "report-path");
        path.setWrapText(true);
        g.add(Labels.field("Student file"), 0, row);
        g.add(path, 1, row, 3, 1);
        for (Node n : g.getChildren()) {
            if (GridPane.getColumnIndex(n) != null && GridPane.getColumnIndex(n) == 0) {
                GridPane.setValignment(n, javafx.geometry.VPos.TOP);
            }
        }
        for (Node n : g.getChildren()) {
            if (n instanceof Label lbl && GridPane.getColumnSpan(n) == null && GridPane.getColumnIndex(n) != null
                    && GridPane.getColumnIndex(n) == 1 && GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) > 3) {
                GridPane.setColumnSpan(lbl, 3);
            }
        }
        // In a narrow page (a 1024 px window) the names and the long values take two lines instead of being cut
        // short; the figures of the three-column rows stay whole.
        for (Node n : g.getChildren()) {
            Integer col = GridPane.getColumnIndex(n);
            Integer rowIndex = GridPane.getRowIndex(n);
            if (!(n instanceof Label lbl) || col == null || rowIndex == null) {
                continue;
            }
            boolean figure = rowIndex <= 3 && col > 0;
            if (!figure) {
                lbl.setWrapText(true);
                lbl.setMinWidth(col == 0 ? 110 : 60);
                lbl.setMinHeight(Region.USE_PREF_SIZE);
            }
        }

        Path folder = Path.of(r.studentPath()).toAbsolutePath().getParent();
        Button open = Actions.openFolder(ctx, folder, "Open folder");
        open.setId("run-open-folder");
        Button tryLive = Actions.goTo(ctx, Screen.LIVE, "Try it Live", false);
        tryLive.setId("run-try-live");
        tryLive.setOnAction(e -> ctx.tryLive(this.row.teacherSha256(), Path.of(r.studentPath())));
        tryLive.setTooltip(new Tooltip("Opens the Live screen with this student and its teacher side by side"));
        Button submit = new Button("Submit to network", new FontIcon("mdi2c-cloud-upload-outline"));
        submit.setId("run-submit");
        submit.setTooltip(new Tooltip("Scores it locally as the validators would, then commits and uploads it"));
        submit.setOnAction(e -> ctx.submitStudent(Path.of(r.studentPath())));
        StackPane submitHolder = new StackPane(submit);
        Button saveAs = new Button("Save a copy…", new FontIcon("mdi2c-content-save-outline"));
        saveAs.setId("run-save-as");
        saveAs.setOnAction(e -> saveCopy(Path.of(r.studentPath())));
        for (Button b : List.of(saveAs, open, tryLive, submit)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        javafx.scene.layout.FlowPane buttons = new javafx.scene.layout.FlowPane(8, 8, saveAs, open, tryLive,
                submitHolder); // on two lines in a narrow page, never "Submit to netw…"
        buttons.setAlignment(Pos.CENTER_LEFT);
        HBox head = new HBox(12, heading);
        head.setAlignment(Pos.CENTER_LEFT);
        if (c != null && c.failed()) {
            // marked where the eye lands first: the student answers little more than the majority class
            Label failed = new Label("FAILED");
            failed.setId("report-failed");
            failed.getStyleClass().setAll("label", "run-status", "run-status-failed");
            failed.setMinWidth(Region.USE_PREF_SIZE);
            failed.setTooltip(new Tooltip(c.verdictReason() + " " + c.advice()));
            head.getChildren().add(failed);
        }
        VBox box = new VBox(12, head, g, buttons);
        box.setId("run-report-box");
        return box;
    }

    /** Copies the exported student where the user wants it (off the FX thread); errors in a dialog. */
    private void saveCopy(Path student) {
        javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
        fc.setTitle("Save the student");
        fc.setInitialFileName(student.getFileName().toString());
        fc.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("ONNX model", "*.onnx"));
        java.io.File target = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (target == null) {
            return;
        }
        javafx.concurrent.Task<Void> copy = new javafx.concurrent.Task<>() {
            @Override
            protected Void call() throws java.io.IOException {
                dev.distillery.core.AtomicFiles.write(target.toPath(), java.nio.file.Files.readAllBytes(student));
                return null;
            }
        };
        copy.setOnFailed(e -> dev.distillery.ui.common.ErrorReporter.report("Could not save the student to "
                + target, copy.getException()));
        dev.distillery.ui.common.Background.run(copy);
    }

    // ------------------------------------------------------------------------------------------------ widgets

    private static LineChart<Number, Number> chart(String title, String xLabel, XYChart.Series<Number, Number> series,
                                                   String id) {
        NumberAxis x = Axes.whole(xLabel); // epochs and steps are whole
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(false);
        y.setMinorTickVisible(false);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setId(id);
        c.setTitle(title);
        c.setLegendVisible(false);
        c.setAnimated(false);
        c.setPrefHeight(280);
        c.setMinHeight(200);
        c.setPrefWidth(260);
        c.setMinWidth(140);
        c.getStyleClass().add("run-chart");
        c.getData().add(series);
        return c;
    }

    private static Node stat(String caption, Label value) {
        Label c = new Label(caption);
        c.getStyleClass().add("stat-caption");
        value.getStyleClass().add("stat-value");
        value.setMinWidth(Region.USE_PREF_SIZE);
        value.setText(value.getText() == null || value.getText().isEmpty() ? "–" : value.getText());
        VBox box = new VBox(2, c, value);
        box.getStyleClass().add("stat");
        box.setMinWidth(120);
        return box;
    }

    private static VBox card(Node content) {
        VBox card = new VBox(content);
        card.getStyleClass().add("card");
        return card;
    }

    private static Label head(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        l.setWrapText(true); // "Student ÷ teacher" on two lines in a narrow page
        l.setMinWidth(60);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label value(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("report-value");
        return l;
    }

    private static Label value(String text, String id) {
        Label l = value(text);
        l.setId(id);
        return l;
    }
}
