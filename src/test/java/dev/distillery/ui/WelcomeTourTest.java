package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.ui.common.Background;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** The welcome tour of a first start, driven as a user drives it (the suite turns it off; these tests on). */
class WelcomeTourTest {
    @TempDir
    Path dir;
    private String before;

    @BeforeEach
    void turnTheTourOn() {
        before = System.getProperty(WelcomeTour.AUTOSTART_PROPERTY);
        System.setProperty(WelcomeTour.AUTOSTART_PROPERTY, "true");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(WelcomeTour.AUTOSTART_PROPERTY);
        } else {
            System.setProperty(WelcomeTour.AUTOSTART_PROPERTY, before);
        }
    }

    private static boolean shown(ShellFixture fx, String query) {
        return fx.robot.lookup(query).tryQuery().map(WelcomeTourTest::reallyVisible).orElse(false);
    }

    private static boolean reallyVisible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null;
    }

    private static String title(ShellFixture fx) {
        return fx.find("#tour-title", Label.class).getText();
    }

    @Test
    void firstStartShowsStepOneAndTheTourWalksToEachScreen() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.await("the tour on a first start", () -> shown(fx, "#tour-card"));
            assertThat(title(fx)).isEqualTo("Get a teacher");
            assertThat(fx.find("#tour-step", Label.class).getText()).isEqualTo("Welcome tour · step 1 of 3");
            assertThat(fx.find("#tour-text", Label.class).getText()).contains("PaddleOCR");
            assertThat(fx.find("#tour-back", Button.class).isDisabled()).isTrue();
            assertThat(fx.current()).as("the tour opens no screen by itself").isEqualTo(Screen.DASHBOARD);

            fx.robot.clickOn("#tour-next");
            assertThat(title(fx)).isEqualTo("Distill a student");
            assertThat(fx.find("#tour-text", Label.class).getText()).contains("Sample images (24 text scenes)");
            fx.robot.clickOn("#tour-back");
            assertThat(title(fx)).isEqualTo("Get a teacher");

            // "Show me" opens the step's screen and folds the tour into the pill; Continue brings it back
            fx.robot.clickOn("#tour-show-me");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).isEqualTo(Screen.TEACHERS);
            assertThat(shown(fx, "#tour-card")).isFalse();
            assertThat(shown(fx, "#tour-pill")).isTrue();
            assertThat(fx.find("#tour-pill-text", Label.class).getText()).contains("step 1 of 3");
            fx.robot.clickOn("#tour-continue");
            assertThat(shown(fx, "#tour-card")).isTrue();
            assertThat(title(fx)).isEqualTo("Get a teacher");

            fx.robot.clickOn("#tour-next").clickOn("#tour-show-me");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).isEqualTo(Screen.DISTILL);
            fx.robot.clickOn("#tour-continue").clickOn("#tour-next");
            assertThat(title(fx)).isEqualTo("Submit it to the network");
            assertThat(fx.find("#tour-next", Button.class).getText()).isEqualTo("Finish");
            fx.robot.clickOn("#tour-show-me");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).isEqualTo(Screen.NETWORK);
            fx.robot.clickOn("#tour-continue").clickOn("#tour-next");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).as("finished").isFalse();
            Background.drainWrites();
            assertThat(fx.session.settings().getBoolean(WelcomeTour.DONE, false)).isTrue();
        }
    }

    @Test
    void skipIsRememberedAndHelpReopensTheTourAtStepOne() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.await("the tour on a first start", () -> shown(fx, "#tour-card"));
            fx.robot.clickOn("#tour-next");
            fx.robot.clickOn("#tour-skip");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).isFalse();
            assertThat(fx.app.window().tour().step()).isEqualTo(-1);
        }
        try (ShellFixture fx = ShellFixture.start(dir)) {
            // the start-up tour would open a pulse after the window: give it that chance
            WaitForAsyncUtils.waitForFxEvents();
            WaitForAsyncUtils.sleep(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).as("skipped before: not shown again").isFalse();

            fx.clickWhenVisible("Help");
            fx.clickWhenVisible("Welcome tour");
            fx.await("the tour from the Help menu", () -> shown(fx, "#tour-card"));
            assertThat(title(fx)).isEqualTo("Get a teacher");
            assertThat(fx.find("#tour-step", Label.class).getText()).contains("step 1 of 3");
        }
    }

    @Test
    void enterGoesOnAndEscapeSkips() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.await("the tour on a first start", () -> shown(fx, "#tour-card"));
            fx.robot.type(KeyCode.ENTER);
            assertThat(title(fx)).isEqualTo("Distill a student");
            fx.robot.type(KeyCode.ENTER);
            assertThat(title(fx)).isEqualTo("Submit it to the network");
            fx.robot.type(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).isFalse();
            assertThat(fx.current()).as("keys only move the tour").isEqualTo(Screen.DASHBOARD);
            Background.drainWrites();
            assertThat(fx.session.settings().getBoolean(WelcomeTour.DONE, false)).isTrue();
        }
    }

    @Test
    void clickingBesideTheCardFoldsItAndTheAppStaysUsable() throws Exception {
        try (ShellFixture fx = ShellFixture.start(dir)) {
            fx.await("the tour on a first start", () -> shown(fx, "#tour-card"));
            // the sidebar is never covered
            fx.robot.clickOn("#nav-live");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).isEqualTo(Screen.LIVE);
            assertThat(shown(fx, "#tour-card")).isTrue();
            // a click on the dimmed content beside the card folds it away
            javafx.geometry.Bounds card = fx.find("#tour-card", Node.class).localToScreen(
                    fx.find("#tour-card", Node.class).getBoundsInLocal());
            fx.robot.clickOn(card.getMinX() + 10, card.getMaxY() + 40);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-card")).isFalse();
            assertThat(shown(fx, "#tour-pill")).isTrue();
            fx.robot.clickOn("#tour-pill-close");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).isFalse();
        }
    }

    @Test
    void theSuitesPropertyKeepsItClosed() throws Exception {
        System.setProperty(WelcomeTour.AUTOSTART_PROPERTY, "false");
        try (ShellFixture fx = ShellFixture.start(dir)) {
            WaitForAsyncUtils.waitForFxEvents();
            WaitForAsyncUtils.sleep(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(shown(fx, "#tour-layer")).isFalse();
            Background.drainWrites();
            assertThat(fx.session.settings().get(WelcomeTour.DONE)).as("not shown is not done").isEmpty();
        }
    }
}
