package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.Sha256;
import dev.distillery.store.HistoryStore;
import dev.distillery.store.NetworkStore;
import dev.distillery.store.RunRow;
import dev.distillery.store.RunStore;
import dev.distillery.ui.history.HistoryView;
import dev.distillery.ui.miner.MinerAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The History screen on the real app and a real H2 file: empty, it says what to do; seeded with runs (through
 * RunStore), submissions, epochs and earnings, its search narrows the runs, an earning opened leads to the run
 * that trained the submitted student with that run's loss curve, Export writes the selected rows as CSV, and
 * after closing and reopening the app on the same folder everything is still there.
 */
class HistoryViewTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String ME = "5MeHotkeyForTheHistoryScreenTest";

    @TempDir
    Path dir;
    ShellFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @SuppressWarnings("unchecked")
    <T> TableView<T> table(String id) {
        return fx.find("#history-" + id + "-table", TableView.class);
    }

    void openHistory() {
        fx.robot.interact(() -> fx.app.window().context().miner().setIdentity(
                new MinerAccount.Identity(LEDGER, "main", ME)));
        fx.robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT7)
                .release(javafx.scene.input.KeyCode.DIGIT7, javafx.scene.input.KeyCode.CONTROL);
        fx.await("the History screen", () -> fx.current() == Screen.HISTORY);
    }

    @Test
    void searchDrillDownExportAndRestart() throws Exception {
        Path data = dir.resolve("data");
        fx = ShellFixture.start(data);
        fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.HISTORY));
        fx.await("the empty state", () -> fx.exists("#empty-title")
                && fx.find("#empty-title", Label.class).getText().equals("No history yet"));

        // seed: three runs, two of them exported a student; the user submitted run B's student before epochs 2-3
        var db = fx.session.database();
        Path studentA = Files.write(dir.resolve("alpha.onnx"), new byte[] {1, 2, 3});
        Path studentB = Files.write(dir.resolve("beta.onnx"), new byte[] {4, 5, 6, 7});
        long runA = SeededRuns.completed(db.runs(), dir, "alpha run", 3, studentA);
        long runB = SeededRuns.completed(db.runs(), dir, "beta run", 7, studentB);
        SeededRuns.completed(db.runs(), dir, "gamma run", 2, null);
        Instant t0 = Instant.now().minusSeconds(3600);
        NetworkStore net = db.network();
        net.putSubmission(new NetworkStore.Submission("sub-a", LEDGER, "validator-1", ME, Sha256.hex(studentA),
                studentA.toString(), "SCORED", 0.61, 0.7, 3.0, 3L, null, 1L, null, null), t0);
        net.putSubmission(new NetworkStore.Submission("sub-b", LEDGER, "validator-1", ME, Sha256.hex(studentB),
                studentB.toString(), "SCORED", 0.83, 0.9, 2.0, 4L, null, 2L, null, null), t0.plusSeconds(600));
        for (int e = 1; e <= 3; e++) {
            net.putEpoch(new NetworkStore.Epoch(LEDGER, e, e * 100L, 2_000_000_000L, 0, t0.plusSeconds(e * 500L),
                    List.of(new NetworkStore.Share(0, ME, 0.5, 0, e * 123_456_789L),
                            new NetworkStore.Share(1, "5Someone,Else", 0.5, 0, 7))));
        }

        openHistory();
        fx.robot.interact(() -> ((HistoryView) fx.app.window().view(Screen.HISTORY)).onShown());
        TableView<HistoryStore.RunItem> runs = table("runs");
        fx.await("three runs", () -> fx.exists("#history-runs-table") && table("runs").getItems().size() == 3);
        assertThat(fx.find("#history-runs-count", Label.class).getText()).isEqualTo("3 runs");
        // statuses read as words, in the table and in its filter, which still filters on the stored constant
        var status = runs.getColumns().stream().filter(c -> c.getText().equals("Status")).findFirst().orElseThrow();
        assertThat(status.getCellData(0)).isEqualTo("Completed");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> statusFilter = fx.find("#history-runs-status",
                javafx.scene.control.ComboBox.class);
        assertThat(statusFilter.getItems()).contains(RunRow.COMPLETED);
        assertThat(statusFilter.getConverter().toString(RunRow.COMPLETED)).isEqualTo("Completed");

        fx.robot.clickOn("#history-runs-search").write("beta");
        fx.await("the search to narrow the runs", () -> runs.getItems().size() == 1);
        assertThat(runs.getItems().get(0).id()).isEqualTo(runB);

        // Earnings: the user's three epochs; open epoch 3's and follow it back
        TabPane tabs = fx.find("#history-tabs", TabPane.class);
        fx.robot.interact(() -> tabs.getSelectionModel().select(4));
        TableView<HistoryStore.EarningItem> earnings = table("earnings");
        fx.await("the user's earnings", () -> earnings.getItems().size() == 3);
        assertThat(earnings.getItems()).allMatch(e -> e.hotkey().equals(ME));
        fx.robot.interact(() -> earnings.getSelectionModel().select(0));
        assertThat(earnings.getSelectionModel().getSelectedItem().epoch()).isEqualTo(3);
        fx.clickWhenVisible("#history-earnings-open");
        fx.await("the trail to reach the run", () -> fx.exists("#trail-run-name"));
        assertThat(fx.find("#trail-run-name", Label.class).getText()).isEqualTo("beta run");
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> loss = fx.find("#trail-loss-chart", LineChart.class);
        assertThat(loss.getData().get(0).getData()).hasSize(7);
        assertThat(fx.exists("#trail-epoch")).isTrue();
        assertThat(fx.exists("#trail-submission")).isTrue();

        // the run link (below the fold of the trail pane here) selects the run in its tab
        var runLink = fx.find("#trail-run-link", javafx.scene.control.Hyperlink.class);
        fx.robot.interact(runLink::fire);
        fx.await("the Runs tab with run B selected", () -> tabs.getSelectionModel().getSelectedIndex() == 0
                && runs.getSelectionModel().getSelectedItem() != null
                && runs.getSelectionModel().getSelectedItem().id() == runB);

        // all UIDs, exported: every row of that filter, the hotkey with a comma quoted
        fx.robot.interact(() -> tabs.getSelectionModel().select(4));
        fx.clickWhenVisible("#history-earnings-mine");
        fx.await("every UID", () -> earnings.getItems().size() == 6);
        HistoryView view = (HistoryView) fx.app.window().view(Screen.HISTORY);
        Path csv = dir.resolve("earnings.csv");
        javafx.concurrent.Task<?>[] task = new javafx.concurrent.Task<?>[1];
        fx.robot.interact(() -> task[0] = view.export(HistoryStore.Table.EARNINGS, csv));
        assertThat(task[0].get(20, TimeUnit.SECONDS)).isEqualTo(6L);
        List<String> lines = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).startsWith("ledger_id,epoch,received_at,uid,hotkey");
        assertThat(lines.stream().filter(l -> l.contains(",\"5Someone,Else\",")).count()).isEqualTo(3);
        assertThat(lines.get(1)).startsWith(LEDGER + ",3,").endsWith(",0.370370367,370370367");

        // close the app and open it again on the same folder: the rows are read back from the file
        fx.close();
        fx = null;
        fx = ShellFixture.start(data);
        openHistory();
        fx.await("the runs after a restart", () -> fx.exists("#history-runs-table")
                && table("runs").getItems().size() == 3);
        TabPane again = fx.find("#history-tabs", TabPane.class);
        fx.robot.interact(() -> again.getSelectionModel().select(4));
        fx.await("the earnings after a restart", () -> table("earnings").getItems().size() == 3);
        assertThat(runA).isNotEqualTo(runB);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
