package dev.distillery.ui.live;

import dev.distillery.core.Plural;
import dev.distillery.live.LiveFrame;
import dev.distillery.live.LiveListener;
import dev.distillery.live.LivePipeline;
import dev.distillery.live.FrameModel;
import dev.distillery.live.RunnerModel;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.EmptyState;
import dev.distillery.ui.common.Spacer;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.vision.CameraDevice;
import dev.distillery.vision.Cameras;
import dev.distillery.vision.FrameSource;
import dev.distillery.vision.FrameSources;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Live: one or two models on the same frames from a camera, a video, an image folder or a synthetic
 * scene, side by side or overlaid, with FPS, latency and agreement. Decoding, inference and drawing
 * run on the pipeline's threads; the FX thread only copies the newest finished frame.
 */
public final class LiveView extends ScreenPane {
    /** A source the user can pick. */
    record SourceChoice(String label, String spec) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static final String NONE = "(none)";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveView.class);
    /** The label of the shipped sample clip in the source list. */
    static final String SAMPLE_CLIP = "Sample clip";
    private final ShellContext ctx;
    private final TeacherService teachers;
    private final ComboBox<SourceChoice> source = new ComboBox<>();
    private final ComboBox<Object> modelA = new ComboBox<>();
    private final ComboBox<Object> modelB = new ComboBox<>();
    private final Button start = new Button("Start", new FontIcon("mdi2p-play"));
    private final Button pause = new Button("Pause", new FontIcon("mdi2p-pause"));
    private final Button stop = new Button("Stop", new FontIcon("mdi2s-stop"));
    private final ToggleButton sideBySide = new ToggleButton("Side by side");
    private final ToggleButton overlaid = new ToggleButton("Overlaid");
    private final ToggleButton syncedMode = new ToggleButton("Synced");
    private final ToggleButton ownPace = new ToggleButton("Own pace");
    private final Label agreementWhat = new Label();
    private final FramePane paneA = new FramePane("live-a");
    private final FramePane paneB = new FramePane("live-b");
    private final HBox panes = new HBox(12, paneA, paneB);
    private final Label agreement = new Label();
    private final Label status = new Label();
    private final Button snapshot = new Button("Snapshot", new FontIcon("mdi2c-camera-outline"));
    private final Button record = new Button("Record", new FontIcon("mdi2r-record-rec"));
    private final Spinner<Integer> captureCount = new Spinner<>(1, 10000, 100, 50);
    private final Button capture = new Button("Capture frames", new FontIcon("mdi2i-image-multiple-outline"));
    private final javafx.scene.control.Slider seekBar = new javafx.scene.control.Slider(0, 1, 0);
    private final Label position = new Label();
    private final ComboBox<String> cameraFormat = new ComboBox<>();
    private final StackPane centre = new StackPane();
    private final Node empty;
    private final BorderPane running = new BorderPane();
    private final FramePairs pairs = new FramePairs();
    private final AnimationTimer painter;
    private LivePipeline pipeline;
    private boolean recording;
    private long lastStatsNanos;

    public LiveView(ShellContext ctx) {
        super(Screen.LIVE, "Run models on a webcam or a video and compare them frame by frame");
        this.ctx = ctx;
        this.teachers = ctx.teachers();
        source.setId("live-source");
        modelA.setId("live-model-a");
        modelB.setId("live-model-b");
        start.setId("live-start");
        start.getStyleClass().add("primary");
        pause.setId("live-pause");
        stop.setId("live-stop");
        agreement.setId("live-agreement");
        status.setId("live-status");
        status.getStyleClass().add("hint");
        status.setWrapText(true); // on two lines beside the buttons rather than cut short
        status.setMinHeight(Region.USE_PREF_SIZE);
        HBox.setHgrow(status, Priority.SOMETIMES);
        ToggleGroup mode = new ToggleGroup();
        sideBySide.setToggleGroup(mode);
        overlaid.setToggleGroup(mode);
        sideBySide.setSelected(true);
        mode.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                layoutPanes();
            }
        });
        ToggleGroup pace = new ToggleGroup();
        syncedMode.setToggleGroup(pace);
        ownPace.setToggleGroup(pace);
        syncedMode.setId("live-synced");
        ownPace.setId("live-own-pace");
        syncedMode.setTooltip(new javafx.scene.control.Tooltip("Both models on the same frames: the panes show the "
                + "same frame and agreement counts exactly those frames; a slower model makes both skip frames"));
        ownPace.setTooltip(new javafx.scene.control.Tooltip("Each model takes the newest frame as fast as it can: "
                + "shows the speed gap, but the panes show different frames"));
        syncedMode.setSelected(true);
        pace.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else if (pipeline != null) {
                pipeline.synced(syncedMode.isSelected());
                pairs.clear();
            }
        });
        agreementWhat.setId("live-agreement-what");
        agreementWhat.getStyleClass().add("hint");
        source.setPrefWidth(260);
        modelA.setPrefWidth(250);
        modelB.setPrefWidth(250);
        javafx.util.StringConverter<Object> names = new javafx.util.StringConverter<>() {
            @Override
            public String toString(Object o) {
                return o == null ? "" : o.toString();
            }

            @Override
            public Object fromString(String s) {
                return null;
            }
        };
        modelA.setConverter(names);
        modelB.setConverter(names);
        modelA.setPromptText("a teacher");
        cameraFormat.setId("live-camera-format");
        cameraFormat.getItems().addAll("Camera default", "640x480@30", "1280x720@30", "1920x1080@30", "640x480@60");
        cameraFormat.setValue("Camera default");
        cameraFormat.setTooltip(new javafx.scene.control.Tooltip("Size and frame rate to ask the camera for"));
        cameraFormat.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> source.getValue() != null && source.getValue().spec().startsWith("camera:"), source.valueProperty()));
        cameraFormat.managedProperty().bind(cameraFormat.visibleProperty());
        for (ComboBox<?> c : List.of(source, modelA, modelB)) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        for (ComboBox<Object> c : List.of(modelA, modelB)) { // a name longer than the box is whole in the tooltip
            javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
            tip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                    () -> names.toString(c.getValue()), c.valueProperty()));
            c.setTooltip(tip);
        }
        // the models go under the source when the window is too narrow for both
        HBox sourcePick = new HBox(8, fixed("Source"), source, browse(), cameraFormat);
        HBox modelPick = new HBox(8, fixed("Model"), modelA, fixed("and"), modelB);
        sourcePick.setAlignment(Pos.CENTER_LEFT);
        modelPick.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.FlowPane pick = new javafx.scene.layout.FlowPane(24, 8, sourcePick, modelPick);
        pick.setAlignment(Pos.CENTER_LEFT);
        HBox run = new HBox(8, start, pause, stop, status, Spacer.grow(), fixed("Frames"), syncedMode, ownPace,
                fixed("  View"), sideBySide, overlaid);
        run.setAlignment(Pos.CENTER_LEFT);
        for (javafx.scene.control.ButtonBase b : List.of(start, pause, stop, sideBySide, overlaid, syncedMode,
                ownPace)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        javafx.scene.layout.VBox controls = new javafx.scene.layout.VBox(8, pick, run);
        controls.setPadding(new Insets(0, 32, 10, 32));

        snapshot.setOnAction(e -> snapshot());
        record.setOnAction(e -> toggleRecording());
        capture.setOnAction(e -> capture());
        captureCount.setPrefWidth(90);
        javafx.scene.layout.VBox agreementBox = new javafx.scene.layout.VBox(2, agreement, agreementWhat);
        agreementWhat.setWrapText(true);
        HBox.setHgrow(agreementBox, Priority.ALWAYS);
        HBox bottom = new HBox(10, agreementBox, snapshot, record, captureCount, capture);
        bottom.setAlignment(Pos.CENTER_LEFT);
        seekBar.setId("live-seek");
        position.setId("live-position");
        position.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(seekBar, Priority.ALWAYS);
        HBox seekRow = new HBox(10, seekBar, position);
        seekRow.setAlignment(Pos.CENTER_LEFT);
        seekRow.visibleProperty().bind(seekBar.disableProperty().not());
        seekRow.managedProperty().bind(seekRow.visibleProperty());
        seekBar.setDisable(true);
        // Seek when the user lets go of the knob, or clicks on the track.
        seekBar.valueChangingProperty().addListener((o, was, changing) -> {
            if (!changing) {
                seekTo(seekBar.getValue());
            }
        });
        seekBar.setOnMouseReleased(e -> seekTo(seekBar.getValue()));
        javafx.scene.layout.VBox bottomBox = new javafx.scene.layout.VBox(6, seekRow, bottom);
        bottomBox.setPadding(new Insets(8, 32, 12, 32));
        HBox.setHgrow(paneA, Priority.ALWAYS);
        HBox.setHgrow(paneB, Priority.ALWAYS);
        paneA.setPrefWidth(0); // equal halves, whatever the frames' sizes
        paneB.setPrefWidth(0);
        panes.setPadding(new Insets(0, 32, 0, 32));
        running.setCenter(panes);
        running.setBottom(bottomBox);

        empty = new EmptyState("mdi2v-video-outline", "No source running",
                "Point one or two models at the same frames, from a webcam, a video file or a folder of images, "
                        + "and see what each one finds and how fast it runs on this machine.",
                List.of("Teacher and student side by side, or overlaid",
                        "Frames per second and latency for each model",
                        "How often the two agree, frame after frame",
                        "Snapshots, recordings, and captures straight into a dataset"),
                "Next step: pick a source and a model above and press Start. No camera? The sample clip, the "
                        + "synthetic scene or any video works.",
                List.of(Actions.goTo(ctx, Screen.TEACHERS, "Get a teacher", false)));
        centre.getChildren().add(empty);
        BorderPane body = new BorderPane(centre);
        body.setTop(controls);
        setCenter(body);

        start.setOnAction(e -> startPipeline());
        pause.setOnAction(e -> togglePause());
        stop.setOnAction(e -> stopPipeline());
        setRunning(false);
        painter = new AnimationTimer() {
            @Override
            public void handle(long now) {
                paint(now);
            }
        };
        sceneProperty().addListener((o, a, b) -> {
            if (b == null) {
                stopPipeline();
            }
        });
        refreshChoices();
    }

    @Override
    public void onShown() {
        refreshChoices();
    }

    private static Label fixed(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private Button browse() {
        Button b = new Button("…");
        b.setId("live-browse");
        b.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Play a video");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Videos", "*.mp4", "*.avi", "*.mkv",
                    "*.webm", "*.mov"), new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                chooseSource(new SourceChoice(f.getName(), f.getAbsolutePath()));
            }
        });
        return b;
    }

    /** Selects (adding when new) a source, e.g. a video file path. */
    public void chooseSource(SourceChoice c) {
        if (!source.getItems().contains(c)) {
            source.getItems().add(c);
        }
        source.setValue(c);
    }

    /** For tests and the CLI-like flows: a video or folder path as the source. */
    public void chooseSource(Path path) {
        chooseSource(new SourceChoice(path.getFileName().toString(), path.toAbsolutePath().toString()));
    }

    private void refreshChoices() {
        Task<Object[]> load = new Task<>() {
            @Override
            protected Object[] call() {
                return new Object[] {models(), Cameras.list(), sampleClip()};
            }
        };
        load.setOnSucceeded(e -> {
            @SuppressWarnings("unchecked")
            List<LiveChoice> list = (List<LiveChoice>) load.getValue()[0];
            List<?> cameras = (List<?>) load.getValue()[1];
            Path clip = (Path) load.getValue()[2];
            SourceChoice keep = source.getValue();
            List<SourceChoice> choices = new ArrayList<>();
            if (clip != null) {
                // first: it works on any machine, and shows text the built-in teachers can find
                choices.add(new SourceChoice(SAMPLE_CLIP, clip.toString()));
            }
            choices.add(new SourceChoice("Synthetic scene", "synthetic"));
            for (Object o : cameras) {
                CameraDevice cam = (CameraDevice) o;
                choices.add(new SourceChoice(cam.name() == null || cam.name().isBlank() ? "Camera " + cam.index()
                        : cam.name(), "camera:" + cam.index()));
            }
            source.getItems().stream().filter(c -> !c.spec().equals("synthetic") && !c.spec().startsWith("camera:")
                    && !c.label().equals(SAMPLE_CLIP)).forEach(choices::add);
            source.getItems().setAll(choices);
            source.setValue(keep != null && choices.contains(keep) ? keep : choices.get(0));
            Object a = modelA.getValue();
            Object b = modelB.getValue();
            modelA.getItems().setAll(list);
            modelB.getItems().setAll(NONE);
            modelB.getItems().addAll(list);
            modelA.setValue(a != null && list.contains(a) ? a : list.isEmpty() ? null : list.get(0));
            modelB.setValue(b != null && modelB.getItems().contains(b) ? b : NONE);
            applyPendingPick();
            start.setDisable(pipeline != null || list.isEmpty());
            status.setText(list.isEmpty() ? "Import a teacher first: a live test needs a model."
                    : cameras.isEmpty() ? "No camera found: the sample clip, the synthetic scene or a video (…) will do."
                    : "");
        });
        Background.run(load);
    }

    /** Teachers from the library, each followed by the students distilled from it (off the FX thread). */
    private List<LiveChoice> models() {
        List<LiveChoice> list = new ArrayList<>();
        for (Teacher t : teachers.list()) {
            list.add(LiveChoice.of(t, teachers.fileOf(t)));
        }
        List<LiveChoice> students = new ArrayList<>();
        try {
            for (dev.distillery.store.RunRow r : ctx.session().database().runs().list()) {
                LiveChoice c = LiveChoice.of(r);
                if (c != null) {
                    students.add(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot list the distilled students: {}", e.getMessage());
        }
        return LiveChoice.arrange(list, students);
    }

    /**
     * Opens with a teacher and one of its students side by side ("Try it Live" on a finished run): selects them as
     * soon as the lists have them. The student file is matched by path.
     */
    public void tryLive(String teacherSha, Path student) {
        pendingTeacherSha = teacherSha;
        pendingStudent = student;
        refreshChoices();
    }

    /** The teacher and student to select when the lists arrive ("Try it Live"); null for none. */
    private String pendingTeacherSha;
    private Path pendingStudent;

    private void applyPendingPick() {
        if (pendingStudent == null) {
            return;
        }
        LiveChoice teacher = null;
        LiveChoice student = null;
        for (Object o : modelA.getItems()) {
            if (o instanceof LiveChoice c && !c.student() && c.teacherSha().equals(pendingTeacherSha)) {
                teacher = c;
            }
            if (o instanceof LiveChoice c && c.student() && c.file().equals(pendingStudent)) {
                student = c;
            }
        }
        pendingStudent = null;
        if (student == null) {
            status.setText("The student file is gone: distill again, or pick another model.");
            return;
        }
        if (pipeline == null) {
            modelA.setValue(teacher != null ? teacher : student);
            modelB.setValue(teacher != null ? student : NONE);
            status.setText(teacher != null ? "Teacher and student side by side: press Start."
                    : "Its teacher is not in the library: the student runs alone.");
        }
    }

    /** The sample clip, copied into the data directory on first use; null when this build has none. */
    private Path sampleClip() {
        if (!dev.distillery.vision.Samples.available()) {
            return null;
        }
        try {
            dev.distillery.vision.Samples samples = new dev.distillery.vision.Samples(
                    ctx.session().dataDirectory().root());
            samples.install();
            return samples.clip();
        } catch (RuntimeException e) {
            LOG.warn("No sample clip: {}", e.getMessage());
            return null;
        }
    }

    private void startPipeline() {
        SourceChoice choice = source.getValue();
        LiveChoice a = modelA.getValue() instanceof LiveChoice t ? t : null;
        LiveChoice b = modelB.getValue() instanceof LiveChoice t ? t : null;
        if (choice == null || a == null) {
            return;
        }
        start.setDisable(true);
        status.setText("Starting…");
        // Leave one core to decoding and drawing: on small machines a model that takes every core
        // only fights the decoder for them (see docs/benchmarks.md, live pipeline).
        int threads = Math.max(1, (ctx.computeThreadsProperty().get() - 1) / (b == null ? 1 : 2));
        String format = cameraFormat.getValue();
        boolean synced = syncedMode.isSelected();
        Task<LivePipeline> open = new Task<>() {
            @Override
            protected LivePipeline call() {
                String spec = choice.spec();
                if (spec.startsWith("camera:") && !"Camera default".equals(format)) {
                    spec = spec + "@" + format;
                }
                FrameSource src = FrameSources.open(spec, true);
                List<FrameModel> models = new ArrayList<>();
                try {
                    models.add(new RunnerModel(a.name(), TeacherRunner.open(a.file(), a.profile(), threads)));
                    if (b != null) {
                        models.add(new RunnerModel(b.name(), TeacherRunner.open(b.file(), b.profile(), threads)));
                    }
                } catch (RuntimeException e) {
                    models.forEach(FrameModel::close);
                    src.close();
                    throw e;
                }
                // a grouped student is compared with its teacher's grouped classes, as `distillery compare` does
                List<LiveChoice> chosen = b == null ? List.of(a) : List.of(a, b);
                LivePipeline p = new LivePipeline(src, models, LivePipeline.Options.display())
                        .agreementSetup(dev.distillery.distill.compare.StudentComparison.liveSetup(
                                chosen.stream().map(LiveChoice::metadata).toList(),
                                chosen.stream().map(LiveChoice::profile).toList()))
                        .synced(synced);
                p.addListener(listener());
                p.start();
                return p;
            }
        };
        open.setOnSucceeded(e -> {
            pipeline = open.getValue();
            paneA.setTitle(a.toString());
            paneB.setTitle(b == null ? "" : b.toString());
            agreementWhat.setText(b == null ? "" : LiveChoice.whatItMeasures(a, b));
            paneB.setVisible(b != null);
            paneB.setManaged(b != null);
            centre.getChildren().setAll(running);
            layoutPanes();
            setRunning(true);
            status.setText(pipeline.sourceInfo().description());
            long length = pipeline.sourceLength();
            seekBar.setDisable(!(pipeline.sourceInfo().seekable() && length > 1));
            seekBar.setMax(Math.max(1, length - 1));
            painter.start();
        });
        open.setOnFailed(e -> {
            start.setDisable(false);
            status.setText("");
            problem("Cannot start", open.getException().getMessage());
        });
        Background.run(open);
    }

    private LiveListener listener() {
        return new LiveListener() {
            @Override
            public void onFrame(LiveFrame frame) {
                pairs.offer(frame);
            }

            @Override
            public void onError(String message) {
                Platform.runLater(() -> {
                    stopPipeline();
                    problem("The live test stopped", message);
                });
            }

            @Override
            public void onStopped() {
                Platform.runLater(() -> setRunning(false));
            }
        };
    }

    private void paint(long now) {
        FramePairs.Paint next = pairs.take(syncedMode.isSelected(), paneB.isManaged());
        LiveFrame a = next.a();
        LiveFrame b = next.b();
        if (a != null) {
            paneA.show(a.argb(), a.width(), a.height());
            paneA.showFrameNumber(a.frameNumber());
        }
        if (b != null) {
            paneB.show(b.argb(), b.width(), b.height());
            paneB.showFrameNumber(b.frameNumber());
        }
        if (pipeline != null && !seekBar.isDisabled() && !seekBar.isValueChanging() && !seekBar.isPressed()) {
            long at = pipeline.sourcePosition();
            if (at >= 0) {
                seekBar.setValue(at);
                position.setText("frame " + (at + 1) + " of " + (long) (seekBar.getMax() + 1));
            }
        }
        if (pipeline != null && now - lastStatsNanos > 250_000_000L) {
            lastStatsNanos = now;
            var stats = pipeline.stats();
            var m = stats.models();
            if (!m.isEmpty()) {
                paneA.showStats(m.get(0).fps(), m.get(0).p50Ms(), m.get(0).p95Ms());
            }
            if (m.size() > 1) {
                paneB.showStats(m.get(1).fps(), m.get(1).p50Ms(), m.get(1).p95Ms());
                if (overlaid.isSelected()) {
                    // the upper pane's header is hidden: the lower one carries both models' figures
                    paneA.fps.setText(String.format(Locale.ROOT, "%.1f / %.1f fps", m.get(0).fps(), m.get(1).fps()));
                    paneA.latency.setText(String.format(Locale.ROOT, "p50 %.1f / %.1f ms", m.get(0).p50Ms(),
                            m.get(1).p50Ms()));
                }
                boolean sameTask = modelA.getValue() instanceof LiveChoice ta && modelB.getValue() instanceof LiveChoice tb
                        && ta.profile().task().kind() == tb.profile().task().kind();
                agreement.setText(!sameTask ? "Agreement: – (the two models answer different kinds of task)"
                        : Double.isNaN(stats.agreement()) ? "Agreement: –"
                        : String.format(Locale.ROOT, "Agreement: %.0f %% of the last %s both models saw",
                                stats.agreement() * 100, Plural.of(stats.agreementSamples(), "frame")));
            } else {
                agreement.setText("Add a second model to compare them.");
            }
        }
    }

    private void seekTo(double frame) {
        if (pipeline != null && !seekBar.isDisabled()) {
            pipeline.seek(Math.round(frame));
        }
    }


    private void layoutPanes() {
        if (overlaid.isSelected() && paneB.isManaged()) {
            paneB.setOpacity(0.5);
            paneB.showHeader(false);
            paneA.setTitle(titleA() + "  ·  " + titleB() + " on top at 50 %");
            running.setCenter(new StackPane(paneA, paneB));
        } else {
            paneB.setOpacity(1);
            paneB.showHeader(true);
            paneA.setTitle(titleA());
            panes.getChildren().setAll(paneA, paneB);
            running.setCenter(panes);
        }
    }

    private String titleA() {
        return modelA.getValue() instanceof LiveChoice c ? c.toString() : "";
    }

    private String titleB() {
        return modelB.getValue() instanceof LiveChoice c ? c.toString() : "";
    }

    private void togglePause() {
        if (pipeline == null) {
            return;
        }
        if (pipeline.isPaused()) {
            pipeline.resume();
            pause.setText("Pause");
        } else {
            pipeline.pause();
            pause.setText("Resume");
        }
    }

    /** Stops the pipeline and returns to the idle screen (also when leaving the screen). */
    public void stopPipeline() {
        LivePipeline p = pipeline;
        pipeline = null;
        painter.stop();
        if (p != null) {
            if (recording) {
                p.stopRecording();
                recording = false;
                record.setText("Record");
            }
            Background.tasks().execute(p::close);
        }
        pairs.clear();
        paneA.clear();
        paneB.clear();
        seekBar.setDisable(true);
        position.setText("");
        centre.getChildren().setAll(empty);
        setRunning(false);
    }

    private void setRunning(boolean on) {
        start.setDisable(on || modelA.getValue() == null);
        pause.setDisable(!on);
        stop.setDisable(!on);
        snapshot.setDisable(!on);
        record.setDisable(!on);
        capture.setDisable(!on);
        source.setDisable(on);
        modelA.setDisable(on);
        modelB.setDisable(on);
        if (!on) {
            pause.setText("Pause");
        }
    }

    private Path timestamped(String folder, String prefix, String ext) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return ctx.session().dataDirectory().root().resolve(folder).resolve(prefix + "-" + stamp + ext);
    }

    private void snapshot() {
        if (pipeline == null) {
            return;
        }
        Path file = timestamped("snapshots", "live", ".png");
        LivePipeline p = pipeline;
        Background.tasks().execute(() -> {
            try {
                java.nio.file.Files.createDirectories(file.getParent());
                p.snapshot(file);
                Platform.runLater(() -> status.setText("Saved " + file.getFileName()));
            } catch (Exception ex) {
                Platform.runLater(() -> problem("Snapshot failed", ex.getMessage()));
            }
        });
    }

    private void toggleRecording() {
        if (pipeline == null) {
            return;
        }
        if (recording) {
            pipeline.stopRecording();
            recording = false;
            record.setText("Record");
            status.setText("Recording saved in " + ctx.session().dataDirectory().root().resolve("recordings"));
        } else {
            Path file = timestamped("recordings", "live", ".mp4");
            try {
                java.nio.file.Files.createDirectories(file.getParent());
                pipeline.startRecording(file);
                recording = true;
                record.setText("Stop recording");
                status.setText("Recording " + file.getFileName());
            } catch (Exception ex) {
                problem("Cannot record", ex.getMessage());
            }
        }
    }

    private void capture() {
        if (pipeline == null) {
            return;
        }
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder for the captured frames");
        dc.setInitialDirectory(ctx.session().dataDirectory().datasets().toFile());
        File folder = dc.showDialog(getScene().getWindow());
        if (folder != null) {
            int n = captureCount.getValue();
            status.setText("Capturing " + Plural.of(n, "frame") + " into " + folder.getName() + "…");
            pipeline.captureFrames(folder.toPath(), n).whenComplete((files, err) -> Platform.runLater(() ->
                    status.setText(err != null ? "Capture stopped: " + err.getMessage()
                            : "Captured " + Plural.of(files.size(), "frame") + " into " + folder.getName())));
        }
    }

    private void problem(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.setTitle(title);
        a.setHeaderText(title);
        a.getDialogPane().setId("live-error");
        a.show();
    }
}
