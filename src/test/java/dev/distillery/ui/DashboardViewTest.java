package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.store.NetworkStore;
import dev.distillery.ui.miner.MinerAccount;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Dashboard on the real app (no devnet): empty, every tile says what to do next and the getting-started
 * steps show; with a seeded store and a miner account, the tiles show its figures, follow new submissions, and
 * each opens its screen by mouse and by keyboard.
 */
class DashboardViewTest {
    static final String LEDGER = "test-ledger";
    static final String ME = "5MyHotkeyForTheDashboardTest";
    static final String OTHER = "5SomeoneElsesHotkey";
    static final long TAU = 1_000_000_000L;

    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    String text(String id) {
        return fx.find("#" + id, Label.class).getText();
    }

    void awaitText(String id, String expected) {
        fx.await(id + " = " + expected, () -> fx.exists("#" + id) && expected.equals(text(id)));
    }

    MinerAccount miner() {
        return fx.app.window().context().miner();
    }

    @Test
    void withNothingEveryTileSaysWhatToDoAndTheStepsShow() {
        assertThat(fx.current()).isEqualTo(Screen.DASHBOARD);
        awaitText("tile-jobs-value", "None running"); // the store has been read
        assertThat(text("tile-connection-value")).isEqualTo("Not connected");
        assertThat(text("tile-connection-caption")).contains("Network screen");
        assertThat(text("tile-balance-value")).isEqualTo("No wallet");
        assertThat(text("tile-balance-caption")).isEqualTo("Create a wallet on the Network screen to receive earnings");
        assertThat(text("tile-score-value")).isEqualTo("No score yet");
        assertThat(text("tile-rank-value")).isEqualTo("No rank yet");
        assertThat(text("tile-jobs-caption")).contains("Distill screen");
        assertThat(text("tile-epoch-value")).isEqualTo("No epoch yet");
        assertThat(text("tile-epoch-caption")).contains("Create a wallet");

        assertThat(text("empty-title")).isEqualTo("Nothing mined yet");
        assertThat(fx.find("#dashboard-start", Node.class).isVisible()).isTrue();
        assertThat(fx.robot.lookup(".dash-step").queryAll()).hasSize(3);
        assertThat(fx.robot.lookup(".dash-step-done").queryAll()).isEmpty();

        // a wallet but no network yet: the balance says to connect
        fx.robot.interact(() -> fx.app.window().context().networkStatusProperty().set("Local devnet unreachable"));
        assertThat(text("tile-connection-value")).isEqualTo("Unreachable");
        assertThat(fx.find("#tile-connection-value", Label.class).getStyleClass()).contains("dash-bad");
    }

