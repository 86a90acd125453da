package dev.distillery.ui.teachers;

import dev.distillery.core.Plural;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.eval.BenchResult;
import dev.distillery.teacher.eval.Evaluator;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import dev.distillery.ui.common.EnumNames;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/** The right-hand pane: what the selected teacher is, how it is fed, and what it answers. */
final class TeacherDetail extends VBox {
    final Button tryButton = new Button("Try on image…", new FontIcon("mdi2i-image-search-outline"));
    final Button trySampleButton = new Button("Try on a sample image", new FontIcon("mdi2i-image-text"));
    final Button evalButton = new Button("Evaluate…", new FontIcon("mdi2c-check-decagram-outline"));
    final Button benchButton = new Button("Benchmark", new FontIcon("mdi2s-speedometer"));
    final Button deleteButton = new Button("Delete…", new FontIcon("mdi2t-trash-can-outline"));
    final Button labelsButton = new Button("Attach labels file…", new FontIcon("mdi2t-tag-multiple-outline"));
    final PredictionView prediction = new PredictionView();
    final Label tryHint = new Label("Choose an image to see what this teacher answers, drawn over the picture; no "
            + "pictures at hand? Try it on the sample images that come with Distillery.");
    final TabPane tabs = new TabPane();
    final Tab tryTab;
    private final Teacher teacher;

    TeacherDetail(Teacher t, TeacherService service, Consumer<TeacherProfile> saveProfile) {
        this.teacher = t;
        getStyleClass().add("teacher-detail");
        setId("teacher-detail");
        setSpacing(10);
        Label name = new Label(t.name());
        name.getStyleClass().add("detail-title");
        name.setId("detail-name");
        Label sub = new Label(TeacherFormat.task(t.profile().task()) + "  ·  " + TeacherFormat.bytes(t.sizeBytes())
                + "  ·  " + TeacherFormat.count(t.info().parameterCount()) + " parameters");
        sub.getStyleClass().add("screen-subtitle");
        tryButton.setId("teacher-try");
        tryButton.getStyleClass().add("primary");
        evalButton.setId("teacher-eval");
        evalButton.setDisable(t.profile().task().kind() != TaskKind.CLASSIFICATION);
        benchButton.setId("teacher-bench");
        deleteButton.setId("teacher-delete");
        labelsButton.setId("teacher-labels");
        // on two lines when the detail is narrow (1024 px wide windows), never "Evalu…" or "Del…"
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, tryButton, evalButton,
                benchButton, deleteButton);
        for (Node b : actions.getChildren()) {
            ((Button) b).setMinWidth(Region.USE_PREF_SIZE);
        }

