package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.ComputeThreads;
import dev.distillery.ui.common.Background;
import java.nio.file.Path;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** The shell, driven as a user drives it: sidebar, shortcuts, status bar, dialogs. */
class MainWindowTest {
    /** What each empty screen must say it is about. */
    static final Map<Screen, String> HEADINGS = Map.of(
            Screen.DASHBOARD, "Nothing mined yet",
            Screen.TEACHERS, "No teachers yet",
            Screen.DISTILL, "No distillation runs yet",
            Screen.LIVE, "No source running",
            Screen.NETWORK, "Not connected",
            Screen.EARNINGS, "No earnings yet",
            Screen.HISTORY, "No history yet");

    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void sidebarVisitsEveryScreenAndEachSaysWhatToDo() {
        assertThat(fx.current()).isEqualTo(Screen.DASHBOARD);
        for (Screen s : Screen.values()) {
            fx.robot.clickOn("#nav-" + s.id());
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).isEqualTo(s);
            assertThat(fx.find("#screen-title", Label.class).getText()).isEqualTo(s.title());
            assertThat(fx.find("#nav-" + s.id(), ToggleButton.class).isSelected()).isTrue();
            assertThat(fx.stage.getTitle()).contains("Distillery");
            if (s == Screen.SETTINGS) {
                assertThat(fx.find("#settings-data-dir", TextField.class).getText()).isEqualTo(dir.toString());
                assertThat(fx.find("#settings-db", TextField.class).getText())
                        .contains("distillery.mv.db").contains("schema version " + fx.session.database().schemaVersion());
            } else {
                assertThat(fx.find("#empty-title", Label.class).getText()).isEqualTo(HEADINGS.get(s));
                if (s != Screen.DASHBOARD) {
                    assertThat(fx.find("#empty-next", Label.class).getText()).startsWith("Next step:");
                }
            }
        }
        // Clicking the current screen again keeps it selected.
        fx.robot.clickOn("#nav-settings");
        assertThat(fx.find("#nav-settings", ToggleButton.class).isSelected()).isTrue();
    }

    @Test
    void keyboardShortcutsOpenScreens() {
        fx.robot.push(new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.current()).isEqualTo(Screen.LIVE);
        fx.robot.push(new KeyCodeCombination(KeyCode.DIGIT8, KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.current()).isEqualTo(Screen.SETTINGS);
        fx.robot.push(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.find("#screen-title", Label.class).getText()).isEqualTo("Teachers");
    }

    @Test
    void nextStepButtonsTakeTheUserThere() {
        fx.robot.clickOn("#go-teachers");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.current()).isEqualTo(Screen.TEACHERS);
        fx.robot.clickOn("#nav-network");
        fx.robot.clickOn("#go-distill");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.current()).isEqualTo(Screen.DISTILL);
    }

    @Test
    void statusBarShowsDataDirectoryThreadsAndNetwork() {
        assertThat(fx.find("#status-data-dir", Label.class).getText()).isEqualTo(dir.toString());
        int cores = ComputeThreads.available();
        assertThat(fx.find("#status-threads", Label.class).getText())
                .isEqualTo("CPU threads: " + cores + " of " + cores);
        assertThat(fx.find("#status-network", Label.class).getText()).isEqualTo("Network: Not connected");
    }

    @Test
    void threadSettingIsShownInTheStatusBarAndStored() {
        fx.robot.clickOn("#nav-settings");
        @SuppressWarnings("unchecked")
        Spinner<Integer> spinner = fx.find("#settings-threads", Spinner.class);
        fx.robot.interact(() -> spinner.getValueFactory().setValue(1));
        assertThat(fx.find("#status-threads", Label.class).getText()).startsWith("CPU threads: 1 of ");
        Background.drainWrites();
        assertThat(fx.session.settings().getInt(ComputeThreads.SETTING)).hasValue(1);
    }

    @Test
    void typingNonsenseIntoTheThreadsFieldIsHarmless() {
        fx.robot.clickOn("#nav-settings");
        @SuppressWarnings("unchecked")
        Spinner<Integer> spinner = fx.find("#settings-threads", Spinner.class);
        int before = spinner.getValue();
        fx.robot.doubleClickOn(spinner.getEditor()).eraseText(4).write("abc").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.exists("#error-dialog")).as("no error dialog").isFalse();
        assertThat(spinner.getValue()).isEqualTo(before);
        fx.robot.doubleClickOn(spinner.getEditor()).eraseText(4).type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.exists("#error-dialog")).as("empty text: no error dialog").isFalse();
        assertThat(spinner.getValue()).isEqualTo(before);
        fx.robot.doubleClickOn(spinner.getEditor()).eraseText(4).write("1").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spinner.getValue()).isEqualTo(1);
        assertThat(fx.find("#status-threads", Label.class).getText()).startsWith("CPU threads: 1 of ");
    }

    @Test
    void aboutDialogShowsRuntimeVersionsReadAtRunTime() {
        fx.clickWhenVisible("Help");
        fx.clickWhenVisible("About Distillery");
        fx.await("runtime versions", () -> fx.exists("#about-onnx-runtime")
                && !fx.find("#about-onnx-runtime", Label.class).getText().startsWith("checking")
                && !fx.find("#about-pytorch", Label.class).getText().startsWith("checking"));
        assertThat(fx.find("#about-onnx-runtime", Label.class).getText()).matches("1\\.\\d+\\.\\d+.*");
        assertThat(fx.find("#about-pytorch", Label.class).getText()).startsWith("2.7.1");
        assertThat(fx.find("#about-opencv", Label.class).getText()).startsWith("4.");
        assertThat(fx.find("#about-javafx", Label.class).getText()).startsWith("21.");
        assertThat(fx.find("#about-data-directory", Label.class).getText()).isEqualTo(dir.toString());
        fx.clickWhenVisible("Close");
    }
}
