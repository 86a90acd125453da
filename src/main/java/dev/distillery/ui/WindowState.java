package dev.distillery.ui;

import dev.distillery.store.SettingsStore;
import java.util.OptionalDouble;
import javafx.geometry.Rectangle2D;
import javafx.stage.Stage;

/**
 * Remembers the main window's size, position and maximized state in the settings table, and puts
 * the window back where it was, unless that place is no longer on any screen (a monitor was
 * unplugged), in which case it is centred on the primary screen.
 */
public final class WindowState {
    static final String X = "window.x";
    static final String Y = "window.y";
    static final String WIDTH = "window.width";
    static final String HEIGHT = "window.height";
    static final String MAXIMIZED = "window.maximized";
    public static final String LAST_SCREEN = "ui.lastScreen";

    public static final double MIN_WIDTH = 960;
    public static final double MIN_HEIGHT = 640;
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 820;

    private WindowState() {
    }

    /** Sizes and places the stage before it is shown. */
    public static void restore(Stage stage, SettingsStore settings) {
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        OptionalDouble x = settings.getDouble(X);
        OptionalDouble y = settings.getDouble(Y);
        OptionalDouble w = settings.getDouble(WIDTH);
        OptionalDouble h = settings.getDouble(HEIGHT);
        if (x.isPresent() && y.isPresent() && w.isPresent() && h.isPresent()) {
            Rectangle2D saved = new Rectangle2D(x.getAsDouble(), y.getAsDouble(),
                    Math.max(MIN_WIDTH, w.getAsDouble()), Math.max(MIN_HEIGHT, h.getAsDouble()));
            if (visible(saved)) {
                stage.setX(saved.getMinX());
                stage.setY(saved.getMinY());
                stage.setWidth(saved.getWidth());
                stage.setHeight(saved.getHeight());
                stage.setMaximized(settings.getBoolean(MAXIMIZED, false));
                return;
            }
        }
        centre(stage);
        stage.setMaximized(settings.getBoolean(MAXIMIZED, false));
    }

    /** Stores the stage's layout; the normal bounds are kept while maximized. */
    public static void save(Stage stage, SettingsStore settings) {
        settings.put(MAXIMIZED, stage.isMaximized());
        if (!stage.isMaximized() && !stage.isIconified() && !stage.isFullScreen()
                && Double.isFinite(stage.getWidth()) && stage.getWidth() > 0) {
            settings.put(X, stage.getX());
            settings.put(Y, stage.getY());
            settings.put(WIDTH, stage.getWidth());
            settings.put(HEIGHT, stage.getHeight());
        }
    }

    /** Forgets the stored layout and centres the window at the default size. */
    public static void reset(Stage stage, SettingsStore settings) {
        settings.removeAll("window.");
        stage.setMaximized(false);
        stage.setFullScreen(false);
        centre(stage);
    }

    private static void centre(Stage stage) {
        Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        double w = Math.min(DEFAULT_WIDTH, screen.getWidth());
        double h = Math.min(DEFAULT_HEIGHT, screen.getHeight());
        stage.setWidth(w);
        stage.setHeight(h);
        stage.setX(screen.getMinX() + (screen.getWidth() - w) / 2);
        stage.setY(screen.getMinY() + (screen.getHeight() - h) / 2);
    }

    /** At least a title-bar's worth of the window lies on some screen. */
    static boolean visible(Rectangle2D r) {
        Rectangle2D grip = new Rectangle2D(r.getMinX() + 40, r.getMinY(), Math.max(1, r.getWidth() - 80), 40);
        return !javafx.stage.Screen.getScreensForRectangle(grip).isEmpty();
    }
}