        tryHint.setWrapText(true);
        tryHint.setMinHeight(Region.USE_PREF_SIZE);
        tryHint.getStyleClass().add("hint");
        tryHint.setId("teacher-try-hint");
        trySampleButton.setId("teacher-try-sample");
        trySampleButton.setDisable(!dev.distillery.vision.Samples.available());
        VBox tryBox = new VBox(8, tryHint, trySampleButton, prediction);
        VBox.setVgrow(prediction, Priority.ALWAYS);
        tryBox.setPadding(new Insets(10));
        tryTab = tab("Try", tryBox, "tab-try");
        tabs.getTabs().addAll(
                tab("Overview", scroll(overview(t.info(), t)), "tab-overview"),
                tab("Preprocessing", scroll(new VBox(new ProfileEditor(t.profile(), t.info(), saveProfile),
                        labelsRow())), "tab-preprocessing"),
                tryTab,
                tab("Results", scroll(results(service, t)), "tab-results"));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        getChildren().addAll(new VBox(2, name, sub), actions, tabs);
    }

    private Node labelsRow() {
        Label hint = new Label("Class names come from the model's metadata, or from a labels file: text with one name "
                + "per line, or tab-separated with an index and an id (like ImageNet's index, wnid, name).");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        VBox box = new VBox(8, hint, labelsButton);
        box.setPadding(new Insets(0, 12, 12, 12));
        return box;
    }

    Teacher teacher() {
        return teacher;
    }

    private static Tab tab(String title, Node content, String id) {
        Tab tab = new Tab(title, content);
        tab.setId(id);
        return tab;
    }

    private static ScrollPane scroll(Node n) {
        ScrollPane s = new ScrollPane(n);
        s.setFitToWidth(true);
        s.getStyleClass().add("screen-scroll");
        return s;
    }

    private static Node overview(ModelInfo info, Teacher t) {
        GridPane g = grid();
        int r = 0;
        r = row(g, r, "Inputs", tensors(info.inputs()));
        r = row(g, r, "Outputs", tensors(info.outputs()));
        r = row(g, r, "File", TeacherFormat.bytes(info.fileSize()) + "  (SHA-256 " + t.sha256().substring(0, 16) + "…)");
        r = row(g, r, "Parameters", String.format(Locale.ROOT, "%,d", info.parameterCount()));
        r = row(g, r, "ONNX", "IR version " + info.irVersion() + ", opsets " + info.opsets().entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .sorted().collect(Collectors.joining(", ")));
        r = row(g, r, "Producer", (info.producerName() + " " + info.producerVersion()).isBlank() ? "not recorded"
                : info.producerName() + " " + info.producerVersion());
        r = row(g, r, "Source", EnumNames.of(t.source()) + ": " + t.sourceRef());
        r = row(g, r, "Operators", info.operatorHistogram().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(",  ")));
        row(g, r, "Metadata", info.metadata().isEmpty() ? "none" : info.metadata().entrySet().stream()
                .map(e -> e.getKey() + " = " + abbreviate(e.getValue()))
                .collect(Collectors.joining("\n")));
        return g;
    }

    private static String tensors(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + "  " + s.elementType() + " " + s.shapeText())
                .collect(Collectors.joining("\n"));
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 157) + "…" : s;
    }

    private static Node results(TeacherService service, Teacher t) {
        GridPane g = grid();
        int r = 0;
        BenchResult b = service.benchmark(t).orElse(null);
        if (b == null) {
            r = row(g, r, "Speed", "Not benchmarked yet. Press Benchmark to measure it on this CPU.");
        } else {
            r = row(g, r, "Latency", String.format(Locale.ROOT, "p50 %s, p95 %s at batch %d (%s, %s)",
                    TeacherFormat.ms(b.p50Ms()), TeacherFormat.ms(b.p95Ms()), b.latencyBatch(),
                    Plural.of(b.latencyRuns(), "run"), Plural.of(b.threads(), "thread")));
            r = row(g, r, "Throughput", String.format(Locale.ROOT, "%.1f images/s at batch %d", b.imagesPerSecond(),
                    b.throughputBatch()));
            r = row(g, r, "Memory", String.format(Locale.ROOT, "peak %.0f MB resident during the benchmark", b.peakRssMb()));
            r = row(g, r, "Relative", String.format(Locale.ROOT, "%.2f× the reference CNN (%s) measured in the same run",
                    b.ratioToBaseline(), TeacherFormat.ms(b.baselineP50Ms())));
        }
        Evaluator.Result e = service.evaluation(t).orElse(null);
        row(g, r, "Accuracy", e == null ? (t.profile().task().kind() == TaskKind.CLASSIFICATION
                ? "Not evaluated yet. Press Evaluate… and choose a folder of labelled images."
                : "Top-1/top-5 evaluation applies to classification teachers.") : e.summary());
        return g;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(14);
        g.setVgap(10);
        g.setPadding(new Insets(12));
        javafx.scene.layout.ColumnConstraints key = new javafx.scene.layout.ColumnConstraints();
        key.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints value = new javafx.scene.layout.ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        value.setFillWidth(true);
        value.setMinWidth(120);
        g.getColumnConstraints().addAll(key, value);
        return g;
    }

    private static int row(GridPane g, int r, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("field-label");
        k.setMinWidth(Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        v.setMaxWidth(Double.MAX_VALUE);
        v.setMinHeight(Region.USE_PREF_SIZE);
        v.setId("detail-" + key.toLowerCase(Locale.ROOT));
        g.add(k, 0, r);
        g.add(v, 1, r);
        GridPane.setValignment(k, javafx.geometry.VPos.TOP);
        return r + 1;
    }

    /** Every inferred value, editable and saved with the teacher. */
    static final class ProfileEditor extends VBox {
        ProfileEditor(TeacherProfile p, ModelInfo info, Consumer<TeacherProfile> save) {
            setSpacing(10);
            setPadding(new Insets(12));
            Preprocessing pre = p.preprocessing();
            TaskSpec task = p.task();
            ComboBox<TaskKind> kind = choices(TaskKind.class, task.kind(), "edit-task");
            ComboBox<DetectionLayout> layoutDet = choices(DetectionLayout.class,
                    task.detectionLayout() == null ? DetectionLayout.ROWS_DECODED : task.detectionLayout(), "edit-detection-layout");
            ComboBox<String> output = combo(info.outputs().stream().map(TensorSpec::name).toArray(String[]::new),
                    task.outputName(), "edit-output");
            TextField width = field(Integer.toString(pre.width()), "edit-width");
            TextField height = field(Integer.toString(pre.height()), "edit-height");
            ComboBox<Preprocessing.Layout> layout = choices(Preprocessing.Layout.class, pre.layout(), "edit-layout");
            ComboBox<Preprocessing.ChannelOrder> order = choices(Preprocessing.ChannelOrder.class, pre.channelOrder(),
                    "edit-order");
            TextField scale = field(fmt(pre.scale()), "edit-scale");
            TextField mean = field(list(pre.mean()), "edit-mean");
            TextField std = field(list(pre.std()), "edit-std");
            ComboBox<Preprocessing.ResizeMode> resize = choices(Preprocessing.ResizeMode.class, pre.resize(),
                    "edit-resize");
            TextField crop = field(fmt(pre.cropFraction()), "edit-crop");
            TextField pad = field(Integer.toString(pre.padValue()), "edit-pad");
            Label batch = new Label(pre.batchSize() == 0 ? "any (dynamic)" : pre.batchSize() + " (fixed by the model)");
            Label labels = new Label(p.labels().isEmpty() ? "none (class numbers are shown)"
                    : Plural.of(p.labels().size(), "label") + ": "
                    + String.join(", ", p.labels().subList(0, Math.min(5, p.labels().size())))
                    + (p.labels().size() > 5 ? ", …" : ""));
            labels.setWrapText(true);
            Label problem = new Label();
            problem.getStyleClass().add("error-text");
            problem.setId("edit-problem");
            Button saveButton = new Button("Save preprocessing", new FontIcon("mdi2c-content-save-outline"));
            saveButton.setId("edit-save");
            saveButton.setOnAction(e -> {
                try {
                    boolean detector = kind.getValue() == TaskKind.DETECTION; // the hidden layout counts for nothing
                    TaskSpec t = new TaskSpec(kind.getValue(), detector ? layoutDet.getValue() : null,
                            task.numClasses(), task.outputIsProbability(),
                            detector && layoutDet.getValue() == DetectionLayout.ROWS_GRID ? List.of(8, 16, 32)
                                    : task.strides(),
                            output.getValue());
                    Preprocessing np = new Preprocessing(Integer.parseInt(width.getText().trim()),
                            Integer.parseInt(height.getText().trim()), layout.getValue(), order.getValue(),
                            Double.parseDouble(scale.getText().trim()), parseList(mean.getText()), parseList(std.getText()),
                            resize.getValue(), Double.parseDouble(crop.getText().trim()),
                            Integer.parseInt(pad.getText().trim()), pre.batchSize(), pre.elementType());
                    problem.setText("");
                    save.accept(new TeacherProfile(t, np, p.labels()));
                } catch (RuntimeException ex) {
                    problem.setText("Not saved: " + (ex instanceof NumberFormatException ? "a number field holds \""
                            + ex.getMessage().replace("For input string: ", "").replace("\"", "") + "\"" : ex.getMessage()));
                }
            });
            GridPane g = grid();
            int r = 0;
            r = add(g, r, "Task", kind);
            Label layoutKey = new Label("Detection layout");
            // how boxes are laid out only means something for a detector: the row shows for detection only
            r = add(g, r, layoutKey, layoutDet);
            for (Node n : List.of(layoutKey, layoutDet)) {
                n.visibleProperty().bind(kind.valueProperty().isEqualTo(TaskKind.DETECTION));
                n.managedProperty().bind(n.visibleProperty());
            }
            r = add(g, r, "Output read", output);
            r = add(g, r, "Input size", new HBox(6, width, new Label("×"), height));
            r = add(g, r, "Layout", layout);
            r = add(g, r, "Channel order", order);
            r = add(g, r, "Scale", scale);
            r = add(g, r, "Mean", mean);
            r = add(g, r, "Std", std);
            r = add(g, r, "Resize", resize);
            r = add(g, r, "Crop fraction", crop);
            r = add(g, r, "Pad value", pad);
            r = add(g, r, "Batch", batch);
            add(g, r, "Labels", labels);
            Label hint = new Label("Inferred from the model's inputs, outputs and metadata. Change what is wrong and save; "
                    + "Try, Evaluate and Benchmark use the saved values.");
            hint.getStyleClass().add("hint");
            hint.setWrapText(true);
            HBox bottom = new HBox(10, saveButton, problem);
            bottom.setAlignment(Pos.CENTER_LEFT);
            getChildren().addAll(hint, g, bottom);
        }

        private static int add(GridPane g, int r, String key, Node n) {
            return add(g, r, new Label(key), n);
        }

        private static int add(GridPane g, int r, Label k, Node n) {
            k.getStyleClass().add("field-label");
            g.add(k, 0, r);
            g.add(n, 1, r);
            return r + 1;
        }

        /** A choice of enum values, each shown by its human name. */
        private static <T extends Enum<T>> ComboBox<T> choices(Class<T> type, T selected, String id) {
            ComboBox<T> c = combo(type.getEnumConstants(), selected, id);
            c.setConverter(EnumNames.converter(type));
            return c;
        }

        private static <T> ComboBox<T> combo(T[] values, T selected, String id) {
            ComboBox<T> c = new ComboBox<>();
            c.getItems().addAll(Arrays.asList(values));
            c.setValue(selected);
            c.setId(id);
            return c;
        }

        private static TextField field(String text, String id) {
            TextField f = new TextField(text);
            f.setPrefColumnCount(14);
            f.setId(id);
            return f;
        }

        private static String fmt(double v) {
            return v == 1.0 / 255 ? "0.00392157" : Double.toString(v);
        }

        private static String list(List<Double> v) {
            return v.stream().map(d -> Double.toString(d)).collect(Collectors.joining(", "));
        }

        static List<Double> parseList(String s) {
            List<Double> out = Arrays.stream(s.split("[,;\\s]+")).filter(x -> !x.isBlank()).map(Double::parseDouble).toList();
            if (out.size() != 3) {
                throw new IllegalArgumentException("mean and std need three numbers, one per channel");
            }
            return out;
        }
    }
}
