package dev.distillery.ui.network;

import dev.distillery.distill.target.ClassGroups;
import dev.distillery.model.TaskKind;
import dev.distillery.network.devnet.DevnetChallenges;
import dev.distillery.network.score.Challenge;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.ShellContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

/**
 * The local devnet's challenge, in the Connect dialog: the built-in text maps (PP-OCRv4, simulated competitors), or
 * object detection with one of the user's detector teachers, judged on frames drawn afresh every epoch from a folder
 * of the user's photos or clips. {@link #challenge()} checks every field and says what is wrong.
 */
final class DevnetChallengeForm {
    /** The form's width: wrapped hints need a bound, or the dialog grows to the length of their text. */
    static final double WIDTH = 560;
    private final ShellContext ctx;
    private final RadioButton builtIn = new RadioButton("Text maps with PP-OCRv4 (built in; simulated miners compete "
            + "too)");
    private final RadioButton detection = new RadioButton("Object detection with one of your teachers, judged on "
            + "your frames");
    private final ComboBox<Teacher> teacher = new ComboBox<>();
    private final TextField classes = new TextField("person=0");
    private final TextField pool = new TextField();
    private final ComboBox<Integer> input = new ComboBox<>();
    private final TextField budget = new TextField();
    private final TextField sizeCap = new TextField("2");
    private final Label teacherHint = new Label();
    private final VBox node;

