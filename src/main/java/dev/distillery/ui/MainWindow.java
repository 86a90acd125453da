package dev.distillery.ui;

import dev.distillery.ui.common.Background;
import dev.distillery.ui.common.DesktopActions;
import dev.distillery.ui.dashboard.DashboardView;
import dev.distillery.ui.distill.DistillView;
import dev.distillery.ui.history.HistoryView;
import dev.distillery.ui.live.LiveView;
import dev.distillery.ui.network.NetworkView;
import dev.distillery.ui.settings.SettingsView;
import dev.distillery.ui.teachers.TeachersView;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;

/** The one window: menu bar, sidebar of screens, the current screen, status bar. */
public final class MainWindow {
    static final KeyCombination FULL_SCREEN = new KeyCodeCombination(KeyCode.F11);
    static final KeyCombination HELP = new KeyCodeCombination(KeyCode.F1);
    static final KeyCombination QUIT = new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN);

    private final ShellContext ctx;
    private final Stage stage;
    private final Map<Screen, ScreenPane> views = new EnumMap<>(Screen.class);
    private final Map<Screen, Function<ShellContext, ScreenPane>> factories = new EnumMap<>(Screen.class);
    private final Map<Screen, ToggleButton> navButtons = new EnumMap<>(Screen.class);
    private final Map<Screen, RadioMenuItem> navItems = new EnumMap<>(Screen.class);
    private final StackPane content = new StackPane();
    private final WelcomeTour tour;

    public MainWindow(ShellContext ctx, Stage stage) {
        this.ctx = ctx;
        this.stage = stage;
        factories.put(Screen.DASHBOARD, DashboardView::new);
        factories.put(Screen.TEACHERS, TeachersView::new);
        factories.put(Screen.DISTILL, DistillView::new);
        factories.put(Screen.LIVE, LiveView::new);
        factories.put(Screen.NETWORK, NetworkView::new);
        factories.put(Screen.EARNINGS, dev.distillery.ui.earnings.EarningsView::new);
        factories.put(Screen.HISTORY, HistoryView::new);
        factories.put(Screen.SETTINGS, SettingsView::new);

        content.setId("content");
        content.getStyleClass().add("content");
        tour = new WelcomeTour(ctx);
        BorderPane root = new BorderPane();
        root.getStyleClass().add("app-root");
        root.setTop(menuBar());
        root.setLeft(sidebar());
        root.setCenter(new StackPane(content, tour.layer()));
        root.setBottom(new StatusBar(ctx));

        Scene scene = new Scene(root);
        installModelDrop(scene);
        scene.getStylesheets().add(stylesheet());
        stage.setScene(scene);
        stage.setTitle("Distillery");
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            icon(size).ifPresent(stage.getIcons()::add);
        }
        ctx.setWindow(stage);
        ctx.setViews(this::view);
        ctx.setDistillHandler(p -> ((DistillView) view(Screen.DISTILL)).newRun(p));
        ctx.setLiveHandler((teacher, student) -> ((dev.distillery.ui.live.LiveView) view(Screen.LIVE))
                .tryLive(teacher, student));

        ctx.navigator().currentProperty().addListener((o, was, now) -> show(now));
        Screen last = Screen.fromId(ctx.settings().get(WindowState.LAST_SCREEN, Screen.DASHBOARD.id()))
                .orElse(Screen.DASHBOARD);
        WindowState.restore(stage, ctx.settings());
        if (ctx.navigator().current() == last) {
            show(last);
        } else {
            ctx.navigator().go(last);
        }
        stage.setOnHiding(e -> saveLayout());
        // after the first frame: the window shows first, then the devnet starts in the background and the wallet
        // used last time is read (locked)
        Platform.runLater(() -> {
            ctx.network().startDefault();
            ctx.miner().loadRemembered();
        });
        if (WelcomeTour.startsAutomatically(ctx.settings())) {
            Platform.runLater(tour::start); // once the window shows; never a modal wait
        }
    }

    /** The screen's view, created on first use. */
    public ScreenPane view(Screen screen) {
        return views.computeIfAbsent(screen, s -> factories.get(s).apply(ctx));
    }

    public Stage stage() {
        return stage;
    }

    public ShellContext context() {
        return ctx;
    }

    /** The welcome tour (opened by itself on a first start, and from Help). */
    public WelcomeTour tour() {
        return tour;
    }

    /** Stores the window layout (on close and at exit). */
    public void saveLayout() {
        WindowState.save(stage, ctx.settings());
    }

    /** .onnx files dropped anywhere on the window are imported as teachers. */
    private void installModelDrop(Scene scene) {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().stream()
                    .anyMatch(f -> f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"))) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            List<java.nio.file.Path> models = e.getDragboard().getFiles().stream()
                    .filter(f -> f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"))
                    .map(java.io.File::toPath).toList();
            e.setDropCompleted(!models.isEmpty());
            e.consume();
            if (!models.isEmpty()) {
                importModels(models);
            }
        });
    }

    /**
     * A second start of the app handed over to this window: it comes to the front (out of the task bar if it was
     * minimised) and imports the files, if any.
     */
    public void openFromOutside(List<java.nio.file.Path> files) {
        if (stage.isIconified()) {
            stage.setIconified(false);
        }
        stage.show();
        stage.toFront();
        stage.requestFocus();
        if (!files.isEmpty()) {
            importModels(files);
        }
    }

    /** Shows the Teachers screen and imports the files (drag and drop, file association). */
    public void importModels(List<java.nio.file.Path> models) {
        tour.stepAside();
        ctx.navigator().go(Screen.TEACHERS);
        ((TeachersView) view(Screen.TEACHERS)).importFiles(models);
    }

    static String stylesheet() {
        return MainWindow.class.getResource("/dev/distillery/ui/app.css").toExternalForm();
    }

    static Optional<Image> icon(int size) {
        InputStream in = MainWindow.class.getResourceAsStream("/dev/distillery/icons/distillery-" + size + ".png");
        return in == null ? Optional.empty() : Optional.of(new Image(in));
    }

    private void show(Screen screen) {
        ScreenPane view = view(screen);
        content.getChildren().setAll(view);
        navButtons.get(screen).setSelected(true);
        navItems.get(screen).setSelected(true);
        stage.setTitle(screen == Screen.DASHBOARD ? "Distillery" : screen.title() + " — Distillery");
        view.onShown();
        String id = screen.id();
        Background.writes().execute(() -> ctx.settings().put(WindowState.LAST_SCREEN, id));
    }

    private VBox sidebar() {
        VBox bar = new VBox(4);
        bar.getStyleClass().add("sidebar");
        bar.setId("sidebar");

        HBox brand = new HBox(10);
        brand.getStyleClass().add("brand");
        brand.setAlignment(Pos.CENTER_LEFT);
        icon(32).ifPresent(img -> brand.getChildren().add(new ImageView(img)));
        Label name = new Label("Distillery");
        name.getStyleClass().add("brand-name");
        brand.getChildren().add(name);
        bar.getChildren().add(brand);

        ToggleGroup group = new ToggleGroup();
        for (Screen s : Screen.values()) {
            ToggleButton b = new ToggleButton(s.title(), new FontIcon(s.icon()));
            b.setId("nav-" + s.id());
            b.getStyleClass().add("nav-button");
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setTooltip(new Tooltip(s.title() + "  (" + s.shortcut().getDisplayText() + ")"));
            b.setOnAction(e -> {
                b.setSelected(true); // a click on the current screen must not leave nothing selected
                ctx.navigator().go(s);
            });
            if (s == Screen.SETTINGS) {
                Region spring = new Region();
                VBox.setVgrow(spring, Priority.ALWAYS);
                bar.getChildren().add(spring);
            }
            navButtons.put(s, b);
            bar.getChildren().add(b);
        }
        Label version = new Label("v" + dev.distillery.core.BuildInfo.get().version());
        version.getStyleClass().add("sidebar-version");
        bar.getChildren().add(version);
        return bar;
    }

    private MenuBar menuBar() {
        MenuItem openData = new MenuItem("Open data folder", new FontIcon("mdi2f-folder-open-outline"));
        openData.setOnAction(e -> DesktopActions.open(ctx.session().dataDirectory().root(), stage));
        MenuItem quit = new MenuItem("Quit", new FontIcon("mdi2e-exit-to-app"));
        quit.setAccelerator(QUIT);
        quit.setOnAction(e -> {
            saveLayout();
            Platform.exit();
        });
        Menu file = new Menu("_File", null, openData, new SeparatorMenuItem(), quit);

        List<MenuItem> viewItems = new ArrayList<>();
        ToggleGroup group = new ToggleGroup();
        for (Screen s : Screen.values()) {
            RadioMenuItem item = new RadioMenuItem(s.title());
            item.setId("menu-" + s.id());
            item.setToggleGroup(group);
            item.setAccelerator(s.shortcut());
            item.setOnAction(e -> ctx.navigator().go(s));
            navItems.put(s, item);
            viewItems.add(item);
        }
        MenuItem fullScreen = new MenuItem("Full screen", new FontIcon("mdi2f-fullscreen"));
        fullScreen.setAccelerator(FULL_SCREEN);
        fullScreen.setOnAction(e -> stage.setFullScreen(!stage.isFullScreen()));
        viewItems.add(new SeparatorMenuItem());
        viewItems.add(fullScreen);
        Menu view = new Menu("_View", null, viewItems.toArray(MenuItem[]::new));

        MenuItem shortcuts = new MenuItem("Keyboard shortcuts", new FontIcon("mdi2k-keyboard-outline"));
        shortcuts.setAccelerator(HELP);
        shortcuts.setOnAction(e -> ShortcutsDialog.show(stage));
        MenuItem logs = new MenuItem("Open log folder");
        logs.setOnAction(e -> DesktopActions.open(ctx.session().dataDirectory().logs(), stage));
        MenuItem about = new MenuItem("About Distillery", new FontIcon("mdi2i-information-outline"));
        about.setId("menu-about");
        about.setOnAction(e -> new AboutDialog(stage, ctx).show());
        MenuItem welcome = new MenuItem("Welcome tour", new FontIcon("mdi2c-compass-outline"));
        welcome.setId("menu-tour");
        welcome.setOnAction(e -> tour.start());
        Menu help = new Menu("_Help", null, welcome, shortcuts, logs, new SeparatorMenuItem(), about);

        MenuBar bar = new MenuBar(file, view, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }
}
