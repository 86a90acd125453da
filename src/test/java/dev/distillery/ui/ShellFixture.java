package dev.distillery.ui;

import dev.distillery.boot.AppSession;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the real app on a real session (H2 file in a temp folder) under TestFX. */
final class ShellFixture implements AutoCloseable {
    /**
     * Where to save README screenshots, or null (the default: none). Set with
     * {@code -Ddistillery.screenshots=DIR -Dgui} under Xvfb ({@code docs/screenshots/take-miner.sh}): the shots are
     * {@code import -window root} of the real window, taken at points of a test's flow.
     */
    static final String SHOTS = System.getProperty("distillery.screenshots");

    // close() declares Exception: TestFX cleanup throws TimeoutException.
    final FxRobot robot = new FxRobot();
    final AppSession session;
    final DistilleryApp app;
    final Stage stage;

    private ShellFixture(AppSession session, DistilleryApp app, Stage stage) {
        this.session = session;
        this.app = app;
        this.stage = stage;
    }

    static ShellFixture start(Path dataDir) throws Exception {
        return start(dataDir, java.util.List.of());
    }

    /** As {@code distillery FILE…} starts it: the window imports {@code files} once it shows. */
    static ShellFixture start(Path dataDir, java.util.List<Path> files) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        AppSession session = AppSession.open(dataDir, false);
        DistilleryApp app = (DistilleryApp) FxToolkit.setupApplication(() -> new DistilleryApp(session, files));
        WaitForAsyncUtils.waitForFxEvents();
        return new ShellFixture(session, app, stage);
    }

    <T extends Node> T find(String query, Class<T> type) {
        return robot.lookup(query).queryAs(type);
    }

    boolean exists(String query) {
        return robot.lookup(query).tryQuery().isPresent();
    }

    void await(String what, Supplier<Boolean> condition) {
        await(what, 20, condition);
    }

    /**
     * Waits for a condition read off the live scene from the test thread. A node can leave the scene between an
     * exists() and a find() in the condition, or a list can change under a lookup (a card re-rendering, a run
     * page swapped for its report): that counts as "not yet"; the last such failure is kept as the cause of a
     * time-out.
     */
    static void await(String what, int seconds, Supplier<Boolean> condition) {
        RuntimeException[] last = new RuntimeException[1];
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                try {
                    return Boolean.TRUE.equals(condition.get());
                } catch (RuntimeException e) {
                    last[0] = e;
                    return false;
                }
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, last[0] != null ? last[0] : e);
        }
    }

    /** Clicks a node once it is laid out in a showing window (dialogs appear a pulse later). */
    void clickWhenVisible(String query) {
        // a node can leave its scene between the lookup and the check (a list re-rendering): count it as not
        // visible yet instead of failing the wait
        await(query + " visible", () -> {
            try {
                return robot.lookup(query).match((Node n) -> n.getScene() != null && NodeQueryUtils.isVisible().test(n))
                        .tryQuery().isPresent();
            } catch (RuntimeException e) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> scrollIntoView(robot.lookup(query).query()));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(query);
    }

    /**
     * Scrolls the screen so that the node shows, as a user would before clicking it: a button below the fold of a
     * long page (a run report, Settings at the default window size) is out of the robot's reach otherwise.
     */
    static void scrollIntoView(Node n) {
        for (Node p = n.getParent(); p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null) {
                javafx.geometry.Bounds b = sp.getContent().sceneToLocal(n.localToScene(n.getLayoutBounds()));
                double content = sp.getContent().getLayoutBounds().getHeight();
                double view = sp.getViewportBounds().getHeight();
                if (b == null || content <= view) {
                    continue;
                }
                double top = sp.getVvalue() * (content - view);
                if (b.getMinY() < top || b.getMaxY() > top + view) {
                    double wanted = Math.max(0, Math.min(content - view, b.getMaxY() + 8 - view));
                    sp.setVvalue(wanted / (content - view));
                    sp.layout();
                }
            }
        }
    }

    /** When {@link #SHOTS} asks for them: the window at 1280×860 in the corner, on {@code screen}, saved as NAME.png. */
    void shot(Screen screen, String name) throws Exception {
        if (SHOTS == null) {
            return;
        }
        frame();
        robot.interact(() -> app.window().context().navigator().go(screen));
        snap(name);
    }

    /** When {@link #SHOTS} asks for them: the window at 1280×860 in the corner of the screen, as the README shows it. */
    void frame() {
        if (SHOTS == null) {
            return;
        }
        robot.interact(() -> {
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1280);
            stage.setHeight(860);
        });
    }

    /** When {@link #SHOTS} asks for them: whatever shows now (a dialog over the window), saved as NAME.png. */
    void snap(String name) throws Exception {
        if (SHOTS == null) {
            return;
        }
        Thread.sleep(2500); // charts and tables fill in from background reads
        WaitForAsyncUtils.waitForFxEvents();
        Process p = new ProcessBuilder("import", "-window", "root", Path.of(SHOTS, name + ".png").toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new AssertionError("import -window root failed for " + name);
        }
    }

    Screen current() {
        return app.window().context().navigator().current();
    }

    /** Stops the app as a user closing it would (layout saved), then the session. */
    @Override
    public void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        session.close();
    }
}
