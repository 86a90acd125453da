package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.devnet.Devnet;
import dev.distillery.network.devnet.SimulatedMiner;
import dev.distillery.network.score.Challenge;
import dev.distillery.store.NetworkStore;
import dev.distillery.store.RunRow;
import dev.distillery.ui.miner.MinerAccount;
import dev.distillery.ui.network.NetworkSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The miner's whole loop through the GUI against a real in-process devnet (ledger and two validators over gRPC on
 * loopback, sandboxed evaluations): create a wallet, register, submit a real distilled student, watch the timeline
 * reach "scored", see earnings arrive epoch by epoch, restart the app and find the history and charts still there.
 * The devnet runs fast epochs (250 ms blocks, 8 per epoch) and without simulated competitors so the test's miner is
 * the one paid.
 */
class MinerFlowTest {
    static final String PASSWORD = "correct horse battery";
    /** Where to save the README's screenshots of this flow, or null: see {@link ShellFixture#SHOTS}. */
    static final String SHOTS = ShellFixture.SHOTS;

    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeAll
    static void fastDevnet() {
        System.setProperty("distillery.devnet.blockMillis", "250");
        System.setProperty("distillery.devnet.tempo", "8");
        // the simulated competitors stay home (the test's miner is then the one paid), except for the pictures
        System.setProperty("distillery.devnet.simulated", Boolean.toString(SHOTS != null));
        System.setProperty("distillery.devnet.evalImages", "8");
    }

