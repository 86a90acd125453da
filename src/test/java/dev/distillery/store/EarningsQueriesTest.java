package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.store.EarningsQueries.IncentivePoint;
import dev.distillery.store.EarningsQueries.LatestEpoch;
import dev.distillery.store.EarningsQueries.ScorePoint;
import dev.distillery.store.NetworkStore.Epoch;
import dev.distillery.store.NetworkStore.Share;
import dev.distillery.store.NetworkStore.Submission;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Earnings screen's queries on a real H2 file: score history per model (V6 keeps the score in each event),
 * incentive per epoch, the latest epoch, down-sampling bounds, and two ledgers never mixing.
 */
class EarningsQueriesTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String OTHER = "10.0.0.2:7100";
    static final String ME = "5Me";
    static final String RIVAL = "5Rival";
    static final String SHA_A = "aa".repeat(32);
    static final String SHA_B = "bb".repeat(32);

    @TempDir
    Path dir;
    Database db;
    NetworkStore store;
    EarningsQueries q;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("distillery"));
        store = db.network();
        q = db.earnings();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static Instant at(int hour) {
        return Instant.parse("2026-11-01T00:00:00Z").plusSeconds(3600L * hour);
    }

    /** ME at UID 0 with {@code incentive}, RIVAL at UID 1 with the rest. */
    static Epoch epoch(String ledger, long n, double incentive, long mine) {
        return new Epoch(ledger, n, n * 10, mine + 500, 0, at((int) n),
                List.of(new Share(0, ME, incentive, 0, mine), new Share(1, RIVAL, 1 - incentive, 0, 500)));
    }

    static Submission sub(String id, String ledger, String hotkey, String sha, String state, Double score, long epoch) {
        return new Submission(id, ledger, "10.0.0.9:7200", hotkey, sha, null, state, score, null, null, null, null,
                epoch, null, null);
    }

    @Test
    void eachEventKeepsTheScoreItWasWrittenWith() {
        store.putSubmission(sub("s1", LEDGER, ME, SHA_A, "QUEUED", null, 3), at(1));
        store.putSubmission(sub("s1", LEDGER, ME, SHA_A, "SCORED", 0.5, 4), at(2));
        store.putSubmission(sub("s1", LEDGER, ME, SHA_A, "SCORED", 0.7, 6), at(3));
        List<Double> scores = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT score FROM submission_events WHERE submission_id = 's1' ORDER BY id")
                .mapTo(Double.class).list());
        assertThat(scores).containsExactly(null, 0.5, 0.7);
        // the latest state still has only the latest score
        assertThat(store.submissions(LEDGER, ME).get(0).score()).isEqualTo(0.7);
    }

    @Test
    void scoreSeriesHasOneSeriesPerModelWithoutOtherHotkeysOrLedgers() {
        store.putSubmission(sub("a1", LEDGER, ME, SHA_A, "QUEUED", null, 1), at(1));
        store.putSubmission(sub("a1", LEDGER, ME, SHA_A, "SCORED", 0.4, 2), at(2));
        store.putSubmission(sub("a1", LEDGER, ME, SHA_A, "SCORED", 0.6, 5), at(3));
        store.putSubmission(sub("b1", LEDGER, ME, SHA_B, "SCORED", 0.9, 5), at(4));
        // the same model scored by a second validator in epoch 5: averaged with the first
        store.putSubmission(sub("a2", LEDGER, ME, SHA_A, "SCORED", 0.8, 5), at(5));
        // other hotkey, other ledger: never in ME's series on LEDGER
        store.putSubmission(sub("r1", LEDGER, RIVAL, SHA_A, "SCORED", 0.1, 2), at(6));
        store.putSubmission(sub("o1", OTHER, ME, SHA_A, "SCORED", 0.2, 2), at(7));

        List<ScorePoint> series = q.scoreSeries(LEDGER, ME, 100);
        assertThat(series).containsExactly(
                new ScorePoint(SHA_A, 2, 2, 0.4, 0.4, 0.4, 1),
                new ScorePoint(SHA_A, 5, 5, 0.7, 0.6, 0.8, 2),
                new ScorePoint(SHA_B, 5, 5, 0.9, 0.9, 0.9, 1));
        assertThat(q.scoreSeries(OTHER, ME, 100)).containsExactly(new ScorePoint(SHA_A, 2, 2, 0.2, 0.2, 0.2, 1));
        assertThat(q.scoreSeries(LEDGER, "5Nobody", 100)).isEmpty();
    }

    @Test
    void scoreSeriesIsDownSampledToAtMostNPointsPerModel() {
        for (int e = 1; e <= 50; e++) {
            store.putSubmission(sub("a" + e, LEDGER, ME, SHA_A, "SCORED", e / 100.0, e), at(e));
            if (e % 2 == 0) {
                store.putSubmission(sub("b" + e, LEDGER, ME, SHA_B, "SCORED", 0.5, e), at(e));
            }
        }
        List<ScorePoint> series = q.scoreSeries(LEDGER, ME, 7);
        List<ScorePoint> a = series.stream().filter(p -> p.modelSha256().equals(SHA_A)).toList();
        List<ScorePoint> b = series.stream().filter(p -> p.modelSha256().equals(SHA_B)).toList();
        // 50 epochs in ranges of 8: 1..8, 9..16, ..., 49..50
        assertThat(a).hasSize(7);
        assertThat(b).hasSizeLessThanOrEqualTo(7);
        assertThat(a.get(0)).isEqualTo(new ScorePoint(SHA_A, 1, 8, 0.045, 0.01, 0.08, 8));
        assertThat(a.get(6).fromEpoch()).isEqualTo(49);
        assertThat(a.get(6).toEpoch()).isEqualTo(50);
        assertThat(a.stream().mapToInt(ScorePoint::count).sum()).isEqualTo(50);
        assertThat(b.stream().mapToInt(ScorePoint::count).sum()).isEqualTo(25);
        assertThat(q.scoreSeries(LEDGER, ME, 1)).hasSize(2);
        assertThatThrownBy(() -> q.scoreSeries(LEDGER, ME, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void incentiveSeriesPerEpochAndDownSampled() {
        for (int e = 1; e <= 20; e++) {
            store.putEpoch(epoch(LEDGER, e, e / 100.0, e));
        }
        store.putEpoch(epoch(OTHER, 1, 0.99, 1));
        List<IncentivePoint> all = q.incentiveSeries(LEDGER, ME, 100);
        assertThat(all).hasSize(20);
        assertThat(all.get(0)).isEqualTo(new IncentivePoint(1, 1, 0.01, 0.01));
        assertThat(all.get(19)).isEqualTo(new IncentivePoint(20, 20, 0.20, 0.20));

        List<IncentivePoint> six = q.incentiveSeries(LEDGER, ME, 6);
        // 20 epochs in ranges of 4
        assertThat(six).hasSize(5);
        assertThat(six.get(0).fromEpoch()).isEqualTo(1);
        assertThat(six.get(0).toEpoch()).isEqualTo(4);
        assertThat(six.get(0).incentive()).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(six.get(0).maxIncentive()).isEqualTo(0.04);
        for (int i = 1; i < six.size(); i++) {
            assertThat(six.get(i).fromEpoch()).isEqualTo(six.get(i - 1).toEpoch() + 1);
        }
        // the bucket boundaries match the earnings series', so the charts line up
        assertThat(six).extracting(IncentivePoint::toEpoch).containsExactlyElementsOf(
                store.earningsSeries(LEDGER, ME, 6).stream().map(NetworkStore.EarningPoint::toEpoch).toList());
        assertThat(q.incentiveSeries(OTHER, ME, 100)).containsExactly(new IncentivePoint(1, 1, 0.99, 0.99));
        assertThat(q.incentiveSeries(LEDGER, "5Nobody", 100)).isEmpty();
    }

    @Test
    void epochSeriesMatchesTheEarningsSeriesAndCarriesIncentive() {
        for (int e = 1; e <= 23; e++) {
            store.putEpoch(epoch(LEDGER, e, e / 100.0, e * 10L));
        }
        store.putEpoch(epoch(OTHER, 1, 0.5, 1_000_000));
        for (int max : new int[] {1, 5, 100}) {
            var series = q.epochSeries(LEDGER, ME, max);
            assertThat(series).extracting(p -> new NetworkStore.EarningPoint(p.fromEpoch(), p.toEpoch(), p.emission(),
                    p.cumulative())).containsExactlyElementsOf(store.earningsSeries(LEDGER, ME, max));
            assertThat(series).extracting(EarningsQueries.EpochPoint::maxIncentive)
                    .containsExactlyElementsOf(q.incentiveSeries(LEDGER, ME, max).stream()
                            .map(IncentivePoint::maxIncentive).toList());
        }
        assertThat(q.epochSeries(LEDGER, ME, 100).get(22).cumulative()).isEqualTo(10L * 23 * 24 / 2);
    }

    @Test
    void recentDaysEndTodayOrAtTheLastDayEarned() {
        java.time.LocalDate nov = java.time.LocalDate.parse("2026-11-01");
        // epochs n at hour n: days Nov 1 (hours 1..23) and Nov 2 (24..30); and one on Dec 20
        for (int e = 1; e <= 30; e++) {
            store.putEpoch(epoch(LEDGER, e, 0.5, 1));
        }
        store.putEpoch(new Epoch(LEDGER, 31, 310, 0, 0, Instant.parse("2026-12-20T05:00:00Z"),
                List.of(new Share(0, ME, 0.5, 0, 100))));
        store.putEpoch(epoch(OTHER, 1, 0.5, 7));
        assertThat(q.recentDays(LEDGER, ME, java.time.LocalDate.parse("2026-12-25"), 30))
                .containsExactly(new NetworkStore.DayEarning(java.time.LocalDate.parse("2026-12-20"), 100, 100));
        // long after: the 30 days up to Dec 20 (Nov 21..Dec 20)
        assertThat(q.recentDays(LEDGER, ME, java.time.LocalDate.parse("2027-06-01"), 30)).hasSize(1);
        assertThat(q.recentDays(LEDGER, ME, java.time.LocalDate.parse("2027-06-01"), 50)).extracting(
                NetworkStore.DayEarning::day).containsExactly(nov, nov.plusDays(1), java.time.LocalDate.parse("2026-12-20"));
        assertThat(q.recentDays(LEDGER, ME, java.time.LocalDate.parse("2026-12-25"), 60)).extracting(
                NetworkStore.DayEarning::emission).containsExactly(23L, 7L, 100L);
        assertThat(q.recentDays(LEDGER, "5Nobody", nov, 30)).isEmpty();
    }

    @Test
    void latestEpochIsTheLedgersNewestWithTheHotkeysShare() {
        assertThat(q.latest(LEDGER, ME)).isEmpty();
        store.putEpoch(epoch(LEDGER, 1, 0.25, 100));
        store.putEpoch(epoch(LEDGER, 2, 0.5, 250));
        store.putEpoch(epoch(OTHER, 9, 0.5, 999));
        assertThat(q.latest(LEDGER, ME)).isEqualTo(Optional.of(new LatestEpoch(2, at(2), 250, 0.5)));
        // an epoch where the hotkey held no UID: emission 0, no incentive
        store.putEpoch(new Epoch(LEDGER, 3, 30, 500, 0, at(3), List.of(new Share(1, RIVAL, 1, 0, 500))));
        assertThat(q.latest(LEDGER, ME)).isEqualTo(Optional.of(new LatestEpoch(3, at(3), 0, null)));
        assertThat(q.latest(OTHER, ME).orElseThrow().emission()).isEqualTo(999);
    }

    @Test
    void rawEarningsAreTheHotkeysRowsByEpoch() {
        store.putEpoch(epoch(LEDGER, 2, 0.5, 20));
        store.putEpoch(epoch(LEDGER, 1, 0.5, 10));
        store.putEpoch(epoch(OTHER, 1, 0.5, 77));
        assertThat(q.rawEarnings(LEDGER, ME)).containsExactly(new EarningsQueries.RawEarning(1, 10),
                new EarningsQueries.RawEarning(2, 20));
    }

    @Test
    void upgradingFromSchemaFiveGivesEachSubmissionsLatestEventItsScore() throws Exception {
        db.close();
        db = null;
        Path base = dir.resolve("old");
        String url = "jdbc:h2:file:" + base.toAbsolutePath();
        Flyway.configure().dataSource(url, "distillery", "").locations(Database.MIGRATIONS).target("5").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, "distillery", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO submissions (submission_id, ledger_id, validator, hotkey, model_sha256, state, "
                    + "score, epoch, created_at, updated_at) VALUES ('s1', '" + LEDGER + "', 'v', '" + ME + "', '"
                    + SHA_A + "', 'SCORED', 0.75, 4, TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00Z', "
                    + "TIMESTAMP WITH TIME ZONE '2026-11-01 01:00:00Z')");
            s.execute("INSERT INTO submission_events (submission_id, state, epoch, event_at) VALUES "
                    + "('s1', 'QUEUED', 3, TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00Z'), "
                    + "('s1', 'SCORED', 4, TIMESTAMP WITH TIME ZONE '2026-11-01 01:00:00Z')");
            s.execute("SHUTDOWN");
        }
        try (Database upgraded = Database.open(base)) {
            assertThat(upgraded.schemaVersion()).isEqualTo(6);
            assertThat(upgraded.earnings().scoreSeries(LEDGER, ME, 10))
                    .containsExactly(new ScorePoint(SHA_A, 4, 4, 0.75, 0.75, 0.75, 1));
        }
    }
}