    DevnetChallengeForm(ShellContext ctx) {
        this.ctx = ctx;
        ToggleGroup which = new ToggleGroup();
        builtIn.setToggleGroup(which);
        builtIn.setId("devnet-challenge-builtin");
        detection.setToggleGroup(which);
        detection.setId("devnet-challenge-detection");
        teacher.setId("devnet-challenge-teacher");
        classes.setId("devnet-challenge-classes");
        pool.setId("devnet-challenge-pool");
        input.setId("devnet-challenge-input");
        budget.setId("devnet-challenge-budget");
        sizeCap.setId("devnet-challenge-size");
        List<Teacher> detectors = new ArrayList<>();
        for (Teacher t : ctx.teachers().list()) {
            if (t.profile().task().kind() == TaskKind.DETECTION && t.profile().task().detectionLayout() != null) {
                detectors.add(t);
            }
        }
        teacher.getItems().setAll(detectors);
        teacher.setCellFactory(l -> new TeacherCell());
        teacher.setButtonCell(new TeacherCell());
        teacher.setMaxWidth(Double.MAX_VALUE);
        input.getItems().setAll(256, 320, 416);
        input.setValue(320);
        classes.setPromptText("person=0");
        pool.setPromptText("a folder of photos or video clips");
        teacherHint.getStyleClass().add("hint");
        teacherHint.setWrapText(true);
        teacherHint.setMaxWidth(WIDTH - 24);
        teacher.valueProperty().addListener((o, a, t) -> {
            if (t != null) {
                double p50 = ctx.teachers().benchmark(t).map(b -> b.p50Ms()).orElse(Double.NaN);
                budget.setText(format(DevnetChallenges.proposedBudgetMs(p50)));
                teacherHint.setText(Double.isNaN(p50) ? "Not benchmarked here yet: the budget is a guess (Benchmark "
                        + "the teacher on the Teachers screen for a better one)."
                        : String.format(Locale.ROOT, "%s takes %.1f ms (p50) on this computer: the budget proposed "
                        + "is 45 %% of that.", t.name(), p50));
            }
        });
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Frames the validators draw from (photos or clips, searched recursively)");
            File f = dc.showDialog(choose.getScene().getWindow());
            if (f != null) {
                pool.setText(f.toString());
            }
        });
        HBox poolRow = new HBox(6, pool, choose);
        HBox.setHgrow(pool, Priority.ALWAYS);
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(6);
        g.addRow(0, new Label("Teacher"), teacher);
        g.addRow(1, new Label("Classes"), classes);
        g.addRow(2, new Label("Frames"), poolRow);
        g.addRow(3, new Label("Input"), input);
        g.addRow(4, new Label("Latency budget (ms)"), budget);
        g.addRow(5, new Label("Size cap (MB)"), sizeCap);
        GridPane.setHgrow(poolRow, Priority.ALWAYS);
        Label hint = new Label(detectors.isEmpty()
                ? "Import a detector (YOLOX or YOLOv8 layout) on the Teachers screen to make a detection challenge."
                : "Classes as in Distill: NAME=ids or names, groups separated by ';'. Every epoch the validators "
                + "draw " + DevnetChallenges.POOL_FRAMES + " frames from the folder (cropped, mirrored, relit): use "
                + "frames you did not train on. Each choice gets a ledger of its own.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        hint.setMaxWidth(WIDTH - 24);
        VBox detail = new VBox(6, g, teacherHint, hint);
        detail.setPadding(new javafx.geometry.Insets(0, 0, 0, 24));
        // shown only when chosen: the dialog must fit a 640-pixel-high screen
        detail.visibleProperty().bind(detection.selectedProperty());
        detail.managedProperty().bind(detection.selectedProperty());
        detection.setDisable(detectors.isEmpty());
        node = new VBox(6, new Label("Challenge"), builtIn, detection, detail);
        node.setMaxWidth(WIDTH);
        load(ctx.network().devnetChallenge(), detectors);
    }

    private void load(Challenge stored, List<Teacher> detectors) {
        Teacher match = stored == null ? null : detectors.stream()
                .filter(t -> t.sha256().equalsIgnoreCase(stored.teacherSha256())).findFirst().orElse(null);
        if (match == null) {
            builtIn.setSelected(true);
            if (!detectors.isEmpty()) {
                teacher.setValue(detectors.get(0));
            }
            return;
        }
        detection.setSelected(true);
        teacher.setValue(match);
        classes.setText(String.join("; ", stored.classes()));
        pool.setText(stored.data() == null || stored.data().folder() == null ? "" : stored.data().folder());
        input.setValue(stored.input().width());
        budget.setText(format(stored.latencyBudgetMs()));
        sizeCap.setText(format(stored.sizeCapBytes() / 1e6));
    }

    Node node() {
        return node;
    }

    /** Runs {@code r} when the form shows or hides its detection fields (the dialog then fits itself again). */
    void onResize(Runnable r) {
        detection.selectedProperty().addListener((o, a, b) -> r.run());
    }

    /**
     * The challenge chosen: null for the built-in one.
     *
     * @throws IllegalArgumentException saying which field is wrong and how to put it right
     */
    Challenge challenge() {
        if (builtIn.isSelected()) {
            return null;
        }
        Teacher t = teacher.getValue();
        if (t == null) {
            throw new IllegalArgumentException("Choose the detector teacher the challenge is judged with");
        }
        List<String> groups = new ArrayList<>();
        for (String part : classes.getText().split(";")) {
            if (!part.isBlank()) {
                groups.add(part.strip());
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("Name at least one class to detect, e.g. person=0");
        }
        ClassGroups.parse(groups, t.profile().labels(), t.profile().task().numClasses());
        if (pool.getText().isBlank()) {
            throw new IllegalArgumentException("Choose the folder of photos or clips the validators draw frames from");
        }
        Path folder = Path.of(pool.getText().strip());
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The frames folder " + folder + " does not exist");
        }
        if (!hasFrames(folder)) {
            throw new IllegalArgumentException("The folder " + folder + " holds no photos (jpg, png, bmp, webp) or clips "
                    + "(mp4, avi, mov, mkv, webm): choose one that does");
        }
        double ms = number(budget.getText(), "latency budget");
        double mb = number(sizeCap.getText(), "size cap");
        return DevnetChallenges.detection(t.sha256(), groups, folder, input.getValue(), ms, Math.round(mb * 1e6));
    }

    private static double number(String text, String what) {
        try {
            double v = Double.parseDouble(text.strip().replace(',', '.'));
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException("The " + what + " must be a positive number, got '" + text + "'");
    }

    private static boolean hasFrames(Path folder) {
        try (Stream<Path> s = Files.walk(folder, 4)) {
            return s.filter(Files::isRegularFile).anyMatch(dev.distillery.network.score.EvalImages::isPoolFile);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static final class TeacherCell extends ListCell<Teacher> {
        @Override
        protected void updateItem(Teacher t, boolean empty) {
            super.updateItem(t, empty);
            setText(empty || t == null ? null : t.name());
        }
    }
}
