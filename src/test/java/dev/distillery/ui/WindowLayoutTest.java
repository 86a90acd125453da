package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.boot.AppSession;
import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** Window size, position and the last screen survive a restart; an off-screen layout does not. */
class WindowLayoutTest {
    @TempDir
    Path dir;

    @Test
    void layoutAndLastScreenAreRestoredAfterRestart() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.robot.interact(() -> {
                fx.stage.setX(37);
                fx.stage.setY(21);
                fx.stage.setWidth(1010);
                fx.stage.setHeight(690);
            });
            fx.robot.clickOn("#nav-history");
            WaitForAsyncUtils.waitForFxEvents();
        }
        try (ShellFixture fx = ShellFixture.start(dir)) {
            assertThat(fx.current()).isEqualTo(Screen.HISTORY);
            assertThat(fx.find("#screen-title", Label.class).getText()).isEqualTo("History");
            assertThat(fx.stage.getX()).isEqualTo(37);
            assertThat(fx.stage.getY()).isEqualTo(21);
            assertThat(fx.stage.getWidth()).isEqualTo(1010);
            assertThat(fx.stage.getHeight()).isEqualTo(690);
        }
    }

    @Test
    void aLayoutOffEveryScreenIsCentredInstead() throws Exception {
        try (AppSession s = AppSession.open(dir, false)) {
            s.settings().put(WindowState.X, -20000.0);
            s.settings().put(WindowState.Y, -20000.0);
            s.settings().put(WindowState.WIDTH, 1000.0);
            s.settings().put(WindowState.HEIGHT, 700.0);
            s.settings().put(WindowState.LAST_SCREEN, "no-such-screen");
        }
        try (ShellFixture fx = ShellFixture.start(dir)) {
            Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            assertThat(screen.contains(fx.stage.getX() + 1, fx.stage.getY() + 1)).isTrue();
            assertThat(fx.current()).isEqualTo(Screen.DASHBOARD);
        }
    }

    @Test
    void resetLayoutForgetsTheStoredBounds() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.robot.interact(() -> fx.stage.setX(5));
            fx.robot.interact(fx.app.window()::saveLayout);
            assertThat(fx.session.settings().getDouble(WindowState.X)).hasValue(5);
            fx.robot.clickOn("#nav-settings");
            fx.clickWhenVisible("#settings-reset-layout"); // below the fold of Settings at the default size
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.session.settings().get(WindowState.X)).isEmpty();
            Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            double expectedX = screen.getMinX() + (screen.getWidth() - fx.stage.getWidth()) / 2;
            assertThat(fx.stage.getX()).isEqualTo(expectedX);
        }
    }
}
