package dev.distillery.ui.teachers;

import dev.distillery.core.Plural;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Cancellation;
import dev.distillery.teacher.library.CatalogEntry;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherProfile;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.ErrorReporter;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Teachers: the model library as a card grid with a detail pane; import by file, drag and drop, URL
 * or catalog; try, evaluate, benchmark, edit preprocessing, delete. All model work runs in
 * background tasks followed by the job bar.
 */
public final class TeachersView extends ScreenPane {
    private final ShellContext ctx;
    private final TeacherService service;
    private final FlowPane grid = new FlowPane(14, 14);
    private final StackPane detailHolder = new StackPane();
    private final JobBar jobs = new JobBar();
    private final StackPane centre = new StackPane();
    private final SplitPane split;
    private final Label count = new Label();
    private final Node empty;
    private Long selected;
    private int nextSample;

    public TeachersView(ShellContext ctx) {
        super(Screen.TEACHERS, "Large ONNX vision models your students learn from");
        this.ctx = ctx;
        this.service = ctx.teachers();

        Button importFile = new Button("Import file…", new FontIcon("mdi2f-file-import-outline"));
        importFile.setId("teachers-import-file");
        importFile.getStyleClass().add("primary");
        importFile.setOnAction(e -> chooseFile());
        Button importUrl = new Button("From URL…", new FontIcon("mdi2l-link-variant"));
        importUrl.setId("teachers-import-url");
        importUrl.setOnAction(e -> askUrl());
        Button catalog = new Button("Catalog…", new FontIcon("mdi2b-book-open-variant"));
        catalog.setId("teachers-catalog");
        catalog.setOnAction(e -> showCatalog());
        count.getStyleClass().add("hint");
        Label drop = new Label("or drop .onnx files anywhere on the window");
        drop.getStyleClass().add("hint");
        HBox toolbar = new HBox(8, importFile, importUrl, catalog, drop, new Region(), count);
        HBox.setHgrow(toolbar.getChildren().get(4), Priority.ALWAYS);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(0, 32, 10, 32));

        grid.setPadding(new Insets(4, 8, 16, 32));
        grid.setId("teacher-grid");
        ScrollPane gridScroll = new ScrollPane(grid);
        gridScroll.setFitToWidth(true);
        gridScroll.getStyleClass().add("screen-scroll");
        detailHolder.setPadding(new Insets(0, 24, 12, 12));
        detailHolder.setMinWidth(420);
        split = new SplitPane(gridScroll, detailHolder);
        split.setDividerPositions(0.42);
        split.getStyleClass().add("teachers-split");

        empty = new EmptyState("mdi2s-school-outline", "No teachers yet",
                "A teacher is a large, general-purpose vision model in ONNX format: an image classifier, an object "
                        + "detector, or a dense map such as a text detector. Distillery copies each one into its "
                        + "model library and works out what it expects and what it answers.",
                List.of("Import an .onnx file, drop one on the window, or fetch one from a URL",
                        "See its inputs, outputs, operators, size and preprocessing, and fix what is inferred wrong",
                        "Try it on an image: labels, boxes or a heat map drawn over it",
                        "Measure its accuracy and its speed on this CPU"),
                "Next step: import a teacher, or open the catalog: the PaddleOCR models are built in and work offline.",
                List.of(copyOf(importFile, this::chooseFile), copyOf(catalog, this::showCatalog)));
        centre.getChildren().add(empty);

