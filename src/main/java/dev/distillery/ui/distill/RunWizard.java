package dev.distillery.ui.distill;

import dev.distillery.distill.StudentTask;
import static dev.distillery.ui.common.Labels.field;
import static dev.distillery.ui.common.Labels.hint;

import dev.distillery.core.Plural;
import dev.distillery.distill.DistillService;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.StudentSpec;
import dev.distillery.distill.StudentZoo;
import dev.distillery.distill.data.Dataset;
import dev.distillery.distill.data.DatasetBuilder;
import dev.distillery.distill.data.TextSceneGenerator;
import dev.distillery.distill.target.ClassGroups;
import dev.distillery.model.TaskKind;
import dev.distillery.store.DatasetRow;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.ErrorReporter;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import javafx.concurrent.Task;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The New run wizard: teacher → data → target → student → training, with Back / Next / Cancel. The data step
 * can build a dataset on the spot (folder, video, or generated text for the built-in PaddleOCR teachers) with a
 * progress bar and Cancel. Class groups are checked as they are typed. Finish registers the run through
 * {@link DistillService#create}; its refusals appear in red in the wizard, which stays open.
 */
final class RunWizard {
    static final String[] STEPS = {"Teacher", "Data", "Target", "Student", "Training"};
    private static final ButtonType BACK = new ButtonType("Back", ButtonBar.ButtonData.BACK_PREVIOUS);
    private static final ButtonType NEXT = new ButtonType("Next", ButtonBar.ButtonData.NEXT_FORWARD);
    private static final ButtonType FINISH = new ButtonType("Start run", ButtonBar.ButtonData.FINISH);

    private final ShellContext ctx;
    private final Dialog<Long> dialog = new Dialog<>();
    private final Label stepTitle = new Label();
    private final StackPane pages = new StackPane();
    private final Node[] stepPages = new Node[STEPS.length];
    private final Label error = new Label();
    private int step;
    private Long created;
    private boolean finishing;

    // teacher
    private final ComboBox<Teacher> teacher = new ComboBox<>();
    private final Label teacherInfo = new Label();
    // data
    private final ToggleGroup dataMode = new ToggleGroup();
    private final RadioButton useExisting = new RadioButton("Use a dataset built before");
    private final RadioButton fromFolder = new RadioButton("Images from a folder");
    private final RadioButton fromVideo = new RadioButton("Frames of a video");
    private final RadioButton sampleImages = new RadioButton("Sample images");
    private final Label sampleInfo = new Label("shipped with Distillery");
    private final RadioButton generated = new RadioButton("Generated text");
    private final ComboBox<DatasetRow> dataset = new ComboBox<>();
    private static final int THUMBNAILS = 10;
    private final dev.distillery.ui.common.ThumbnailStrip thumbnails = new dev.distillery.ui.common.ThumbnailStrip(40);
    private final Label folderLabel = new Label("no folder chosen");
    private final Label videoLabel = new Label("no video chosen");
    private final Spinner<Integer> videoStep = new Spinner<>(1, 10_000, 10);
    private final Spinner<Integer> generatedCount = new Spinner<>(8, 100_000, 400, 100);
    private final Label generatedInfo = new Label();
    private final TextField datasetName = new TextField();
    private final Button build = new Button("Build dataset", new FontIcon("mdi2d-database-plus-outline"));
    private final ProgressBar buildBar = new ProgressBar(0);
    private final Label buildMessage = new Label();
    private final Button buildCancel = new Button("Cancel build");
    private final Label buildResult = new Label();
    private Path folder;
    private Path video;
    /** The sample images' folder in the data directory, once copied there; null before or without samples. */
    private Path samples;
    private Task<Dataset> building;
    // target
    private final ToggleGroup targetMode = new ToggleGroup();
    private final RadioButton allClasses = new RadioButton("All classes");
    private final RadioButton grouped = new RadioButton("Class groups");
    private final TextArea groups = new TextArea();
    private final Label groupsResult = new Label();
    private final VBox classTarget = new VBox(8);
    private final Label mapTarget = new Label();
    // student
    private final ListView<StudentSpec> presets = new ListView<>();
    private final PresetTiming timing = new PresetTiming();
    /** Set once the user chose a preset: the measured pick no longer moves the selection. */
    private boolean presetChosen;
    /** True while the wizard itself moves the selection. */
    private boolean selectingPreset;
    // training
    private final Spinner<Double> minutes = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.1, 24 * 60,
            10, 1));
    private final Spinner<Integer> epochs = new Spinner<>(1, 10_000, 200, 10);
    private final ToggleGroup mode = new ToggleGroup();
    private final RadioButton cached = new RadioButton("Cached");
    private final RadioButton consistent = new RadioButton("Consistent");
    private final Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 42);
    private final CheckBox int8 = new CheckBox("Also export an int8 (quantized) student");
    private final TextField output = new TextField();
    private final TextField runName = new TextField();

    private final dev.distillery.ui.ChallengePrefill prefill;
    /** What ends training before the epoch limit (the task's patience), beside the limit. */
    private final Label epochsNote = new Label();
    /** The epoch limit the wizard last set from the task's defaults (a value the user typed is kept). */
    private int epochsDefault = 200;

    /** The Training step's epoch limit and its note, from the student's task (detectors train their whole budget). */
    private void trainingDefaults() {
        Teacher t = teacher.getValue();
        if (t == null) {
            return;
        }
        Distiller.Settings d = Distiller.Settings.defaults(DistillFormat.studentKind(t));
        if (epochs.getValue() == epochsDefault) {
            epochs.getValueFactory().setValue(d.maxEpochs());
        }
        epochsDefault = d.maxEpochs();
        epochsNote.setText(d.patience() > 0 ? "epochs (or fewer: it stops when agreement stops improving)"
                : "epochs (it trains for the whole time budget unless it reaches these first)");
    }

    /** The Student step's lead: what the presets are timed against. */
    private final Label budgetLead = new Label();
    /** Detector teachers' p50 timed here (ms), by SHA-256. */
    private final java.util.Map<String, Double> teacherP50 = new java.util.HashMap<>();
    /** The teacher being timed, or null. */
    private String timingTeacher;

    RunWizard(ShellContext ctx, Window owner, LongConsumer onCreated) {
        this(ctx, owner, onCreated, null);
    }

    RunWizard(ShellContext ctx, Window owner, LongConsumer onCreated, dev.distillery.ui.ChallengePrefill prefill) {
        this.ctx = ctx;
        this.prefill = prefill;
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle("New distillation run");
        dialog.setHeaderText("New run: a teacher, data, a target, a student and a time budget");
        dialog.setResizable(true);
        dialog.getDialogPane().setId("wizard");
        dialog.getDialogPane().getButtonTypes().addAll(BACK, NEXT, FINISH, ButtonType.CANCEL);
        button(BACK).setId("wizard-back");
        button(NEXT).setId("wizard-next");
        button(FINISH).setId("wizard-finish");
        button(FINISH).getStyleClass().add("primary");
        button(ButtonType.CANCEL).setId("wizard-cancel");
        button(NEXT).setDefaultButton(true);
        button(BACK).addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            show(step - 1);
        });
        button(NEXT).addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            if (stepProblem(step) == null) {
                show(step + 1);
            }
        });
        button(FINISH).addEventFilter(ActionEvent.ACTION, e -> {
            if (!finishing) {
                e.consume();
                finish();
            }
        });
        // Enter goes on (Next, or Start run on the last step) wherever the focus is, except in the groups text
        // area (new line), on a button (that button) and in an open drop-down (picks the item).
        dialog.getDialogPane().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != javafx.scene.input.KeyCode.ENTER || e.getTarget() instanceof TextArea
                    || e.getTarget() instanceof Button
                    || e.getTarget() instanceof javafx.scene.control.ComboBoxBase<?> c && c.isShowing()) {
                return;
            }
            Button go = step < STEPS.length - 1 ? button(NEXT) : button(FINISH);
            e.consume();
            if (!go.isDisabled()) {
                go.fire();
            }
        });
        dialog.setResultConverter(bt -> bt == FINISH ? created : null);
        dialog.setOnHidden(e -> {
            if (building != null && building.isRunning()) {
                building.cancel(true);
            }
            if (created != null) {
                onCreated.accept(created);
            }
        });

        stepPages[0] = teacherPage();
        stepPages[1] = dataPage();
        stepPages[2] = targetPage();
        stepPages[3] = studentPage();
        stepPages[4] = trainingPage();
        stepTitle.getStyleClass().add("section-title");
        stepTitle.setId("wizard-step");
        error.getStyleClass().add("error-text");
        error.setId("wizard-error");
        error.setWrapText(true);
        VBox content = new VBox(12, stepTitle, pages, error);
        if (prefill != null) {
            Label note = new Label(prefill.note(), new org.kordamp.ikonli.javafx.FontIcon("mdi2t-target"));
            note.setId("wizard-challenge");
            note.setWrapText(true);
            note.getStyleClass().add("pending-change");
            content.getChildren().add(0, note);
            if (prefill.runName() != null) {
                runName.setText(prefill.runName());
            }
            if (!prefill.groups().isEmpty()) {
                // the challenge's classes: a student with other ones would be refused by its validators
                groups.setText(String.join("\n", prefill.groups()));
                grouped.setSelected(true);
            }
        }
        VBox.setVgrow(pages, Priority.ALWAYS);
        content.setPrefSize(680, 470);
        content.setPadding(new Insets(4, 10, 0, 10));
        dialog.getDialogPane().setContent(content);
        show(0);
        load();
    }

    Dialog<Long> dialog() {
        return dialog;
    }

    void show() {
        dialog.show();
    }

    private Button button(ButtonType t) {
        return (Button) dialog.getDialogPane().lookupButton(t);
    }

    // ------------------------------------------------------------------------------------------------ steps

    private void show(int index) {
        if (step == 3 && index != 3) {
            presetChosen = true; // leaving the Student step accepts what it shows: a late timing must not change it
        }
        step = Math.max(0, Math.min(STEPS.length - 1, index));
        if (step == 4) {
            trainingDefaults();
        }
        stepTitle.setText("Step " + (step + 1) + " of " + STEPS.length + " · " + STEPS[step]);
        pages.getChildren().setAll(stepPages[step]);
        error.setText("");
        if (step == 2) {
            updateTarget();
        }
        if (step == 3) {
            updatePresets();
        }
        refreshButtons();
        // Never leave the focus on Cancel: Enter would close the wizard instead of going on.
        Node focus = switch (step) {
            case 0 -> teacher;
            case 1 -> useExisting.isSelected() ? dataset : dataMode.getSelectedToggle() instanceof Node n ? n : dataset;
            case 2 -> isClassifier() && grouped.isSelected() ? groups : button(NEXT);
            case 3 -> presets;
            default -> minutes;
        };
        javafx.application.Platform.runLater(focus::requestFocus);
    }

    /** Why the current step cannot go on, or null. */
    private String stepProblem(int s) {
        return switch (s) {
            case 0 -> teacher.getValue() == null ? "Choose a teacher"
                    : DistillFormat.unusable(teacher.getValue()) != null ? "This teacher cannot be distilled: "
                    + DistillFormat.unusable(teacher.getValue()) : null;
            case 1 -> building != null && building.isRunning() ? "The dataset is still being built"
                    : !useExisting.isSelected() || dataset.getValue() == null
                    ? "Choose a dataset, or build one and wait until it is ready" : null;
            case 2 -> isClassifier() && grouped.isSelected() ? groupsProblem() : null;
            case 3 -> presets.getSelectionModel().getSelectedItem() == null ? "Choose a student preset" : null;
            default -> null;
        };
    }

    private void refreshButtons() {
        String problem = stepProblem(step);
        button(BACK).setDisable(step == 0);
        button(NEXT).setDefaultButton(step < STEPS.length - 1);
        button(FINISH).setDefaultButton(step == STEPS.length - 1);
        button(NEXT).setDisable(step == STEPS.length - 1 || problem != null);
        boolean ready = true;
        for (int i = 0; i < STEPS.length; i++) {
            ready &= stepProblem(i) == null;
        }
        button(FINISH).setDisable(step != STEPS.length - 1 || !ready || finishing);
    }

    private void load() {
        Task<Object[]> t = new Task<>() {
            @Override
            protected Object[] call() {
                return new Object[] {ctx.teachers().list(), ctx.session().database().datasets().list(), sampleFolder()};
            }
        };
        t.setOnSucceeded(e -> {
            @SuppressWarnings("unchecked")
            List<Teacher> ts = (List<Teacher>) t.getValue()[0];
            @SuppressWarnings("unchecked")
            List<DatasetRow> ds = (List<DatasetRow>) t.getValue()[1];
            teacher.getItems().setAll(ts);
            ts.stream().filter(x -> DistillFormat.unusable(x) == null).findFirst().ifPresent(teacher::setValue);
            if (prefill != null && prefill.teacherSha256() != null) {
                ts.stream().filter(x -> x.sha256().equalsIgnoreCase(prefill.teacherSha256())).findFirst()
                        .ifPresentOrElse(teacher::setValue, () -> teacherInfo.setText("The challenge's teacher is "
                                + "not in your library yet: use Download teacher on the Network screen first."));
            }
            showSamples((SampleImages) t.getValue()[2]);
            dataset.getItems().setAll(ds);
            useExisting.setDisable(ds.isEmpty());
            if (!ds.isEmpty()) {
                dataset.setValue(ds.get(0));
            } else {
                chooseBuildSource();
            }
            if (ts.isEmpty()) {
                teacherInfo.setText("The library has no teachers yet: import one on the Teachers screen first.");
            }
            refreshButtons();
        });
        Background.run(t);
    }

    /** The sample images' folder and how many images it holds. */
    private record SampleImages(Path folder, int count) {
    }

    /** Copies the shipped sample images into the data directory (first use); null when this build has none. */
    private SampleImages sampleFolder() {
        if (!dev.distillery.vision.Samples.available()) {
            return null;
        }
        try {
            dev.distillery.vision.Samples s = new dev.distillery.vision.Samples(ctx.session().dataDirectory().root());
            s.install();
            int n = s.imageFiles().size();
            return n == 0 ? null : new SampleImages(s.images(), n);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunWizard.class).warn("No sample images: {}", e.getMessage());
            return null;
        }
    }

    private void showSamples(SampleImages found) {
        samples = found == null ? null : found.folder();
        sampleImages.setDisable(found == null);
        if (found == null) {
            sampleInfo.setText("not in this build");
            return;
        }
        sampleImages.setText("Sample images (" + found.count() + " text scenes)");
        sampleInfo.setText("made by Distillery: words on gradients, noise and shapes");
    }

    // ------------------------------------------------------------------------------------------------ teacher

    private Node teacherPage() {
        teacher.setId("wizard-teacher");
        teacher.setPrefWidth(420);
        teacher.setPromptText("a teacher from the library");
        teacher.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Teacher t, boolean empty) {
                super.updateItem(t, empty);
                if (empty || t == null) {
                    setText(null);
                    setDisable(false);
                    return;
                }
                String why = DistillFormat.unusable(t);
                setText(why == null ? t.name() + "  ·  " + t.profile().task().kind().title()
                        : t.name() + "  (" + why + ")");
                setDisable(why != null);
                setOpacity(why == null ? 1 : 0.55);
            }
        });
        teacher.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(Teacher t, boolean empty) {
                super.updateItem(t, empty);
                setText(empty || t == null ? null : t.name());
            }
        });
        teacher.valueProperty().addListener((o, a, t) -> {
            teacherInfo.setText(t == null ? "" : describe(t));
            updateGeneratedChoice();
            refreshButtons();
        });
        teacherInfo.setWrapText(true);
        teacherInfo.setId("wizard-teacher-info");
        Label lead = hint("The student learns to answer like this teacher. Classifiers, dense-map teachers (such "
                + "as text detectors) and object detectors (YOLO) can be distilled; embedding models cannot yet.");
        return new VBox(10, lead, teacher, teacherInfo);
    }

    private static String describe(Teacher t) {
        var task = t.profile().task();
        var p = t.profile().preprocessing();
        String what = task.kind() == TaskKind.CLASSIFICATION
                ? "Classifier with " + Plural.of(task.numClasses(), "class")
                + (t.profile().labels().isEmpty() ? " (no label names)" : "")
                : task.kind() == TaskKind.DENSE ? "Dense map teacher: the student learns its per-pixel map"
                : task.kind() == TaskKind.DETECTION ? "Object detector with " + Plural.of(task.numClasses(), "class")
                + ": the student learns its boxes of the classes you choose"
                : task.kind().title();
        String why = DistillFormat.unusable(t);
        return what + " · input " + p.width() + "×" + p.height() + " · " + DistillFormat.bytes(t.sizeBytes())
                + (why == null ? "" : "\nCannot be distilled: " + why + ".");
    }

    private boolean isClassifier() {
        return teacher.getValue() == null
                || teacher.getValue().profile().task().kind() != TaskKind.DENSE;
    }

    // ------------------------------------------------------------------------------------------------ data

    private Node dataPage() {
        for (RadioButton r : List.of(useExisting, fromFolder, sampleImages, fromVideo, generated)) {
            r.setToggleGroup(dataMode);
        }
        useExisting.setId("wizard-data-existing");
        fromFolder.setId("wizard-data-folder");
        fromVideo.setId("wizard-data-video");
        generated.setId("wizard-data-generated");
        sampleImages.setId("wizard-data-samples");
        for (RadioButton r : List.of(useExisting, fromFolder, sampleImages, fromVideo, generated)) {
            r.setMinWidth(Region.USE_PREF_SIZE); // the choices' names are never cut short
        }
        sampleImages.setDisable(true); // until the samples are in the data directory
        sampleInfo.getStyleClass().add("hint");
        useExisting.setSelected(true);
        dataset.setId("wizard-dataset");
        dataset.setPrefWidth(420);
        dataset.setPromptText("no datasets yet: build one below");
        dataset.setCellFactory(l -> datasetCell());
        dataset.setButtonCell(datasetCell());
        dataset.valueProperty().addListener((o, a, b) -> {
            refreshButtons();
            showThumbnails(b);
        });
        thumbnails.setId("wizard-thumbnails");
        dataMode.selectedToggleProperty().addListener((o, a, b) -> {
            build.setDisable(b == useExisting || building != null && building.isRunning());
            refreshButtons();
        });
        dataset.disableProperty().bind(useExisting.selectedProperty().not());

        Button chooseFolder = new Button("Choose…");
        chooseFolder.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder of images (searched recursively)");
            File f = dc.showDialog(dialog.getDialogPane().getScene().getWindow());
            if (f != null) {
                folder = f.toPath();
                folderLabel.setText(folder.toString());
                fromFolder.setSelected(true);
            }
        });
        Button chooseVideo = new Button("Choose…");
        chooseVideo.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("A video to take frames from");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Videos", "*.mp4", "*.avi", "*.mkv",
                    "*.webm", "*.mov"), new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(dialog.getDialogPane().getScene().getWindow());
            if (f != null) {
                video = f.toPath();
                videoLabel.setText(video.toString());
                fromVideo.setSelected(true);
            }
        });
        videoStep.setPrefWidth(90);
        videoStep.setEditable(true);
        generatedCount.setPrefWidth(100);
        generatedCount.setEditable(true);
        generatedCount.setId("wizard-generated-count");
        folderLabel.getStyleClass().add("hint");
        videoLabel.getStyleClass().add("hint");
        generatedInfo.getStyleClass().add("hint");
        generatedInfo.setWrapText(true);

        GridPane sources = new GridPane();
        sources.setHgap(10);
        sources.setVgap(8);
        sources.addRow(0, useExisting, dataset);
        HBox folderRow = new HBox(8, chooseFolder, folderLabel);
        folderRow.setAlignment(Pos.CENTER_LEFT);
        sources.addRow(1, fromFolder, folderRow);
        sources.addRow(2, sampleImages, sampleInfo);
        HBox videoRow = new HBox(8, chooseVideo, new Label("every"), videoStep, new Label("th frame"), videoLabel);
        videoRow.setAlignment(Pos.CENTER_LEFT);
        sources.addRow(3, fromVideo, videoRow);
        HBox genRow = new HBox(8, generatedCount, generatedInfo);
        genRow.setAlignment(Pos.CENTER_LEFT);
        sources.addRow(4, generated, genRow);

        datasetName.setId("wizard-dataset-name");
        datasetName.setPromptText("name of the new dataset (optional)");
        datasetName.setPrefColumnCount(24);
        build.setId("wizard-build");
        build.setDisable(true);
        build.setOnAction(e -> buildDataset());
        buildBar.setPrefWidth(220);
        buildBar.setId("wizard-build-progress");
        buildCancel.setId("wizard-build-cancel");
        buildCancel.setOnAction(e -> {
            if (building != null) {
                building.cancel(true);
            }
        });
        buildMessage.getStyleClass().add("hint");
        HBox progress = new HBox(10, buildBar, buildCancel, buildMessage);
        progress.setAlignment(Pos.CENTER_LEFT);
        progress.visibleProperty().bind(buildCancel.disableProperty().not());
        progress.managedProperty().bind(progress.visibleProperty());
        buildCancel.setDisable(true);
        buildResult.setId("wizard-build-result");
        buildResult.setWrapText(true);
        HBox buildRow = new HBox(10, datasetName, build);
        buildRow.setAlignment(Pos.CENTER_LEFT);
        Label lead = hint("The teacher labels these images and the student learns from its answers; one image in "
                + "ten is kept aside to measure how well the student agrees with the teacher.");
        VBox page = new VBox(8, lead, sources, thumbnails, buildRow, progress, buildResult);
        return page;
    }

    /** A strip of the dataset's images, spread over it; the item list is read off the FX thread. */
    private void showThumbnails(DatasetRow d) {
        thumbnails.show(List.of());
        if (d == null) {
            return;
        }
        Task<List<java.nio.file.Path>> load = new Task<>() {
            @Override
            protected List<java.nio.file.Path> call() {
                var items = ctx.session().database().datasets().items(d.id());
                int n = Math.min(THUMBNAILS, items.size());
                List<java.nio.file.Path> out = new java.util.ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(java.nio.file.Path.of(items.get(i * items.size() / n).path()));
                }
                return out;
            }
        };
        load.setOnSucceeded(e -> {
            if (d.equals(dataset.getValue())) {
                thumbnails.show(load.getValue());
            }
        });
        Background.run(load);
    }

    private static ListCell<DatasetRow> datasetCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(DatasetRow d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.name() + "  ·  " + d.trainCount() + " train, " + d.valCount()
                        + " val");
            }
        };
    }

    private void updateGeneratedChoice() {
        Teacher t = teacher.getValue();
        boolean builtin = t != null && t.source() == Teacher.Source.BUILTIN;
        generated.setDisable(!builtin);
        generatedCount.setDisable(!builtin);
        if (!builtin) {
            generatedInfo.setText("for the built-in PaddleOCR teachers only");
            if (generated.isSelected() && useExisting.isDisabled()) {
                chooseBuildSource();
            } else if (generated.isSelected()) {
                useExisting.setSelected(true);
            }
        } else if (t.profile().task().kind() == TaskKind.DENSE) {
            generatedInfo.setText("text scenes, 320×320 (the student's size)");
        } else {
            generatedInfo.setText("text lines, half of them upside down");
        }
    }

    /** No dataset was built before: the data step starts on building one, from the samples, text or a folder. */
    private void chooseBuildSource() {
        RadioButton from = !sampleImages.isDisabled() ? sampleImages
                : !generated.isDisabled() ? generated : fromFolder;
        from.setSelected(true);
    }

    private void buildDataset() {
        DatasetBuilder b = new DatasetBuilder(ctx.session().database().datasets(),
                ctx.session().dataDirectory().datasets());
        String name = datasetName.getText().strip();
        Teacher t = teacher.getValue();
        try {
            if (fromFolder.isSelected()) {
                if (folder == null) {
                    error.setText("Choose a folder first");
                    return;
                }
                b.addFolder(folder);
                name = name.isEmpty() ? folder.getFileName().toString() : name;
            } else if (sampleImages.isSelected()) {
                if (samples == null) {
                    error.setText("The sample images are not available");
                    return;
                }
                b.addFolder(samples);
                name = name.isEmpty() ? "Sample images" : name;
            } else if (fromVideo.isSelected()) {
                if (video == null) {
                    error.setText("Choose a video first");
                    return;
                }
                int every = commit(videoStep);
                b.addVideo(video, every);
                name = name.isEmpty() ? video.getFileName() + " every " + every + "th frame" : name;
            } else if (generated.isSelected() && t != null) {
                int n = commit(generatedCount);
                long s = System.currentTimeMillis() & 0xffff;
                if (t.profile().task().kind() == TaskKind.DENSE) {
                    b.addGenerated(new TextSceneGenerator(s, 320, 320), n);
                    name = name.isEmpty() ? n + " text scenes" : name;
                } else {
                    b.addGeneratedLines(new TextSceneGenerator(s), n);
                    name = name.isEmpty() ? n + " text lines" : name;
                }
            } else {
                return;
            }
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
            return;
        }
        String datasetLabel = name;
        Task<Dataset> task = new Task<>() {
            @Override
            protected Dataset call() {
                updateMessage("Starting");
                b.progress((done, total, phase) -> {
                    updateProgress(total > 0 ? done : -1, total > 0 ? total : 1);
                    updateMessage(phase + (total > 0 ? " · " + done + " of " + total : " · " + done));
                });
                b.cancelWhen(this::isCancelled);
                return b.build(datasetLabel);
            }
        };
        building = task;
        error.setText("");
        buildResult.setText("");
        buildBar.progressProperty().bind(task.progressProperty());
        buildMessage.textProperty().bind(task.messageProperty());
        build.setDisable(true);
        buildCancel.setDisable(false);
        task.setOnSucceeded(e -> {
            Dataset d = task.getValue();
            doneBuilding();
            DatasetRow row = new DatasetRow(d.id(), d.name(), d.createdAt(), d.itemCount(), d.trainCount(),
                    d.valCount(), d.skippedUnreadable(), d.skippedDuplicates(), d.sourceSummary());
            dataset.getItems().add(0, row);
            dataset.setValue(row);
            useExisting.setDisable(false);
            useExisting.setSelected(true);
            buildResult.setText(String.format(Locale.ROOT, "Built \"%s\": %d train · %d val · %d unreadable · %d "
                    + "duplicates left out", d.name(), d.trainCount(), d.valCount(), d.skippedUnreadable(),
                    d.skippedDuplicates()));
            buildResult.getStyleClass().remove("error-text");
            refreshButtons();
            button(NEXT).requestFocus(); // the Build button it had is disabled now; Enter goes on
        });
        task.setOnCancelled(e -> {
            doneBuilding();
            buildResult.setText("Build cancelled; nothing was kept.");
            refreshButtons();
        });
        task.setOnFailed(e -> {
            doneBuilding();
            buildResult.setText("Could not build the dataset: " + ErrorReporter.summary(task.getException()));
            if (!buildResult.getStyleClass().contains("error-text")) {
                buildResult.getStyleClass().add("error-text");
            }
            refreshButtons();
        });
        refreshButtons();
        Background.run(task);
    }

    private void doneBuilding() {
        buildBar.progressProperty().unbind();
        buildMessage.textProperty().unbind();
        buildCancel.setDisable(true);
        build.setDisable(useExisting.isSelected());
    }

    // ------------------------------------------------------------------------------------------------ target

    private Node targetPage() {
        allClasses.setToggleGroup(targetMode);
        grouped.setToggleGroup(targetMode);
        allClasses.setId("wizard-all-classes");
        grouped.setId("wizard-grouped");
        allClasses.setSelected(true);
        groups.setId("wizard-groups");
        groups.setPromptText("one group a line, NAME=SPEC, e.g.  dog=151-268   or   cat=/tabby|siamese|persian/");
        groups.setPrefRowCount(6);
        groups.disableProperty().bind(grouped.selectedProperty().not());
        groups.textProperty().addListener((o, a, b) -> updateTarget());
        targetMode.selectedToggleProperty().addListener((o, a, b) -> updateTarget());
        groupsResult.setId("wizard-groups-result");
        groupsResult.setWrapText(true);
        Label explain = hint("SPEC is teacher class indices and ranges (151-268,270) or /regex/ matched in the "
                + "label names. Classes in no group become \"other\" (for a detector: their boxes are dropped). The "
                + "student then has one class per group.");
        classTarget.getChildren().addAll(allClasses, grouped, groups, explain, groupsResult);
        mapTarget.setWrapText(true);
        mapTarget.setId("wizard-map-target");
        mapTarget.setText("This teacher answers with a map: a value for every pixel (for a text detector, how "
                + "likely each pixel is text). The student learns the same map at its own input size, and is "
                + "scored by the overlap (IoU) of the two maps above the threshold "
                + DistillService.MAP_THRESHOLD + ". There is nothing to choose here.");
        StackPane.setAlignment(classTarget, Pos.TOP_LEFT);
        StackPane.setAlignment(mapTarget, Pos.TOP_LEFT);
        return new StackPane(classTarget, mapTarget);
    }

    private void updateTarget() {
        boolean cls = isClassifier();
        classTarget.setVisible(cls);
        mapTarget.setVisible(!cls);
        Teacher t = teacher.getValue();
        groupsResult.getStyleClass().remove("error-text");
        if (!cls || t == null) {
            groupsResult.setText("");
        } else if (allClasses.isSelected()) {
            int n = t.profile().task().numClasses();
            allClasses.setText("All " + Plural.of(n, "class") + " of the teacher");
            groupsResult.setText("The student learns all " + Plural.of(n, "class") + sample(t.profile().labels()));
        } else {
            String problem = groupsProblem();
            if (problem != null) {
                groupsResult.setText(problem);
                groupsResult.getStyleClass().add("error-text");
            } else {
                groupsResult.setText(DistillFormat.studentKind(t).dropsUngroupedClasses()
                        ? detectorSummary(parseGroups()) : groupsSummary(parseGroups()));
            }
        }
        refreshButtons();
    }

    private static String sample(List<String> labels) {
        if (labels.isEmpty()) {
            return ".";
        }
        List<String> first = labels.subList(0, Math.min(6, labels.size()));
        return ": " + String.join(", ", first) + (labels.size() > first.size() ? ", …" : "") + ".";
    }

    private List<String> groupLines() {
        return Arrays.stream(groups.getText().split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private ClassGroups parseGroups() {
        Teacher t = teacher.getValue();
        return ClassGroups.parse(groupLines(), t.profile().labels(), t.profile().task().numClasses());
    }

    private String groupsProblem() {
        if (teacher.getValue() == null) {
            return "Choose a teacher first";
        }
        try {
            parseGroups();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** "2 classes to find: person (1 teacher class), ball (1); boxes of the other 78 classes are dropped". */
    static String detectorSummary(ClassGroups g) {
        StringBuilder s = new StringBuilder();
        s.append(Plural.of(g.groups().size(), "class")).append(" to find: ");
        int covered = 0;
        for (int i = 0; i < g.groups().size(); i++) {
            ClassGroups.Group grp = g.groups().get(i);
            covered += grp.classes().length;
            s.append(i == 0 ? "" : ", ").append(grp.name()).append(" (").append(Plural.of(grp.classes().length,
                    "teacher class")).append(")");
        }
        int rest = g.teacherClasses() - covered;
        if (rest > 0) {
            s.append("; boxes of the other ").append(Plural.of(rest, "class")).append(" are dropped");
        }
        return s.toString();
    }

    /** "3 student classes: dog (118 teacher classes), cat (5), other (877)". */
    static String groupsSummary(ClassGroups g) {
        StringBuilder s = new StringBuilder();
        s.append(g.size()).append(" student classes: ");
        int covered = 0;
        for (int i = 0; i < g.groups().size(); i++) {
            ClassGroups.Group grp = g.groups().get(i);
            int n = grp.classes().length;
            covered += n;
            s.append(i == 0 ? "" : ", ").append(grp.name()).append(" (").append(n)
                    .append(n == 1 ? " teacher class)" : " teacher classes)");
        }
        if (g.hasOther()) {
            int rest = g.teacherClasses() - covered;
            s.append(", ").append(ClassGroups.OTHER).append(" (").append(rest)
                    .append(rest == 1 ? " teacher class)" : " teacher classes)");
        }
        return s.toString();
    }

    private int studentOutputs() {
        Teacher t = teacher.getValue();
        if (t == null || !isClassifier()) {
            return 1;
        }
        return DistillFormat.studentKind(t).outputs(grouped.isSelected() && groupsProblem() == null ? parseGroups()
                : null, t.profile().task().numClasses());
    }

    // ------------------------------------------------------------------------------------------------ student

    private Node studentPage() {
        presets.setId("wizard-presets");
        presets.getStyleClass().add("wizard-presets");
        presets.setPrefHeight(300);
        presets.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(StudentSpec s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                Label name = new Label(s.name());
                name.setStyle("-fx-font-weight: bold;");
                Label numbers = new Label(DistillFormat.preset(s));
                numbers.getStyleClass().add("hint");
                dev.distillery.distill.PresetFit.Fit fit = timing.fit(s);
                Label speed = new Label(fit == null || Double.isNaN(latencyBudget()) ? "Timing on this CPU…"
                        : new dev.distillery.distill.PresetFit.Fit(s, fit.p95Ms(), latencyBudget()).describe());
                speed.getStyleClass().add(fit != null && fit.p95Ms() > latencyBudget() ? "error-text" : "hint");
                speed.setId("preset-fit-" + s.name());
                setText(null);
                setGraphic(new VBox(2, name, numbers, speed));
            }
        });
        presets.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            presetChosen |= !selectingPreset && b != null;
            refreshButtons();
        });
        budgetLead.getStyleClass().add("hint");
        budgetLead.setWrapText(true);
        budgetLead.setId("wizard-budget");
        return new VBox(10, budgetLead, presets);
    }

    private void updatePresets() {
        if (teacher.getValue() == null) {
            return;
        }
        StudentTask kind = DistillFormat.studentKind(teacher.getValue());
        String was = presets.getSelectionModel().getSelectedItem() == null ? null
                : presets.getSelectionModel().getSelectedItem().name();
        int outputs = studentOutputs();
        int[] input = challengeInput();
        List<StudentSpec> specs = StudentZoo.presets().stream().filter(s -> s.kind() == kind)
                .map(s -> (input != null ? s.withInput(input[0], input[1]) : DistillFormat.sized(s, teacher.getValue()))
                        .withOutputs(outputs)).toList();
        int keep = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(was)) {
                keep = i;
            }
        }
        selectingPreset = true;
        try {
            presets.getItems().setAll(specs);
            presets.getSelectionModel().select(keep);
        } finally {
            selectingPreset = false;
        }
        double budget = latencyBudget();
        if (Double.isNaN(budget)) {
            measureTeacher(teacher.getValue()); // then this again
            return;
        }
        budgetLead.setText(budgetText(budget));
        timing.measure(specs, budget, fits -> {
            presets.refresh();
            if (!presetChosen && !fits.isEmpty() && presets.getItems().equals(specs)) {
                String pick = dev.distillery.distill.PresetFit.pick(fits).spec().name();
                selectingPreset = true;
                try {
                    presets.getItems().stream().filter(x -> x.name().equals(pick)).findFirst()
                            .ifPresent(x -> presets.getSelectionModel().select(x));
                } finally {
                    selectingPreset = false;
                }
            }
        });
    }

    /**
     * The challenge's latency budget (from "Distill for this challenge"); for a detector, else,
     * {@link StudentTask#teacherLatencyShare} of its teacher's p50 timed here, as {@code distill} without
     * {@code --preset} does (NaN until timed); else the devnet challenge's.
     */
    private double latencyBudget() {
        if (prefill != null && Double.isFinite(prefill.latencyBudgetMs())) {
            return prefill.latencyBudgetMs();
        }
        Teacher t = teacher.getValue();
        double share = t == null ? Double.NaN : DistillFormat.studentKind(t).teacherLatencyShare();
        if (!Double.isNaN(share)) {
            Double p50 = teacherP50.get(t.sha256());
            return p50 == null ? Double.NaN : share * p50;
        }
        return dev.distillery.network.score.Challenge.devnetDefault().latencyBudgetMs();
    }

    /** The input the challenge asks of a student of this teacher, or null for the presets' own. */
    private int[] challengeInput() {
        Teacher t = teacher.getValue();
        if (prefill == null || prefill.inputWidth() <= 0 || prefill.inputHeight() <= 0 || t == null
                || prefill.teacherSha256() == null || !prefill.teacherSha256().equalsIgnoreCase(t.sha256())) {
            return null;
        }
        return new int[] {prefill.inputWidth(), prefill.inputHeight()};
    }

    /** Times a detector teacher once (in the background), then offers the presets against its share. */
    private void measureTeacher(Teacher t) {
        budgetLead.setText("Timing " + t.name() + " on this CPU: a detector student gets "
                + Math.round(100 * DistillFormat.studentKind(t).teacherLatencyShare()) + " % of its time…");
        if (timingTeacher != null && timingTeacher.equals(t.sha256())) {
            return;
        }
        timingTeacher = t.sha256();
        Path file = ctx.teachers().fileOf(t);
        Task<Double> task = new Task<>() {
            @Override
            protected Double call() {
                return DistillService.teacherP50Ms(file, t, dev.distillery.network.score.Challenge.THREADS);
            }
        };
        task.setOnSucceeded(e -> {
            teacherP50.put(t.sha256(), task.getValue());
            timingTeacher = null;
            updatePresets();
        });
        task.setOnFailed(e -> {
            // the budget then falls back to the devnet's: the pick is only a suggestion
            teacherP50.put(t.sha256(), dev.distillery.network.score.Challenge.devnetDefault().latencyBudgetMs()
                    / DistillFormat.studentKind(t).teacherLatencyShare());
            timingTeacher = null;
            updatePresets();
        });
        dev.distillery.ui.common.Background.run(task);
    }

    private String budgetText(double budgetMs) {
        Teacher t = teacher.getValue();
        String ms = budgetMs == Math.rint(budgetMs) ? String.format(java.util.Locale.ROOT, "%.0f", budgetMs)
                : String.format(java.util.Locale.ROOT, "%.1f", budgetMs);
        String against = prefill != null && Double.isFinite(prefill.latencyBudgetMs()) ? "the challenge's " + ms
                + " ms budget"
                : t != null && !Double.isNaN(DistillFormat.studentKind(t).teacherLatencyShare())
                ? String.format(java.util.Locale.ROOT, "a budget of %s ms (%d %% of %s's %.1f ms here)", ms,
                Math.round(100 * DistillFormat.studentKind(t).teacherLatencyShare()), t.name(),
                teacherP50.get(t.sha256()))
                : "the local devnet's " + ms + " ms budget";
        return String.format(java.util.Locale.ROOT, "Smaller students run faster and take less space; bigger ones "
                + "agree more with the teacher. The figures are for this teacher's number of outputs. Each is timed on "
                + "this CPU as validators time it (p95, batch 1, %d threads) against %s; the biggest that fits with "
                + "room to spare is picked for you.", dev.distillery.network.score.Challenge.THREADS, against);
    }


    /** Selects a preset by name (keyboard users and tests). */
    void selectPreset(String name) {
        updatePresets();
        presets.getItems().stream().filter(s -> s.name().equals(name)).findFirst()
                .ifPresent(s -> presets.getSelectionModel().select(s));
    }

    // ------------------------------------------------------------------------------------------------ training

    private Node trainingPage() {
        minutes.setId("wizard-minutes");
        minutes.setEditable(true);
        minutes.setPrefWidth(100);
        epochs.setId("wizard-epochs");
        epochs.setEditable(true);
        epochs.setPrefWidth(100);
        seed.setId("wizard-seed");
        seed.setEditable(true);
        seed.setPrefWidth(120);
        cached.setToggleGroup(mode);
        consistent.setToggleGroup(mode);
        cached.setSelected(true);
        cached.setId("wizard-mode-cached");
        consistent.setId("wizard-mode-consistent");
        int8.setId("wizard-int8");
        output.setId("wizard-output");
        output.setPromptText("optional: also copy the student to this .onnx file");
        runName.setId("wizard-name");
        runName.setPromptText("optional: e.g. \"direction, tiny, 10 min\"");
        Button browse = new Button("…");
        browse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Where to save the student");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX models", "*.onnx"));
            File f = fc.showSaveDialog(dialog.getDialogPane().getScene().getWindow());
            if (f != null) {
                output.setText(f.toPath().toString());
            }
        });
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(10);
        int r = 0;
        g.addRow(r++, field("Time budget"), new HBox(8, minutes, centred(new Label("minutes of training"))));
        epochsNote.setText("epochs (or fewer: it stops when agreement stops improving)");
        g.addRow(r++, field("At most"), new HBox(8, epochs, centred(epochsNote)));
        Label targets = field("Teacher targets");
        GridPane.setValignment(targets, javafx.geometry.VPos.TOP);
        g.addRow(r++, targets, new VBox(4,
                cached, hint("      The teacher labels each image once; fast. Good for most runs."),
                consistent, hint("      The teacher also labels every augmented view; better agreement, "
                        + "several times slower.")));
        g.addRow(r++, field("Seed"), seed);
        g.addRow(r++, field("Export"), int8);
        HBox out = new HBox(6, output, browse);
        HBox.setHgrow(output, Priority.ALWAYS);
        g.addRow(r++, field("Student file"), out);
        g.addRow(r, field("Run name"), runName);
        GridPane.setHgrow(out, Priority.ALWAYS);
        return g;
    }

    private static Node centred(Label l) {
        l.setMaxHeight(Double.MAX_VALUE);
        l.setAlignment(Pos.CENTER_LEFT);
        return l;
    }

    /** The request the wizard describes (FX thread). */
    DistillService.Request request() {
        Teacher t = teacher.getValue();
        StudentTask kind = DistillFormat.studentKind(t);
        Distiller.Settings d = Distiller.Settings.defaults(kind)
                .withBudget(commit(minutes) * 60, commit(epochs))
                .withMode(consistent.isSelected() ? Distiller.Mode.CONSISTENT : Distiller.Mode.CACHED)
                .withSeed(commit(seed));
        int threads = Math.max(1, ctx.computeThreadsProperty().get());
        Distiller.Settings s = new Distiller.Settings(d.mode(), d.batchSize(), d.learningRate(), d.weightDecay(),
                d.temperature(), d.ceWeight(), d.maxEpochs(), d.budgetSeconds(), d.patience(), d.augment(), d.seed(),
                threads);
        List<String> g = isClassifier() && grouped.isSelected() ? groupLines() : List.of();
        int[] input = challengeInput();
        String out = output.getText().isBlank() ? null : output.getText().strip();
        String name = runName.getText().isBlank() ? null : runName.getText().strip();
        return new DistillService.Request(name, t.id(), dataset.getValue().id(), g,
                presets.getSelectionModel().getSelectedItem().name(), input == null ? 0 : input[0],
                input == null ? 0 : input[1], s, out, int8.isSelected());
    }

    /** A typed-in spinner value counts even when the field still has the focus. */
    private static <T> T commit(Spinner<T> s) {
        if (s.isEditable()) {
            try {
                s.getValueFactory().setValue(s.getValueFactory().getConverter().fromString(s.getEditor().getText()));
            } catch (RuntimeException bad) {
                s.getEditor().setText(s.getValueFactory().getConverter().toString(s.getValue()));
            }
        }
        return s.getValue();
    }

    private void finish() {
        DistillService.Request r;
        try {
            r = request();
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
            return;
        }
        finishing = true;
        refreshButtons();
        error.setText("");
        Task<Long> create = new Task<>() {
            @Override
            protected Long call() {
                return ctx.distill().create(r);
            }
        };
        create.setOnSucceeded(e -> {
            created = create.getValue();
            button(FINISH).setDisable(false); // a disabled button does not fire
            button(FINISH).fire();
        });
        create.setOnFailed(e -> {
            finishing = false;
            Throwable x = create.getException();
            error.setText(x instanceof IllegalArgumentException || x instanceof java.util.NoSuchElementException
                    ? x.getMessage() : "Could not create the run: " + ErrorReporter.summary(x));
            refreshButtons();
        });
        Background.run(create);
    }

    // ------------------------------------------------------------------------------------------------ tests

    /** Moves to a step directly (tests; the buttons are the user's way). */
    void goTo(int index) {
        show(index);
    }

    int step() {
        return step;
    }
}
