package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.Sha256;
import dev.distillery.distill.DistillReport;
import dev.distillery.network.score.Challenge;
import dev.distillery.store.EpochRow;
import dev.distillery.store.NetworkStore;
import dev.distillery.store.RunRow;
import dev.distillery.store.RunStore;
import dev.distillery.teacher.library.Json;
import dev.distillery.testing.TinyModels;
import dev.distillery.ui.miner.MinerAccount;
import dev.distillery.ui.network.NetworkSnapshot;
import dev.distillery.ui.teachers.TeachersView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * No text is cut short at 1024×640 or larger: every screen of the sidebar (each tab of its tab panes too), empty and
 * with data, at 1024×640 and 1366×768, is searched for a {@link Labeled} whose skin shows less than its text (the
 * ellipsis in place of the end), and for a text field whose prompt does not fit. A cut text is accepted only with a
 * tooltip that gives it whole (long paths, model names in table cells).
 */
class NoClippedTextTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String ME = "5MeHotkeyForTheNoClippedTextTest";
    static final double[][] SIZES = {{1024, 640}, {1366, 768}};

    @TempDir
    Path dir;
    ShellFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void noScreenCutsATextShortWhenEmpty() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
        List<String> problems = new ArrayList<>();
        for (double[] size : SIZES) {
            resize(size);
            for (ToggleButton nav : navButtons()) {
                problems.addAll(visit(nav, size, "empty"));
            }
        }
        assertThat(problems).as("texts cut short").isEmpty();
    }

    @Test
    void noScreenCutsATextShortWithData() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
        seed();
        List<String> problems = new ArrayList<>();
        for (double[] size : SIZES) {
            resize(size);
            for (ToggleButton nav : navButtons()) {
                problems.addAll(visit(nav, size, "with data"));
            }
            problems.addAll(runReport(size));
            problems.addAll(teacherJob(size));
        }
        assertThat(problems).as("texts cut short").isEmpty();
    }

    // ---- data ----

    /** A teacher (benchmarked), finished runs with a report, submissions and earnings, a wallet, the devnet. */
    void seed() throws Exception {
        fx.robot.interact(() -> fx.app.window().context().miner().setIdentity(
                new MinerAccount.Identity(LEDGER, "main", ME)));

        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        TeachersView teachers = (TeachersView) fx.app.window().view(Screen.TEACHERS);
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.TEACHERS));
        fx.robot.interact(() -> teachers.importFiles(List.of(model)));
        fx.await("the teacher's detail", () -> fx.exists("#teacher-card-1") && fx.exists("#detail-inputs"));
        fx.clickWhenVisible("#teacher-bench");
        fx.await("the benchmark", () -> fx.exists("#teacher-speed-1")
                && fx.find("#teacher-speed-1", javafx.scene.control.Label.class).getText().startsWith("p50"));

        var db = fx.session.database();
        Path student = Files.write(dir.resolve("a-student-with-a-rather-long-file-name-int8.onnx"),
                new byte[] {1, 2, 3});
        long run = reportedRun(db.runs(), "a run with a fairly long name for its card", student);
        SeededRuns.completed(db.runs(), dir, "second run", 4, null);
        Instant t0 = Instant.now().minusSeconds(3600);
        NetworkStore net = db.network();
        net.putSubmission(new NetworkStore.Submission("sub-a", LEDGER, "validator-1", ME, Sha256.hex(student),
                student.toString(), "SCORED", 0.61, 0.7, 3.0, 3L, null, 1L, null, null), t0);
        for (int e = 1; e <= 3; e++) {
            net.putEpoch(new NetworkStore.Epoch(LEDGER, e, e * 100L, 2_000_000_000L, 0, t0.plusSeconds(e * 500L),
                    List.of(new NetworkStore.Share(0, ME, 0.5, 0, e * 123_456_789L),
                            new NetworkStore.Share(1, "5SomeoneElse", 0.5, 0, 7))));
        }
        assertThat(run).isPositive();

        // the devnet: the metagraph, the challenge and the servers fill the Network screen
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.NETWORK));
        fx.clickWhenVisible("#network-start-devnet");
        var network = fx.app.window().context().network();
        ShellFixture.await("the devnet's metagraph", 120, () -> {
            NetworkSnapshot s = network.snapshotProperty().get();
            return s.state() == NetworkSnapshot.State.RUNNING && s.rows().size() >= 6 && s.challenge() != null
                    && !s.nodes().isEmpty();
        });
        assertThat(Challenge.DEVNET_TEACHER_SHA256).isNotBlank();
    }

    long reportedRun(RunStore runs, String name, Path student) {
        long id = runs.create(name, "ab".repeat(32), "colours", null, "cls-tiny", "{}",
                dir.resolve("runs/{id}").toString());
        for (int e = 1; e <= 5; e++) {
            runs.epoch(new EpochRow(id, e, 2.0 / e, 0.5 + e * 0.05, null, 0.01 / e, 500, e * 3.0), e, 0.5 + e * 0.05);
        }
        DistillReport.Classification c = new DistillReport.Classification("red", 0.9, 0.5, 0.0,
                List.of(new DistillReport.ClassRecall("red", 90, 1.0), new DistillReport.ClassRecall("green", 10, 0.0)),
                "FAILED", "Agreement 0.900 is no better than always answering the most frequent class "
                + "(baseline 0.900).", dev.distillery.metrics.Verdict.ADVICE);
        DistillReport r = new DistillReport("colours", 600_000, 150_000, 2.5, student.toString(), "cls-tiny", 64, 32,
                40_000, 9_000, 0.3, 2, "agreement", 0.9, null, 100, 5, 4, "epoch limit", 60, 200, 1e-6, null, c);
        runs.report(id, r.studentPath(), Json.write(r));
        runs.finish(id, RunRow.COMPLETED, "Done", null);
        return id;
    }

    // ---- walking the screens ----

    void resize(double[] size) {
        fx.robot.interact(() -> {
            fx.stage.setX(0);
            fx.stage.setY(0);
            fx.stage.setWidth(size[0]);
            fx.stage.setHeight(size[1]);
        });
        settle();
    }

    List<ToggleButton> navButtons() throws Exception {
        return fx(() -> fx.find("#sidebar", javafx.scene.layout.VBox.class).getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof ToggleButton && n.getStyleClass().contains("nav-button"))
                .map(n -> (ToggleButton) n).toList());
    }

    /** Opens the screen of a sidebar button, and every tab of its tab panes in turn; what is cut short there. */
    List<String> visit(ToggleButton nav, double[] size, String state) throws Exception {
        fx.robot.interact(nav::fire);
        settle();
        if (fx.exists("#history-ledger")) { // the seeded rows are the test ledger's, not the running devnet's
            @SuppressWarnings("unchecked")
            javafx.scene.control.ComboBox<String> ledger = fx.find("#history-ledger",
                    javafx.scene.control.ComboBox.class);
            fx.robot.interact(() -> {
                if (ledger.getItems().contains(LEDGER)) {
                    ledger.setValue(LEDGER);
                }
            });
            settle();
        }
        String where = nav.getText() + " (" + state + ") at " + (int) size[0] + "×" + (int) size[1];
        Set<String> problems = new LinkedHashSet<>(scan(where));
        List<TabPane> panes = fx(() -> nodes(fx.stage.getScene().getRoot()).stream()
                .filter(n -> n instanceof TabPane && shown(n)).map(n -> (TabPane) n).toList());
        for (TabPane pane : panes) {
            int selected = fx(() -> pane.getSelectionModel().getSelectedIndex());
            for (int i = 0; i < pane.getTabs().size(); i++) {
                int index = i;
                fx.robot.interact(() -> pane.getSelectionModel().select(index));
                settle();
                Tab tab = pane.getTabs().get(i);
                problems.addAll(scan(where + ", tab " + tab.getText()));
            }
            fx.robot.interact(() -> pane.getSelectionModel().select(selected));
        }
        return List.copyOf(problems);
    }

    /** The finished run's report card on the Distill screen. */
    List<String> runReport(double[] size) throws Exception {
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.DISTILL));
        String item = fx(() -> nodes(fx.stage.getScene().getRoot()).stream()
                .filter(n -> n.getId() != null && n.getId().startsWith("run-item-")).map(Node::getId)
                .sorted().findFirst().orElseThrow());
        fx.clickWhenVisible("#" + item);
        fx.await("the report card", () -> fx.exists("#run-report") && fx.exists("#report-verdict"));
        settle();
        return scan("Distill run report at " + (int) size[0] + "×" + (int) size[1]);
    }

    /** The Teachers screen with its job bar showing (a benchmark running). */
    List<String> teacherJob(double[] size) throws Exception {
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.TEACHERS));
        Node bar = fx.find("#job-bar", Node.class);
        fx.robot.interact(() -> {
            ((javafx.scene.control.Label) bar.lookup(".job-title")).setText("Benchmarking PP-OCRv4 text detector");
            fx.find("#job-detail", javafx.scene.control.Label.class).setText("Run 12 of 50 · p50 so far 35.2 ms");
            fx.find("#job-eta", javafx.scene.control.Label.class).setText("about 3 s left");
            bar.setVisible(true);
            bar.setManaged(true);
        });
        settle();
        try {
            return scan("Teachers (a job running) at " + (int) size[0] + "×" + (int) size[1]);
        } finally {
            fx.robot.interact(() -> {
                bar.setVisible(false);
                bar.setManaged(false);
            });
        }
    }

    /**
     * Waits until the window stops changing: FX events run, a CSS and layout pass, and the same texts in the same
     * places on three looks in a row (tables and charts fill in from background reads). Never fails: after 10 s the
     * scan goes on with what shows.
     */
    void settle() {
        String last = null;
        int same = 0;
        for (int i = 0; i < 100 && same < 3; i++) {
            WaitForAsyncUtils.waitForFxEvents();
            String now;
            try {
                now = fx(this::fingerprint);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (now.equals(last)) {
                same++;
            } else {
                same = 0;
                last = now;
            }
            WaitForAsyncUtils.sleep(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Texts and their widths, digits masked (the devnet's block number changes every second). */
    String fingerprint() {
        Parent root = fx.stage.getScene().getRoot();
        root.applyCss();
        root.layout();
        StringBuilder b = new StringBuilder();
        for (Node n : nodes(root)) {
            if (n instanceof Labeled l && shown(n)) {
                b.append(l.getText()).append('@').append(Math.round(l.getWidth())).append('\n');
            }
        }
        return b.toString().replaceAll("[0-9]", "0");
    }

    /**
     * Where to save a picture of each scanned view to look at, or null (the default: none). Set with
     * {@code -Ddistillery.clipshots=DIR}: a {@code Scene#snapshot} per screen, tab and size, as PNG.
     */
    static final String SHOTS = System.getProperty("distillery.clipshots");

    void picture(String where) throws Exception {
        if (SHOTS == null) {
            return;
        }
        javafx.scene.image.WritableImage img = fx(() -> fx.stage.getScene().snapshot(null));
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        javafx.scene.image.PixelReader px = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        String name = where.replaceAll("[^A-Za-z0-9×]+", "-").replace("×", "x") + ".png";
        Files.createDirectories(Path.of(SHOTS));
        javax.imageio.ImageIO.write(out, "png", Path.of(SHOTS, name).toFile());
    }

    List<String> scan(String where) throws Exception {
        picture(where);
        return fx(() -> {
            Parent root = fx.stage.getScene().getRoot();
            root.applyCss();
            root.layout();
            List<String> found = new ArrayList<>();
            for (Node n : nodes(root)) {
                if (!shown(n)) {
                    continue;
                }
                if (n instanceof Labeled l && pastTheRightEdge(l)) {
                    found.add(where + ": " + describe(n) + " \"" + l.getText() + "\" runs past the right edge of "
                            + "the screen (it scrolls sideways)");
                }
                if (n instanceof Labeled l) {
                    String shown = shownText(l);
                    String full = l.getText();
                    if (full != null && !full.isBlank() && shown != null && cut(l, full, shown)
                            && !wholeInTooltip(l, full)) {
                        found.add(where + ": " + describe(n) + " shows \"" + shown + "\" of \"" + full + "\"");
                    }
                } else if (n instanceof TextField f && f.getText() != null && f.getText().isEmpty()
                        && f.getPromptText() != null && !f.getPromptText().isBlank()) {
                    Text t = new Text(f.getPromptText());
                    t.setFont(f.getFont());
                    double room = f.getWidth() - f.snappedLeftInset() - f.snappedRightInset();
                    if (t.getLayoutBounds().getWidth() > room + 0.5
                            && !wholeInTooltip(f, f.getPromptText())) {
                        found.add(where + ": " + describe(n) + " has room for " + Math.round(room) + " px of its prompt \""
                                + f.getPromptText() + "\" (" + Math.round(t.getLayoutBounds().getWidth()) + " px)");
                    }
                }
            }
            return found;
        });
    }

    /**
     * Whether a text reaches past the right edge of the screen's scroll pane: the screen is wider than the window,
     * and the end of the text is out of sight until one scrolls sideways.
     */
    static boolean pastTheRightEdge(Labeled l) {
        for (Node p = l.getParent(); p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.ScrollPane sp && sp.getStyleClass().contains("screen-scroll")) {
                Bounds viewport = sp.getViewportBounds();
                Bounds b = sp.getContent().sceneToLocal(l.localToScene(l.getLayoutBounds()));
                // the content's own coordinates: the viewport shows [hvalue·(content-viewport), +viewport width]
                double contentWidth = sp.getContent().getLayoutBounds().getWidth();
                return b.getMaxX() > viewport.getWidth() + 1 && contentWidth > viewport.getWidth() + 1;
            }
        }
        return false;
    }

    /** The text the skin draws: its LabeledText child; null before the skin exists. */
    static String shownText(Labeled l) {
        for (Node c : l.getChildrenUnmodifiable()) {
            if (c instanceof Text t && c.getStyleClass().contains("text")) {
                return t.getText();
            }
        }
        return null;
    }

    static boolean cut(Labeled l, String full, String shown) {
        if (shown.equals(full)) {
            return false;
        }
        // a mnemonic's underscore is not drawn
        return !(l.isMnemonicParsing() && shown.equals(full.replaceFirst("_(?!_)", "").replace("__", "_")));
    }

    /** Whether hovering the node shows the whole text: a tooltip of its own or of a control around it. */
    static boolean wholeInTooltip(Node n, String full) {
        String text = full.replaceAll("\\s+", " ").strip();
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.Control c) {
                Tooltip tip = c.getTooltip();
                if (tip != null && tip.getText() != null && tip.getText().replaceAll("\\s+", " ").contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Shown: visible up to the scene, laid out with a size and not transparent. */
    static boolean shown(Node n) {
        if (n.getScene() == null) {
            return false;
        }
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible() || p.getOpacity() == 0) {
                return false;
            }
        }
        Bounds b = n.getLayoutBounds();
        return b.getWidth() > 0 && b.getHeight() > 0;
    }

    static String describe(Node n) {
        StringBuilder b = new StringBuilder(n.getClass().getSimpleName());
        if (n.getId() != null) {
            b.append('#').append(n.getId());
        }
        n.getStyleClass().forEach(c -> b.append('.').append(c));
        for (Node p = n.getParent(); p != null; p = p.getParent()) {
            if (p.getId() != null) {
                b.append(" in #").append(p.getId());
                break;
            }
        }
        if (n instanceof javafx.scene.control.Control c) {
            b.append(String.format(Locale.ROOT, " (%.0f px wide, wants %.0f)", c.getWidth(), c.prefWidth(-1)));
        }
        return b.toString();
    }

    static List<Node> nodes(Parent root) {
        List<Node> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    private static void collect(Node n, List<Node> into) {
        into.add(n);
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, into);
            }
        }
    }

    <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }
}
