package dev.distillery.ui;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.devnet.Devnet;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.score.Challenge;
import dev.distillery.ui.network.NetworkSnapshot;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Network screen on the real embedded devnet: not running, it says what to do; Start brings up the ledger,
 * two validators and the simulated miners, whose rows carry the simulated mark; the status bar follows the chain;
 * a challenge change the subnet owner announces shows up before it takes effect; closing the app stops the devnet.
 */
class NetworkViewTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data")); // UI tests run with the devnet's autostart off (pom.xml)
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    void awaitLong(String what, Supplier<Boolean> condition) {
        ShellFixture.await(what, 120, condition);
    }

    /** The stake column as the table shows it now, top to bottom. */
    static java.util.List<Double> stakes(TableView<NetworkSnapshot.Row> table) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> table.getItems().stream().map(NetworkSnapshot.Row::stake).toList()).get();
    }

    /**
     * A hobbyist's own challenge: in Connect, object detection with their detector teacher on their frames; a field
     * left out is named; the devnet then runs that challenge in a ledger folder of its own, without the text-map
     * competitors, and the challenge card says what is asked.
     */
    @Test
    void aDetectionChallengeChosenInConnectRunsOnTheDevnet() throws Exception {
        var ctx = fx.app.window().context();
        var det = ctx.teachers().importFile(dev.distillery.testing.TinyModels.detector(dir.resolve("det.onnx")),
                null, null).teacher();
        Path pool = dir.resolve("frames");
        dev.distillery.distill.data.SyntheticData.write(dev.distillery.distill.data.SyntheticData.Kind.SCENES, 4, 1,
                256, pool);
        fx.robot.interact(() -> ctx.navigator().go(Screen.NETWORK));
        fx.clickWhenVisible("#network-connect-remote");
        fx.clickWhenVisible("#connect-devnet");
        fx.clickWhenVisible("#devnet-challenge-detection");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<dev.distillery.teacher.library.Teacher> teacher = fx.find(
                "#devnet-challenge-teacher", javafx.scene.control.ComboBox.class);
        assertThat(teacher.getItems()).extracting(dev.distillery.teacher.library.Teacher::id).containsExactly(det.id());
        javafx.scene.control.TextField classes = fx.find("#devnet-challenge-classes",
                javafx.scene.control.TextField.class);
        javafx.scene.control.ComboBox<?> input = fx.find("#devnet-challenge-input", javafx.scene.control.ComboBox.class);
        fx.robot.interact(() -> {
            teacher.setValue(teacher.getItems().get(0));
            classes.setText("person=0; ball=2");
            ((javafx.scene.control.ComboBox<Integer>) (javafx.scene.control.ComboBox<?>) input).setValue(256);
        });
        fx.clickWhenVisible("#connect-ok");
        fx.await("the missing frames folder named", () -> fx.find("#connect-error", Label.class).getText()
                .contains("folder of photos or clips"));
        javafx.scene.control.TextField frames = fx.find("#devnet-challenge-pool", javafx.scene.control.TextField.class);
        fx.robot.interact(() -> classes.setText("person=0; unicorn=99"));
        fx.robot.interact(() -> frames.setText(pool.toString()));
        fx.clickWhenVisible("#connect-ok");
        fx.await("the bad class named", () -> fx.find("#connect-error", Label.class).getText().contains("99"));
        fx.robot.interact(() -> classes.setText("person=0; ball=2"));
        fx.clickWhenVisible("#connect-ok");

        var network = ctx.network();
        awaitLong("the devnet to run", () -> network.snapshotProperty().get().state()
                == NetworkSnapshot.State.RUNNING && network.snapshotProperty().get().challenge() != null);
        Challenge chosen = network.devnetChallenge();
        assertThat(chosen.task()).isEqualTo(StudentTask.DETECTION);
        assertThat(chosen.classes()).containsExactly("person=0", "ball=2");
        assertThat(chosen.data().folder()).isEqualTo(pool.toAbsolutePath().toString());
        Devnet net = network.devnet();
        assertThat(net.base()).isEqualTo(dir.resolve("data").resolve("devnet-" + chosen.id()));
        var card = network.snapshotProperty().get().challenge();
        assertThat(card.id()).isEqualTo(chosen.id());
        assertThat(card.teacher()).isEqualTo(det.name());
        assertThat(card.task()).startsWith("detection of person=0, ball=2");
        assertThat(card.groups()).containsExactly("person=0", "ball=2");
        assertThat(card.inputWidth()).isEqualTo(256);
        assertThat(card.teacherInLibrary()).isTrue();
        fx.await("no download offered for a teacher already there", () -> fx.exists("#network-download-teacher")
                && fx.find("#network-download-teacher", javafx.scene.control.Button.class).isDisabled()
                && fx.find("#network-download-teacher", javafx.scene.control.Button.class).getText()
                .equals("Teacher in your library"));
        try (LedgerClient c = LedgerClient.plaintext(net.host(), net.ledgerPort(), null)) {
            assertThat(c.challenge(0).challenge().id()).isEqualTo(chosen.id());
        }
        assertThat(network.snapshotProperty().get().rows()).extracting(NetworkSnapshot.Row::simulated)
                .containsOnly(false);
    }

    @Test
    void startsTheDevnetShowsSimulatedMinersAndAnnouncedChanges() throws Exception {
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.NETWORK));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.exists("#network-start-devnet")).as("a stopped network says how to start").isTrue();

        fx.clickWhenVisible("#network-start-devnet");
        var network = fx.app.window().context().network();
        awaitLong("the devnet to run", () -> network.snapshotProperty().get().state()
                == NetworkSnapshot.State.RUNNING);
        Devnet net = network.devnet();
        assertThat(net).isNotNull();
        assertThat(net.base()).isEqualTo(dir.resolve("data").resolve("devnet"));

        @SuppressWarnings("unchecked")
        TableView<NetworkSnapshot.Row> table = fx.find("#network-metagraph", TableView.class);
        awaitLong("the simulated miners in the metagraph", () -> table.getItems().stream()
                .filter(NetworkSnapshot.Row::simulated).count() == 4 && table.getItems().size() == 6);
        assertThat(table.getItems().stream().filter(r -> !r.simulated()).map(NetworkSnapshot.Row::label))
                .containsExactlyInAnyOrder("validator-1", "validator-2");
        awaitLong("labels for the simulated miners", () -> table.getItems().stream().filter(NetworkSnapshot.Row::simulated)
                .allMatch(r -> r.label() != null && r.label().startsWith("sim-")));
        awaitLong("the simulated chips drawn in the table", () -> !fx.robot.lookup(".chip-simulated").queryAll()
                .isEmpty());
        assertThat(fx.find("#status-network", Label.class).getText()).startsWith("Network: Local devnet · block");

        // a click on a header sorts by it (the user's row would stay pinned first; no wallet here), a second click
        // reverses
        var stake = table.getColumns().stream().filter(c -> c.getText().equals("Stake τ")).findFirst().orElseThrow();
        javafx.scene.Node header = fx.robot.lookup(".column-header").match((javafx.scene.Node n) ->
                n instanceof javafx.scene.control.skin.TableColumnHeader h && h.getTableColumn() == stake).query();
        fx.robot.clickOn(header);
        fx.await("sorted by stake", () -> table.getSortOrder().equals(java.util.List.of(stake)));
        assertThat(stakes(table)).isSorted();
        fx.robot.clickOn(header);
        fx.await("descending", () -> stake.getSortType() == javafx.scene.control.TableColumn.SortType.DESCENDING
                && table.getSortOrder().equals(java.util.List.of(stake)));
        assertThat(stakes(table)).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(stakes(table).get(0)).isGreaterThan(stakes(table).get(stakes(table).size() - 1));

        // the subnet owner tightens the latency budget: miners see it announced before it applies
        try (LedgerClient owner = LedgerClient.plaintext(net.host(), net.ledgerPort(), net.owner())) {
            var change = owner.changeChallenge(Challenge.Weights.defaults(), 8.0, 1_500_000, 1.0, 100_000,
                    "faster please");
            awaitLong("the announcement", () -> fx.exists("#network-pending-change"));
            String text = fx.find("#network-pending-change", Label.class).getText();
            assertThat(text).contains("from epoch " + change.getEffectiveEpoch()).contains("latency budget 8.0 ms")
                    .contains("faster please");
        }

        // "Distill for this challenge" opens the Distill wizard with the challenge's teacher and limits
        fx.clickWhenVisible("#network-distill-challenge");
        awaitLong("the wizard, filled in for the challenge", () -> fx.exists("#wizard-challenge"));
        assertThat(fx.current()).isEqualTo(Screen.DISTILL);
        assertThat(fx.find("#wizard-challenge", Label.class).getText()).contains("devnet-text-det")
                .contains("10.0 ms");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<dev.distillery.teacher.library.Teacher> teacher =
                fx.find("#wizard-teacher", javafx.scene.control.ComboBox.class);
        awaitLong("the challenge's teacher chosen", () -> teacher.getValue() != null
                && teacher.getValue().sha256().equalsIgnoreCase(Challenge.DEVNET_TEACHER_SHA256));
        fx.robot.interact(() -> ((javafx.scene.control.Button) fx.find("#wizard-cancel",
                javafx.scene.control.Button.class)).fire());

        int port = net.ledgerPort();
        fx.close();
        fx = null;
        // the app closed the devnet with it: its ledger no longer answers
        try (LedgerClient r = LedgerClient.plaintext(net.host(), port, null)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(r::metagraph)
                    .isInstanceOf(io.grpc.StatusRuntimeException.class);
        }
    }
}