    @AfterAll
    static void normalDevnet() {
        for (String k : List.of("blockMillis", "tempo", "simulated", "evalImages")) {
            System.clearProperty("distillery.devnet." + k);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    static void awaitLong(String what, int seconds, Supplier<Boolean> condition) {
        ShellFixture.await(what, seconds, condition);
    }

    void shot(Screen screen, String name) throws Exception {
        fx.shot(screen, name);
    }

    void snap(String name) throws Exception {
        fx.snap(name);
    }

    String text(String query) {
        return fx.robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }

    boolean shows(String query) {
        return fx.robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false);
    }

    /** A student the test did not train here: the devnet's well-distilled one, as a finished run's export. */
    Path seedStudentRun() throws Exception {
        Path student = dir.resolve("students").resolve("text-map.onnx");
        Files.createDirectories(student.getParent());
        String given = System.getProperty("distillery.flow.student");
        if (given != null) { // take-miner.sh distils one: the shipped ones are the simulated miners' own (copies)
            Files.copy(Path.of(given), student);
        } else {
            try (InputStream in = SimulatedMiner.class.getResourceAsStream("sim-strong.onnx")) {
                assertThat(in).as("the shipped devnet student").isNotNull();
                Files.copy(in, student);
            }
        }
        var runs = fx.session.database().runs();
        long id = runs.create("text map for the devnet", Challenge.DEVNET_TEACHER_SHA256, "PP-OCRv4 det", null,
                given != null ? "dense-fast" : "dense-tiny", "{}", dir.resolve("runs/{id}").toString());
        runs.report(id, student.toString(), "{}");
        runs.finish(id, RunRow.COMPLETED, "Exported", null);
        return student;
    }

    /**
     * The welcome tour's path, clicked as a new user clicks it: the built-in text detector from the Teachers
     * catalog, then a Distill run on the sample images with the student the wizard picks for this CPU (timed against
     * the devnet's real 10 ms budget) and a short time budget. Returns the exported student.
     */
    Path distillOnTheToursPath(ShellContext ctx) {
        fx.robot.interact(() -> ctx.navigator().go(Screen.TEACHERS));
        fx.clickWhenVisible("#teachers-catalog");
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<dev.distillery.teacher.library.CatalogEntry> catalog = fx.find("#catalog-table",
                javafx.scene.control.TableView.class);
        fx.robot.interact(() -> catalog.getItems().stream().filter(e -> e.id().equals("ppocr-v4-det")).findFirst()
                .ifPresent(e -> catalog.getSelectionModel().select(e)));
        fx.clickWhenVisible("#catalog-get");
        awaitLong("the built-in text detector in the library", 60, () -> ctx.teachers().list().stream()
                .anyMatch(t -> t.sha256().equalsIgnoreCase(Challenge.DEVNET_TEACHER_SHA256)));

        fx.robot.interact(() -> ctx.navigator().go(Screen.DISTILL));
        fx.clickWhenVisible("#distill-new-run");
        fx.await("teacher chosen", () -> fx.exists("#wizard-teacher")
                && fx.find("#wizard-teacher", javafx.scene.control.ComboBox.class).getValue() != null);
        next(2);
        RadioButton samples = fx.find("#wizard-data-samples", RadioButton.class);
        fx.await("samples offered", () -> !samples.isDisabled());
        fx.clickWhenVisible("#wizard-data-samples");
        fx.clickWhenVisible("#wizard-build");
        awaitLong("the sample dataset built", 60, () -> text("#wizard-build-result").startsWith("Built"));
        next(3);
        next(4);
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<dev.distillery.distill.StudentSpec> presets = fx.find("#wizard-presets",
                javafx.scene.control.ListView.class);
        // the step times the presets on this CPU and picks the biggest that fits the budget with room to spare
        awaitLong("the presets timed", 120, () -> presets.getItems().stream()
                .allMatch(p -> text("#preset-fit-" + p.name()).contains("budget")));
        dev.distillery.distill.StudentSpec picked = presets.getSelectionModel().getSelectedItem();
        assertThat(picked).as("a preset picked").isNotNull();
        assertThat(text("#preset-fit-" + picked.name())).as("the pick fits the devnet's budget here")
                .contains("within the 10 ms budget");
        next(5);
        @SuppressWarnings("unchecked")
        javafx.scene.control.Spinner<Double> minutes = fx.find("#wizard-minutes", javafx.scene.control.Spinner.class);
        // 18 s: enough for a score above 0 (IoU ~0.1 on validator-1's fresh scenes); the tour suggests longer
        fx.robot.interact(() -> minutes.getValueFactory().setValue(0.3));
        fx.clickWhenVisible("#wizard-finish");
        awaitLong("the run completed", 240, () -> ctx.distill().runs().list().stream()
                .anyMatch(r -> RunRow.COMPLETED.equals(r.status()) && r.studentPath() != null));
        RunRow run = ctx.distill().runs().list().get(0);
        assertThat(run.preset()).isEqualTo(picked.name());
        return Path.of(run.studentPath());
    }

    void next(int toStep) {
        fx.await("Next enabled", () -> fx.exists("#wizard-next") && !fx.find("#wizard-next", Button.class).isDisabled());
        fx.clickWhenVisible("#wizard-next");
        fx.await("step " + toStep, () -> text("#wizard-step").startsWith("Step " + toStep + " of 5"));
    }

    @Test
    void toursPathToAScoreThenEarningsAndRestart() throws Exception {
        Path data = dir.resolve("data");
        fx = ShellFixture.start(data);
        ShellContext ctx = fx.app.window().context();
        // a README picture run brings its own student (take-miner.sh); the test trains one as the tour says
        Path student = System.getProperty("distillery.flow.student") != null ? seedStudentRun()
                : distillOnTheToursPath(ctx);
        fx.robot.interact(() -> ctx.navigator().go(Screen.NETWORK));
        fx.clickWhenVisible("#network-start-devnet");
        awaitLong("the devnet to run", 120, () -> ctx.network().snapshotProperty().get().state()
                == NetworkSnapshot.State.RUNNING);
        Devnet net = ctx.network().devnet();
        // the devnet's own challenge, unrelaxed: the 10 ms p95 gate, timed by the validators on this machine
        awaitLong("the challenge card", 30, () -> ctx.network().snapshotProperty().get().challenge() != null);
        assertThat(ctx.network().snapshotProperty().get().challenge().latencyBudgetMs())
                .isEqualTo(Challenge.devnetDefault().latencyBudgetMs());

        // 1. a wallet: created, encrypted with the password, unlocked for the session
        fx.clickWhenVisible("#wallet-create");
        fx.clickWhenVisible("#wallet-create-password");
        fx.robot.write(PASSWORD);
        fx.robot.clickOn("#wallet-create-confirm").write(PASSWORD);
        fx.robot.clickOn("#wallet-create-ok");
        awaitLong("the wallet to be created and unlocked", 60, () -> text("#wallet-state").startsWith("Unlocked"));
        String hotkey = text("#wallet-address");
        assertThat(hotkey).startsWith("5");
        assertThat(Files.readString(data.resolve("wallets").resolve("miner.wallet"))).doesNotContain(PASSWORD);

        // 2. registered on the devnet
        awaitLong("the account card", 30, () -> shows("#network-register")
                && !fx.find("#network-register", Button.class).isDisabled());
        fx.robot.clickOn("#network-register");
        awaitLong("a UID", 60, () -> text("#network-account-line").startsWith("Registered as uid"));
        MinerAccount.Identity me = ctx.miner().identity();
        assertThat(me).isNotNull();
        assertThat(me.hotkey()).isEqualTo(hotkey);

        // 3. submitted: preview with the validators' scorer, then commit + upload, then the timeline
        fx.robot.clickOn("#network-submit");
        // the preview times the student the validators' way, so it waits for their evaluation slot on this machine
        net.machine().acquire();
        try {
            fx.clickWhenVisible("#student-next");
            // nothing else is being evaluated now (no submission yet, no simulated miners): the one waiting is it
            awaitLong("the preview waiting for the evaluation slot", 30, () -> net.machine().hasQueuedThreads());
            // and says so, rather than "Scoring…" while nothing runs
            awaitLong("the preview saying it waits", 10,
                    () -> text("#submit-preview").startsWith("Waiting for the devnet's validators"));
            assertThat(fx.find("#submit-go", Button.class).isDisabled()).isTrue();
        } finally {
            net.machine().release();
        }
        awaitLong("the local preview", 180, () -> !fx.find("#submit-go", Button.class).isDisabled());
        assertThat(text("#submit-preview")).startsWith("Preview score");
        fx.robot.clickOn("#submit-go");
        awaitLong("the timeline to reach scored", SHOTS == null ? 240 : 600, () -> fx.robot.lookup("#timeline-validator-1-result")
                .tryQuery().map(n -> ((Label) n).getText().startsWith("Scored")).orElse(false));
        NetworkStore store = fx.session.database().network();
        List<NetworkStore.Submission> mine = store.submissions(me.ledgerId(), hotkey);
        assertThat(mine).hasSize(2).allSatisfy(s -> {
            assertThat(s.studentPath()).isEqualTo(student.toString());
        });
        NetworkStore.Submission first = mine.stream().filter(s -> s.validator().equals("validator-1")).findFirst()
                .orElseThrow();
        assertThat(first.state()).isEqualTo("SCORED");
        System.out.printf("The tour's student on validator-1: score %s, quality %s, p95 %s ms, %s bytes%n",
                first.score(), first.quality(), first.p95Ms(), first.sizeBytes());
        assertThat(first.score()).as("the tour's student earns a score: " + first.reason()).isPositive();
        List<String> steps = store.events(first.id()).stream().map(NetworkStore.SubmissionEvent::state).toList();
        assertThat(steps).startsWith("COMMITTED", "UPLOADED").endsWith("SCORED");
        awaitLong("the new-best notification", 30, () -> ctx.network().notices().recent().stream()
                .anyMatch(n -> n.kind() == dev.distillery.ui.network.Notices.Kind.NEW_BEST));
        Button close = fx.find("#submit-close", Button.class);
        // the filled-in dialog fits its window: the buttons are inside it, the results are not cut to "…"
        javafx.geometry.Bounds b = close.localToScene(close.getBoundsInLocal());
        assertThat(b.getMaxY()).as("the Close button inside the dialog").isLessThanOrEqualTo(close.getScene().getHeight());
        Label result = fx.find("#timeline-validator-1-result", Label.class);
        // the line's text changes as the score arrives: wait for the layout pass that follows it (a full CI run
        // once read the height before that pass, as 0)
        awaitLong("the result line laid out", 10, () -> result.getHeight() > 0);
        assertThat(result.getHeight()).as("the whole result line shows").isGreaterThanOrEqualTo(
                result.prefHeight(result.getWidth()) - 0.5);
        if (SHOTS != null) {
            awaitLong("validator-2 scored too", 600, () -> fx.robot.lookup("#timeline-validator-2-result").tryQuery()
                    .map(n -> !((Label) n).getText().startsWith("Uploaded") && !((Label) n).getText().startsWith("Being")
                            && !((Label) n).getText().startsWith("Queued")).orElse(false));
            snap("submit");
        }
        fx.robot.interact(close::fire);
        shot(Screen.NETWORK, "network");

        // 4. earnings arrive after the next epochs: the only miner with weight takes the miners' share
        awaitLong("earnings stored", SHOTS == null ? 120 : 600, () -> store.totals(me.ledgerId(), hotkey,
                LocalDate.now(ZoneOffset.UTC)).allTime() > 0);
        long epochsBefore = store.countEpochs(me.ledgerId());
        assertThat(epochsBefore).isPositive();
        afterEarnings(ctx, me);
        shot(Screen.DASHBOARD, "dashboard");
        statusNeverTrailsTheLastEpochTile();

        // a validator going away is announced, and the app keeps running
        net.validators().get(1).server().close();
        awaitLong("the unreachable-validator notification", 60, () -> ctx.network().notices().recent().stream()
                .anyMatch(n -> n.kind() == dev.distillery.ui.network.Notices.Kind.VALIDATOR_UNREACHABLE
                        && n.text().contains("validator-2")));

        // the secret never reaches the logs or the database in clear
        byte[] seed = ctx.miner().keyProperty().get().seed();
        fx.close();
        fx = null;
        assertNoSecret(data, seed);

        // 5. restart: no devnet this time; the stored history and charts are still there
        fx = ShellFixture.start(data);
        ShellContext again = fx.app.window().context();
        awaitLong("the remembered wallet and identity", 30, () -> again.miner().identity() != null);
        assertThat(again.miner().identity().hotkey()).isEqualTo(hotkey);
        assertThat(again.miner().keyProperty().get()).as("the key is never kept unlocked across runs").isNull();
        assertThat(fx.session.database().network().submissions(me.ledgerId(), hotkey)).hasSize(2);
        afterRestart(again, me);
    }

    /**
     * For three epochs (2 s each here), the status bar's epoch is never behind the Dashboard's "Last epoch" tile, read
     * together on the FX thread: the status line counts an epoch as soon as the stream stored it, not at the next poll.
     */
    void statusNeverTrailsTheLastEpochTile() throws Exception {
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.DASHBOARD));
        var epoch = java.util.regex.Pattern.compile("epoch ([\\d,]+)", java.util.regex.Pattern.CASE_INSENSITIVE);
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(6);
        int compared = 0;
        while (System.nanoTime() < end) {
            String[] both = new String[2];
            fx.robot.interact(() -> {
                both[0] = fx.find("#status-network", Label.class).getText();
                both[1] = fx.find("#tile-epoch-value", Label.class).getText();
            });
            var s = epoch.matcher(both[0]);
            var t = epoch.matcher(both[1]);
            if (s.find() && t.find()) {
                compared++;
                assertThat(Long.parseLong(s.group(1).replace(",", ""))).as(both[0] + " vs the tile's " + both[1])
                        .isGreaterThanOrEqualTo(Long.parseLong(t.group(1).replace(",", "")));
            }
            Thread.sleep(25);
        }
        assertThat(compared).as("status and tile both showed an epoch").isPositive();
    }

    /** Neither the password nor the seed (raw, hex or base64) is in any log or database file under {@code data}. */
    static void assertNoSecret(Path data, byte[] seed) throws Exception {
        List<byte[]> secrets = List.of(seed, PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.HexFormat.of().formatHex(seed).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                java.util.Base64.getEncoder().encode(seed));
        List<Path> files;
        try (var walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".db") || n.contains(".log") || n.endsWith(".trace.db");
            }).toList();
        }
        assertThat(files).as("logs and the database exist to be checked")
                .anyMatch(f -> f.getFileName().toString().equals("distillery.mv.db"))
                .anyMatch(f -> f.getFileName().toString().contains(".log"));
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (byte[] secret : secrets) {
                assertThat(indexOf(bytes, secret)).as("a secret in " + f).isEqualTo(-1);
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Points on one of the Earnings screen's charts. */
    int points(String id) {
        return fx.robot.lookup(id).tryQuery().map(n -> ((javafx.scene.chart.XYChart<?, ?>) n).getData().stream()
                .mapToInt(x -> x.getData().size()).sum()).orElse(0);
    }

    /** The Earnings screen once epochs paid: the balance from the ledger and points on the charts. */
    void afterEarnings(ShellContext ctx, MinerAccount.Identity me) throws Exception {
        fx.robot.interact(() -> ctx.navigator().go(Screen.EARNINGS));
        awaitLong("points on the earnings charts", 60, () -> points("#earnings-chart-epoch") > 0
                && points("#earnings-chart-cumulative") > 0 && points("#earnings-chart-score") > 0);
        awaitLong("the balance tile", 30, () -> text("#earnings-balance-value").endsWith("τ"));
        assertThat(text("#earnings-all-value")).endsWith("τ").isNotEqualTo("0 τ");
        if (SHOTS != null) {
            Thread.sleep(20_000); // a few more epochs for the picture
        }
        shot(Screen.EARNINGS, "earnings");
    }

    /** What History and Earnings show after a restart. */
    void afterRestart(ShellContext ctx, MinerAccount.Identity me) throws Exception {
        // Earnings: the charts come back from the database alone (no network this time)
        fx.robot.interact(() -> ctx.navigator().go(Screen.EARNINGS));
        awaitLong("the stored earnings charted again", 60, () -> points("#earnings-chart-epoch") > 0
                && points("#earnings-chart-cumulative") > 0);

        // History: the user's earnings, and one followed back to the submission and the training run
        fx.robot.interact(() -> ctx.navigator().go(Screen.HISTORY));
        fx.await("the History screen", () -> fx.exists("#history-tabs"));
        javafx.scene.control.TabPane tabs = fx.find("#history-tabs", javafx.scene.control.TabPane.class);
        fx.robot.interact(() -> tabs.getSelectionModel().select(4));
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<dev.distillery.store.HistoryStore.EarningItem> earnings =
                fx.find("#history-earnings-table", javafx.scene.control.TableView.class);
        awaitLong("the stored earnings in History", 30, () -> !earnings.getItems().isEmpty());
        assertThat(earnings.getItems()).allMatch(e -> e.hotkey().equals(me.hotkey()));
        var paid = earnings.getItems().stream().filter(e -> e.emission() > 0).findFirst().orElseThrow();
        fx.robot.interact(() -> earnings.getSelectionModel().select(paid));
        fx.clickWhenVisible("#history-earnings-open");
        awaitLong("the trail back to the training run", 30, () -> fx.exists("#trail-run-name"));
        assertThat(fx.find("#trail-run-name", Label.class).getText())
                .isEqualTo(fx.session.database().runs().list().get(0).name());
        assertThat(fx.exists("#trail-submission")).isTrue();
        shot(Screen.HISTORY, "history");
    }
}