        BorderPane body = new BorderPane(centre);
        body.setTop(toolbar);
        body.setBottom(jobs);
        BorderPane.setMargin(jobs, new Insets(0, 16, 8, 16));
        setCenter(body);
        refresh(null);
    }

    private static Button copyOf(Button b, Runnable action) {
        Button c = new Button(b.getText(), new FontIcon(((FontIcon) b.getGraphic()).getIconLiteral()));
        c.getStyleClass().addAll(b.getStyleClass());
        c.setOnAction(e -> action.run());
        return c;
    }

    /** Imports dropped or chosen files one after another. */
    public void importFiles(List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        run("Importing " + files.get(0).getFileName(), t -> {
            TeacherService.ImportOutcome last = null;
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                int n = i;
                t.message("Checking " + f.getFileName() + (files.size() > 1 ? " (" + (i + 1) + " of " + files.size() + ")" : ""));
                last = service.importFile(f, (fr, msg) -> t.progress((n + fr) / files.size(), msg), t.cancellation());
            }
            return last;
        }, this::imported);
    }

    private void chooseFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import an ONNX teacher");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("ONNX models", "*.onnx"),
                new FileChooser.ExtensionFilter("All files", "*"));
        List<File> files = fc.showOpenMultipleDialog(getScene().getWindow());
        if (files != null) {
            importFiles(files.stream().map(File::toPath).toList());
        }
    }

    private void askUrl() {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(getScene().getWindow());
        d.setTitle("Import from a URL");
        d.setHeaderText("Download an ONNX model");
        TextField url = new TextField();
        url.setId("url-field");
        url.setPromptText("https://…/model.onnx");
        url.setPrefColumnCount(40);
        TextField sha = new TextField();
        sha.setId("url-sha");
        sha.setPromptText("optional: expected SHA-256 (64 hex digits)");
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(10);
        g.addRow(0, new Label("URL"), url);
        g.addRow(1, new Label("SHA-256"), sha);
        Label hint = new Label("Interrupted downloads resume by themselves. With a SHA-256, the file is checked before "
                + "it is kept.");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        g.add(hint, 0, 2, 2, 1);
        d.getDialogPane().setContent(g);
        ButtonType download = new ButtonType("Download", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(download, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(download);
        ok.disableProperty().bind(url.textProperty().isEmpty());
        ok.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            String problem = urlProblem(url.getText(), sha.getText());
            if (problem != null) {
                hint.setText(problem);
                hint.getStyleClass().add("error-text");
                e.consume();
            }
        });
        Optional<ButtonType> r = d.showAndWait();
        if (r.isPresent() && r.get() == download) {
            URI uri = URI.create(url.getText().trim());
            String expected = sha.getText().isBlank() ? null : sha.getText().trim().toLowerCase(Locale.ROOT);
            run("Downloading " + uri.getHost(), t -> service.importUrl(uri, expected,
                    (f, msg) -> t.progress(f, msg), t.cancellation()), this::imported);
        }
    }

    static String urlProblem(String url, String sha) {
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                return "Enter a full http:// or https:// address.";
            }
        } catch (IllegalArgumentException e) {
            return "That is not a valid address: " + e.getMessage();
        }
        if (!sha.isBlank() && !sha.trim().matches("(?i)[0-9a-f]{64}")) {
            return "A SHA-256 is 64 hexadecimal digits; leave it empty if you do not have one.";
        }
        return null;
    }

    private void showCatalog() {
        Dialog<Void> d = new Dialog<>();
        d.initOwner(getScene().getWindow());
        d.setTitle("Teacher catalog");
        d.setHeaderText("Well-known teachers. Built-in ones work offline; the others download once.");
        TableView<CatalogEntry> table = new TableView<>();
        table.setId("catalog-table");
        table.getColumns().add(column("Name", CatalogEntry::name, 230));
        table.getColumns().add(column("Task", e -> taskTitle(String.valueOf(e.task())), 120));
        TableColumn<CatalogEntry, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(
                c.getValue().sizeBytes() == null ? "?" : TeacherFormat.bytes(c.getValue().sizeBytes())));
        table.getColumns().add(size);
        TableColumn<CatalogEntry, String> source = new TableColumn<>("Source");
        source.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(
                c.getValue().isBuiltin() ? "built in" : "download"));
        table.getColumns().add(source);
        table.getColumns().add(column("Licence", CatalogEntry::licence, 110));
        table.getItems().setAll(service.catalog());
        table.setPrefSize(780, 320);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label about = new Label();
        about.setWrapText(true);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> about.setText(e == null ? ""
                : e.description() + (e.sha256() == null && !e.isBuiltin() ? "  (checksum not published: it is computed on import)" : "")));
        d.getDialogPane().setContent(new VBox(10, table, about));
        ButtonType get = new ButtonType("Get teacher", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(get, ButtonType.CLOSE);
        Button getButton = (Button) d.getDialogPane().lookupButton(get);
        getButton.setId("catalog-get");
        getButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        d.setResultConverter(bt -> {
            CatalogEntry e = table.getSelectionModel().getSelectedItem();
            if (bt == get && e != null) {
                run((e.isBuiltin() ? "Adding " : "Downloading ") + e.name(),
                        t -> service.importCatalog(e, (f, msg) -> t.progress(f, msg), t.cancellation()), this::imported);
            }
            return null;
        });
        d.show();
    }

    /** "CLASSIFICATION" → "Classification"; tasks Distillery cannot use yet read as "Other". */
    static String taskTitle(String task) {
        try {
            dev.distillery.model.TaskKind k = dev.distillery.model.TaskKind.valueOf(task);
            return k == dev.distillery.model.TaskKind.UNKNOWN ? "Other" : k.title();
        } catch (IllegalArgumentException e) {
            return task;
        }
    }

    private static TableColumn<CatalogEntry, String> column(String title,
            java.util.function.Function<CatalogEntry, String> value, double width) {
        TableColumn<CatalogEntry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new javafx.beans.property.SimpleStringProperty(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private void imported(TeacherService.ImportOutcome outcome) {
        if (outcome == null) {
            return;
        }
        refresh(outcome.teacher().id());
        if (outcome.alreadyPresent()) {
            info("Already in your library", outcome.teacher().name() + " was imported before (same SHA-256); it is "
                    + "selected now.");
        }
    }

    /** Rebuilds the grid from the library, keeping or setting the selection. */
    void refresh(Long select) {
        Task<List<Teacher>> load = new Task<>() {
            @Override
            protected List<Teacher> call() {
                return service.list();
            }
        };
        load.setOnSucceeded(e -> show(load.getValue(), select != null ? select : selected));
        Background.run(load);
    }

    private void show(List<Teacher> teachers, Long select) {
        count.setText(Plural.of(teachers.size(), "teacher"));
        if (teachers.isEmpty()) {
            centre.getChildren().setAll(empty);
            selected = null;
            return;
        }
        grid.getChildren().clear();
        for (Teacher t : teachers) {
            TeacherCard card = new TeacherCard(t, service);
            card.setOnMouseClicked(e -> select(t));
            grid.getChildren().add(card);
        }
        centre.getChildren().setAll(split);
        Teacher pick = teachers.stream().filter(t -> select != null && t.id() == select).findFirst().orElse(teachers.get(0));
        select(pick);
    }

    private void select(Teacher t) {
        selected = t.id();
        grid.getChildren().forEach(n -> ((TeacherCard) n).setSelected(((TeacherCard) n).teacherId == t.id()));
        TeacherDetail detail = new TeacherDetail(t, service, profile -> saveProfile(t, profile));
        detail.tryButton.setOnAction(e -> tryOn(detail));
        detail.trySampleButton.setOnAction(e -> tryOnSample(detail));
        detail.evalButton.setOnAction(e -> evaluate(t));
        detail.benchButton.setOnAction(e -> run("Benchmarking " + t.name(),
                job -> service.benchmark(t, (f, phase) -> job.progress(f, phase), job.cancellation()), r -> refresh(t.id())));
        detail.deleteButton.setOnAction(e -> confirmDelete(t));
        detail.labelsButton.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Labels for " + t.name());
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Labels", "*.txt", "*.tsv", "*.names", "*.csv"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                run("Attaching labels", job -> service.attachLabels(t, f.toPath()), saved -> refresh(t.id()));
            }
        });
        detailHolder.getChildren().setAll(detail);
    }

    private void saveProfile(Teacher t, TeacherProfile p) {
        run("Saving preprocessing", job -> service.saveProfile(t, p), saved -> refresh(t.id()));
    }

    private void tryOn(TeacherDetail detail) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Try " + detail.teacher().name() + " on an image");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Images", "*.jpg", "*.jpeg", "*.png", "*.bmp",
                "*.webp", "*.JPEG", "*.JPG", "*.PNG"), new FileChooser.ExtensionFilter("All files", "*"));
        Path sampleImages = samples().images();
        if (java.nio.file.Files.isDirectory(sampleImages)) {
            fc.setInitialDirectory(sampleImages.toFile()); // somewhere with pictures, when nothing else is known
        }
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            tryOn(detail, f.toPath());
        }
    }

    /** Runs the selected teacher on an image and shows the answer over it (also used by tests). */
    public void tryOn(Path image) {
        if (detailHolder.getChildren().isEmpty()) {
            return;
        }
        tryOn((TeacherDetail) detailHolder.getChildren().get(0), image);
    }

    private void tryOn(TeacherDetail detail, Path image) {
        tryOn(detail, () -> image);
    }

    private dev.distillery.vision.Samples samples() {
        return new dev.distillery.vision.Samples(ctx.session().dataDirectory().root());
    }

    /** Each press shows the next of the shipped sample images (copied to the data directory on first use). */
    private void tryOnSample(TeacherDetail detail) {
        int k = nextSample++;
        tryOn(detail, () -> {
            dev.distillery.vision.Samples s = samples();
            try {
                s.install();
            } catch (IllegalStateException e) {
                throw new dev.distillery.model.TeacherException(e.getMessage(), e);
            }
            List<Path> files = s.imageFiles();
            if (files.isEmpty()) {
                throw new dev.distillery.model.TeacherException("There are no sample images in " + s.images());
            }
            return files.get(k % files.size());
        });
    }

    /** Runs the teacher on the image {@code where} gives (called in the job, so it may copy or look up files). */
    private void tryOn(TeacherDetail detail, java.util.function.Supplier<Path> where) {
        detail.tabs.getSelectionModel().select(detail.tryTab);
        run("Running " + detail.teacher().name(), job -> {
            Path image = where.get();
            job.message("Reading " + image.getFileName());
            Prediction p = service.tryOn(detail.teacher(), image);
            Image img = new Image(image.toUri().toString());
            return new Object[] {img, p, image};
        }, r -> {
            detail.tryHint.setText(((Path) r[2]).getFileName().toString());
            detail.prediction.show((Image) r[0], (Prediction) r[1]);
        });
    }

    private void evaluate(Teacher t) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder of labelled images (class = folder name or file-name id)");
        File folder = dc.showDialog(getScene().getWindow());
        if (folder == null) {
            return;
        }
        Path labels = null;
        if (t.profile().labels().isEmpty()) {
            FileChooser fc = new FileChooser();
            fc.setTitle("Labels file (txt or tsv) for " + t.name());
            File lf = fc.showOpenDialog(getScene().getWindow());
            if (lf == null) {
                return;
            }
            labels = lf.toPath();
        }
        Path labelsFile = labels;
        run("Evaluating " + t.name(), job -> service.evaluate(t, folder.toPath(), labelsFile,
                (done, total) -> job.progress(done / (double) total, done + " of " + Plural.of(total, "image")),
                job.cancellation()),
                r -> {
                    refresh(t.id());
                    info("Evaluation finished", t.name() + ": " + r.summary());
                });
    }

    private void confirmDelete(Teacher t) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", ButtonType.CANCEL);
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(delete, ButtonType.CANCEL);
        a.initOwner(getScene().getWindow());
        a.setTitle("Delete teacher");
        a.setHeaderText("Delete " + t.name() + "?");
        a.setContentText("The model file (" + TeacherFormat.bytes(t.sizeBytes()) + ") and its results are removed "
                + "from the library. Students distilled from it are kept.");
        a.getDialogPane().setId("delete-dialog");
        a.showAndWait().filter(b -> b == delete).ifPresent(b -> run("Deleting " + t.name(), job -> {
            service.delete(t);
            return Boolean.TRUE;
        }, r -> {
            selected = null;
            detailHolder.getChildren().clear();
            refresh(null);
        }));
    }

    private void info(String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        a.initOwner(getScene().getWindow());
        a.setTitle(title);
        a.setHeaderText(title);
        a.show();
    }

    /** A background job with progress, message, cancel; failures become a clear dialog, not a crash. */
    interface Work<T> {
        T run(Job job) throws Exception;
    }

    /** What a job may tell the bar. */
    static final class Job {
        private final ProgressSink sink;
        private final Cancellation cancellation = new Cancellation();

        Job(ProgressSink sink) {
            this.sink = sink;
        }

        void progress(double fraction, String message) {
            sink.update(fraction, message);
        }

        void message(String message) {
            sink.update(-1, message);
        }

        /** Set when the user presses Cancel; long calls check it between steps. */
        Cancellation cancellation() {
            return cancellation;
        }
    }

    interface ProgressSink {
        void update(double fraction, String message);
    }

    private <T> void run(String title, Work<T> work, Consumer<T> done) {
        if (jobs.busy()) {
            info("One thing at a time", "Wait for \"" + title + "\" until the current job has finished, or cancel it.");
            return;
        }
        Job[] current = new Job[1];
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(title);
                Job job = new Job((f, m) -> {
                    if (f >= 0) {
                        updateProgress(f, 1);
                    }
                    if (m != null) {
                        updateMessage(m);
                    }
                });
                current[0] = job;
                return work.run(job);
            }

            @Override
            protected void cancelled() {
                if (current[0] != null) {
                    current[0].cancellation().cancel();
                }
            }
        };
        task.setOnSucceeded(e -> done.accept(task.getValue()));
        task.setOnFailed(e -> failed(title, task.getException()));
        jobs.follow(task);
        Background.run(task);
    }

    private void failed(String title, Throwable e) {
        if (e instanceof java.util.concurrent.CancellationException) {
            return;
        }
        if (e instanceof dev.distillery.model.TeacherException) {
            Alert a = new Alert(Alert.AlertType.ERROR, e.getMessage(), ButtonType.OK);
            a.initOwner(getScene().getWindow());
            a.setTitle(title);
            a.setHeaderText(title + " failed");
            a.getDialogPane().setId("teacher-error");
            a.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
            a.show();
            return;
        }
        ErrorReporter.report(title, e);
    }



}