    @Test
    void seededFiguresFillTheTilesAndFollowNewScores() {
        var ctx = fx.app.window().context();
        var db = fx.session.database();
        Instant now = Instant.now();
        NetworkStore net = db.network();
        // earnings: 0.25 τ and 1 τ today, 2 τ three days ago (this week), 5 τ ten days ago (neither)
        epoch(net, 10, now.minus(Duration.ofDays(10)), 5 * TAU);
        epoch(net, 30, now.minus(Duration.ofDays(3)), 2 * TAU);
        epoch(net, 40, now.minusSeconds(5), TAU);
        epoch(net, 41, now, TAU / 4);
        NetworkStore.Submission scored = submission("s-1", "SCORED", 0.8123, null, 39L);
        net.putSubmission(scored, now.minusSeconds(600));
        net.putSubmission(submission("s-2", "REJECTED", 0.0,
                "copy of uid 4: its outputs agree 99.8% with that miner's\nsecond line of detail", 41L),
                now.minusSeconds(60));
        long run = db.runs().create("cats-student", "a".repeat(64), "cats teacher", null, "fast", "{}",
                dir.resolve("runs/{id}").toString());
        db.runs().phase(run, "Training: epoch 3 of 20");

        fx.robot.interact(() -> {
            ctx.networkStatusProperty().set("Local devnet · block 1,234 · epoch 41");
            miner().tokenPriceProperty().set(2.0);
            miner().currencyProperty().set("EUR");
            miner().setIdentity(new MinerAccount.Identity(LEDGER, "mine", ME));
            miner().setStanding(new MinerAccount.Standing(true, 1234, 41, 3, 2, 6, 0.25));
            miner().setBalance(12_345_600_000L);
        });

        awaitText("tile-epoch-detail", "You earned +0.2500 τ"); // the store has been read for this identity
        assertThat(text("tile-epoch-value")).isEqualTo("Epoch 41");
        assertThat(text("tile-connection-value")).isEqualTo("Local devnet");
        assertThat(text("tile-connection-caption")).isEqualTo("Connected · block 1,234 · epoch 41");
        assertThat(text("tile-balance-value")).isEqualTo("12.3456 τ");
        assertThat(text("tile-balance-caption")).isEqualTo("+1.2500 τ today · +3.2500 τ this week");
        assertThat(text("tile-balance-detail")).isEqualTo("≈ 24.69 EUR");
        assertThat(text("tile-score-value")).isEqualTo("0");
        assertThat(text("tile-score-detail")).startsWith("Epoch 41 · ");
        assertThat(text("tile-score-caption")).isEqualTo("Rejected: copy of uid 4: its outputs agree 99.8% with "
                + "that miner's");
        assertThat(text("tile-rank-value")).isEqualTo("#2 of 6 UIDs");
        assertThat(text("tile-rank-caption")).isEqualTo("by incentive · UID 3");
        assertThat(text("tile-jobs-value")).isEqualTo("cats-student");
        assertThat(text("tile-jobs-caption")).isEqualTo("Training: epoch 3 of 20");
        assertThat(text("tile-epoch-caption")).startsWith("just now · block 4,100");

        // registered but without incentive: no rank to boast about
        fx.robot.interact(() -> miner().setStanding(new MinerAccount.Standing(true, 1240, 41, 3, 1, 6, 0)));
        assertThat(text("tile-rank-value")).isEqualTo("No incentive yet");
        assertThat(text("tile-rank-caption")).startsWith("UID 3");

        // one step of three is done (a submission); no teacher yet, so the strip stays
        assertThat(text("empty-title")).isEqualTo("Getting started");
        assertThat(text("dashboard-start-lead")).isEqualTo("1 of 3 steps done. Next: bring a teacher.");
        assertThat(fx.robot.lookup("#dashboard-step-3").queryAll().iterator().next().getStyleClass())
                .contains("dash-step-done");

        // the scored submission is judged again later: it is now the latest score
        net.putSubmission(scored, Instant.now());
        fx.robot.interact(() -> miner().submissionsChanged());
        awaitText("tile-score-value", "0.8123");
        assertThat(text("tile-score-caption")).isEqualTo("Scored in epoch 39 · just now");
        // a positive score beside no incentive: the rank tile says so, never "a scored student earns you a place"
        assertThat(text("tile-rank-value")).isEqualTo("Not ranked yet");
        assertThat(text("tile-rank-caption")).isEqualTo("UID 3 · scored 0.8123 in epoch 39, but epoch 41 paid it "
                + "no incentive");
        // the same score while its epoch is not paid yet: weighed as epoch 40 starts, paid as it closes
        fx.robot.interact(() -> miner().setStanding(new MinerAccount.Standing(true, 1190, 39, 3, 1, 6, 0)));
        assertThat(text("tile-rank-value")).isEqualTo("Not ranked yet");
        assertThat(text("tile-rank-caption")).isEqualTo("UID 3 · scored 0.8123: incentive paid when epoch 40 closes");

        // the run ends: nothing runs any more (the periodic read or the next showing notices)
        db.runs().finish(run, "COMPLETED", "Done", null);
        fx.robot.interact(() -> fx.app.window().view(Screen.DASHBOARD).onShown());
        awaitText("tile-jobs-value", "None running");

        // an epoch the store holds before the follower announced it waits for the announcement (which also moves
        // the status bar): the tile never runs ahead of the status bar's epoch
        fx.robot.interact(() -> miner().epochStored(LEDGER, 41));
        epoch(net, 42, Instant.now(), TAU);
        long next = db.runs().create("dogs-student", "b".repeat(64), "dogs teacher", null, "fast", "{}",
                dir.resolve("runs/{id}").toString());
        db.runs().phase(next, "Training: epoch 1 of 20");
        fx.robot.interact(() -> fx.app.window().view(Screen.DASHBOARD).onShown());
        awaitText("tile-jobs-value", "dogs-student"); // read after epoch 42 was stored
        assertThat(text("tile-epoch-value")).isEqualTo("Epoch 41");
        fx.robot.interact(() -> miner().epochStored(LEDGER, 42));
        awaitText("tile-epoch-value", "Epoch 42");
        db.runs().finish(next, "COMPLETED", "Done", null);

        // every tile opens its screen, by mouse and by keyboard
        Map<String, Screen> targets = Map.of("connection", Screen.NETWORK, "balance", Screen.EARNINGS,
                "score", Screen.HISTORY, "rank", Screen.NETWORK, "jobs", Screen.DISTILL, "epoch", Screen.EARNINGS);
        for (String tile : List.of("connection", "balance", "score", "rank", "jobs", "epoch")) {
            fx.robot.interact(() -> ctx.navigator().go(Screen.DASHBOARD));
            fx.clickWhenVisible("#tile-" + tile);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).as("click on " + tile).isEqualTo(targets.get(tile));

            fx.robot.interact(() -> ctx.navigator().go(Screen.DASHBOARD));
            Node node = fx.find("#tile-" + tile, Node.class);
            assertThat(node.isFocusTraversable()).isTrue();
            fx.robot.interact(node::requestFocus);
            fx.robot.type(tile.length() % 2 == 0 ? KeyCode.ENTER : KeyCode.SPACE);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx.current()).as("keyboard on " + tile).isEqualTo(targets.get(tile));
        }
    }

    /** Stores an epoch where the user (uid 3) earned {@code mine} and someone else earned more. */
    static void epoch(NetworkStore net, long epoch, Instant at, long mine) {
        net.putEpoch(new NetworkStore.Epoch(LEDGER, epoch, epoch * 100, 10 * TAU, TAU, at, List.of(
                new NetworkStore.Share(3, ME, 0.25, 0, mine),
                new NetworkStore.Share(4, OTHER, 0.5, 0, 3 * TAU))));
    }

    static NetworkStore.Submission submission(String id, String state, double score, String reason, Long epoch) {
        return new NetworkStore.Submission(id, LEDGER, "validator-1", ME, "b".repeat(64), null, state, score, null,
                null, null, reason, epoch, null, null);
    }
}
