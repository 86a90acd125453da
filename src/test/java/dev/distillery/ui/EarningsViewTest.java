package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.store.NetworkStore;
import dev.distillery.store.NetworkStore.Epoch;
import dev.distillery.store.NetworkStore.Share;
import dev.distillery.store.NetworkStore.Submission;
import dev.distillery.ui.earnings.EarningsView;
import dev.distillery.ui.miner.MinerAccount;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Earnings screen on the real app and a real H2 file: without an identity it says what to do next; with one it
 * shows the stored earnings as tiles (tokens, and the currency once a price is typed) and charts, and follows new
 * epochs. Rows: 5 epochs of 1 τ ten days ago, 4 of 2 τ three days ago, 3 of 3 τ today (UTC).
 */
class EarningsViewTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String ME = "5EarnerHotkeyForTheEarningsViewTest0000000000000";
    static final String RIVAL = "5RivalHotkey";
    static final long TAU = 1_000_000_000L;

    @TempDir
    Path dir;
    ShellFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ShellFixture.start(dir.resolve("data")); // the devnet does not autostart in UI tests (pom.xml)
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    MinerAccount miner() {
        return fx.app.window().context().miner();
    }

    EarningsView view() {
        return fx.find("#screen-" + Screen.EARNINGS.id(), EarningsView.class);
    }

    String text(String id) {
        return fx.find(id, Label.class).getText();
    }

    /** The label's text once it is in the scene (a screen swaps its body as a whole), then the pulse settled. */
    void awaitText(String id, String expected) {
        fx.await(id + " = " + expected, () -> fx.exists(id) && expected.equals(text(id)));
        WaitForAsyncUtils.waitForFxEvents();
    }

    void openEarnings() {
        fx.robot.push(new KeyCodeCombination(KeyCode.DIGIT6, KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx.current()).isEqualTo(Screen.EARNINGS);
    }

    static Epoch epoch(long n, Instant at, long mine) {
        return new Epoch(LEDGER, n, n * 10, mine + TAU, 0, at,
                List.of(new Share(0, ME, 0.25, 0, mine), new Share(1, RIVAL, 0.75, 0, TAU)));
    }

    void seed() {
        NetworkStore store = fx.session.database().network();
        Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int e = 1; e <= 5; e++) {
            store.putEpoch(epoch(e, today.minusSeconds(10 * 86_400L - e * 60L), TAU));
        }
        for (int e = 6; e <= 9; e++) {
            store.putEpoch(epoch(e, today.minusSeconds(3 * 86_400L - e * 60L), 2 * TAU));
        }
        for (int e = 10; e <= 12; e++) {
            store.putEpoch(epoch(e, today.plusSeconds(e), 3 * TAU));
        }
        String a = "a1".repeat(32);
        String b = "b2".repeat(32);
        store.putSubmission(sub("s1", a, "QUEUED", null, 2), today.minusSeconds(9 * 86_400L));
        store.putSubmission(sub("s1", a, "SCORED", 0.6, 3), today.minusSeconds(9 * 86_400L - 60));
        store.putSubmission(sub("s2", a, "SCORED", 0.7, 8), today.minusSeconds(3 * 86_400L));
        store.putSubmission(sub("s3", b, "SCORED", 0.9, 11), today.plusSeconds(11));
    }

    static Submission sub(String id, String sha, String state, Double score, long epoch) {
        return new Submission(id, LEDGER, "10.0.0.9:7200", ME, sha, null, state, score, null, null, null, null, epoch,
                null, null);
    }

    @SuppressWarnings("unchecked")
    XYChart<Object, Number> chart(String id) {
        return fx.find(id, XYChart.class);
    }

    int points(String id) {
        return chart(id).getData().stream().mapToInt(s -> s.getData().size()).sum();
    }

    @Test
    void withoutIdentityTheEmptyStateSaysWhatToDoNext() {
        openEarnings();
        assertThat(text("#empty-title")).isEqualTo("No earnings yet");
        assertThat(text("#empty-next")).contains("create a wallet").contains("Network screen");
        assertThat(fx.exists("#go-network")).isTrue();
        assertThat(fx.exists("#earnings-today-value")).isFalse();

        // an identity with nothing stored yet: still an empty state, naming the wallet and what to wait for
        miner().setIdentity(new MinerAccount.Identity(LEDGER, "alice", ME));
        awaitText("#empty-title", "Nothing earned on this network yet");
        assertThat(fx.find(".empty-lead", Label.class).getText()).contains("alice").contains(LEDGER);
        assertThat(text("#empty-next")).contains("next epoch");
    }

    @Test
    void tilesChartsAndFiatFromTheStoredRows() {
        seed();
        openEarnings();
        miner().setIdentity(new MinerAccount.Identity(LEDGER, "alice", ME));
        awaitText("#earnings-today-value", "9.0000 τ");
        assertThat(text("#earnings-week-value")).isEqualTo("17.0000 τ");
        assertThat(text("#earnings-all-value")).isEqualTo("22.0000 τ");
        assertThat(text("#earnings-latest-value")).isEqualTo("3.0000 τ");
        assertThat(fx.find("#earnings-tile-latest .earnings-tile-caption", Label.class).getText()).contains("#12");
        assertThat(text("#earnings-balance-value")).isEqualTo("—");
        assertThat(fx.find("#earnings-today-fiat", Label.class).isVisible()).isFalse();
        assertThat(fx.find("#earnings-unit-fiat", ToggleButton.class).isDisabled()).isTrue();

        // charts: one point per epoch (12, not down-sampled), 30 daily bars summing to all time, two models
        assertThat(points("#earnings-chart-epoch")).isEqualTo(12);
        assertThat(points("#earnings-chart-cumulative")).isEqualTo(12);
        assertThat(points("#earnings-chart-incentive")).isEqualTo(12);
        assertThat(points("#earnings-chart-day")).isEqualTo(30);
        var cumulative = chart("#earnings-chart-cumulative").getData().get(0).getData();
        assertThat(cumulative.get(11).getYValue().doubleValue()).isCloseTo(22.0, org.assertj.core.data.Offset.offset(1e-9));
        @SuppressWarnings("unchecked")
        BarChart<String, Number> days = fx.find("#earnings-chart-day", BarChart.class);
        assertThat(days.getData().get(0).getData().stream().mapToDouble(d -> d.getYValue().doubleValue()).sum())
                .isCloseTo(22.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(days.getData().get(0).getData().get(29).getYValue().doubleValue()).isEqualTo(9.0);
        // 30 separate days, of which the last and every seventh before it carry a readable date (four of them)
        var dayNames = days.getData().get(0).getData().stream().map(XYChart.Data::getXValue).toList();
        assertThat(dayNames).doesNotHaveDuplicates();
        assertThat(dayNames.stream().filter(n -> !n.isBlank() && !n.replace("\u200B", "").isEmpty()).toList())
                .hasSize(4).last().isEqualTo(java.time.format.DateTimeFormatter.ofPattern("MMM d",
                        java.util.Locale.ENGLISH).format(java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
        var dated = days.getXAxis().lookupAll("Text").stream().map(javafx.scene.text.Text.class::cast)
                .filter(t -> !t.getText().replace("\u200B", "").isBlank()).toList();
        assertThat(dated).as("the day axis's dated labels: shown, flat").hasSize(4)
                .allSatisfy(t -> assertThat(t.isVisible() && t.getRotate() == 0).as(t.getText()).isTrue());
        var models = chart("#earnings-chart-score").getData();
        assertThat(models).extracting(XYChart.Series::getName).containsExactly("model a1a1a1a1", "model b2b2b2b2");
        assertThat(models).extracting(s -> s.getData().size()).containsExactly(2, 1);
        assertThat(((javafx.scene.chart.NumberAxis) chart("#earnings-chart-cumulative").getYAxis()).getLabel())
                .isEqualTo("τ in total");

        // the network feed reports the balance
        view().showBalance(5 * TAU);
        awaitText("#earnings-balance-value", "5.0000 τ");

        // a price: every tile gets its fiat value, and the charts can switch to the currency
        fx.robot.clickOn("#earnings-price").write("0.4");
        awaitText("#earnings-today-fiat", "≈ $3.60");
        assertThat(text("#earnings-all-fiat")).isEqualTo("≈ $8.80");
        assertThat(text("#earnings-balance-fiat")).isEqualTo("≈ $2.00");
        assertThat(miner().tokenPriceProperty().get()).isEqualTo(0.4);
        assertThat(fx.find("#earnings-unit-fiat", ToggleButton.class).isDisabled()).isFalse();
        fx.robot.clickOn("#earnings-unit-fiat");
        WaitForAsyncUtils.waitForFxEvents();
        var inUsd = chart("#earnings-chart-cumulative").getData().get(0).getData();
        assertThat(inUsd.get(11).getYValue().doubleValue()).isCloseTo(8.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(((javafx.scene.chart.NumberAxis) chart("#earnings-chart-cumulative").getYAxis()).getLabel())
                .isEqualTo("USD in total");

        // a wrong price is said inline and changes nothing saved
        fx.robot.doubleClickOn("#earnings-price").write("abc");
        fx.await("the inline message", () -> fx.find("#earnings-input-problem", Label.class).isVisible());
        assertThat(text("#earnings-input-problem")).contains("number");
        assertThat(miner().tokenPriceProperty().get()).isEqualTo(0.4);
        fx.robot.interact(() -> fx.find("#earnings-price", javafx.scene.control.TextField.class).setText("0.5"));
        fx.robot.interact(() -> fx.find("#earnings-currency", javafx.scene.control.TextField.class).setText("eur"));
        awaitText("#earnings-today-fiat", "≈ €4.50");
        assertThat(fx.find("#earnings-input-problem", Label.class).isVisible()).isFalse();
        assertThat(miner().currencyProperty().get()).isEqualTo("EUR");

        // a new epoch stored: the screen reads it again
        Instant now = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(13);
        fx.session.database().network().putEpoch(epoch(13, now, TAU));
        miner().epochStored(LEDGER, 13);
        awaitText("#earnings-today-value", "10.0000 τ");
        assertThat(points("#earnings-chart-epoch")).isEqualTo(13);

        // no identity any more: back to the empty state
        miner().setIdentity(null);
        awaitText("#empty-title", "No earnings yet");
        assertThat(fx.exists("#earnings-today-value")).isFalse();
    }
}
