package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.store.NetworkStore.DayEarning;
import dev.distillery.store.NetworkStore.EarningPoint;
import dev.distillery.store.NetworkStore.Epoch;
import dev.distillery.store.NetworkStore.Share;
import dev.distillery.store.NetworkStore.Submission;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkStoreTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String OTHER = "10.0.0.2:7100";
    static final String ME = "5Me";
    static final String RIVAL = "5Rival";

    @TempDir
    Path dir;
    Database db;
    NetworkStore store;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("distillery"));
        store = db.network();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Instant day(int dayOfMonth, int hour) {
        return Instant.parse(String.format("2026-11-%02dT%02d:00:00Z", dayOfMonth, hour));
    }

    /** Epoch {@code n} on {@code ledger}: ME at UID 0 earns {@code mine}, RIVAL at UID 1 earns 1000. */
    static Epoch epoch(String ledger, long n, long mine, Instant at) {
        return new Epoch(ledger, n, n * 5, mine + 1000 + 100, 100, at,
                List.of(new Share(0, ME, 0.25, 0.0, mine), new Share(1, RIVAL, 0.75, 0.0, 1000)));
    }

    @Test
    void anEpochStoredTwiceIsKeptOnce() {
        assertThat(store.lastEpoch(LEDGER)).isEqualTo(OptionalLong.empty());
        assertThat(store.putEpoch(epoch(LEDGER, 1, 10, day(1, 0)))).isTrue();
        assertThat(store.putEpoch(epoch(LEDGER, 1, 99, day(2, 0)))).isFalse();
        assertThat(store.countEpochs(LEDGER)).isEqualTo(1);
        assertThat(store.shares(LEDGER, 1)).containsExactly(new Share(0, ME, 0.25, 0.0, 10),
                new Share(1, RIVAL, 0.75, 0.0, 1000));
        assertThat(store.putEpoch(epoch(LEDGER, 2, 20, day(1, 1)))).isTrue();
        assertThat(store.lastEpoch(LEDGER)).isEqualTo(OptionalLong.of(2));
        var rows = store.epochs(LEDGER);
        assertThat(rows).extracting(NetworkStore.EpochRow::epoch).containsExactly(1L, 2L);
        assertThat(rows.get(0).block()).isEqualTo(5);
        assertThat(rows.get(0).totalEmission()).isEqualTo(1110);
        assertThat(rows.get(0).receivedAt()).isEqualTo(day(1, 0));
    }

    @Test
    void twoLedgersStayApart() {
        store.putEpoch(epoch(LEDGER, 1, 10, day(1, 0)));
        assertThat(store.putEpoch(epoch(OTHER, 1, 500, day(1, 0)))).isTrue();
        store.putEpoch(epoch(OTHER, 2, 500, day(1, 0)));
        assertThat(store.countEpochs(LEDGER)).isEqualTo(1);
        assertThat(store.countEpochs(OTHER)).isEqualTo(2);
        assertThat(store.lastEpoch(LEDGER)).isEqualTo(OptionalLong.of(1));
        assertThat(store.totals(LEDGER, ME, LocalDate.parse("2026-11-01")).allTime()).isEqualTo(10);
        assertThat(store.totals(OTHER, ME, LocalDate.parse("2026-11-01")).allTime()).isEqualTo(1000);
    }

    @Test
    void earningsAreSummedPerEpochPerDayAndCumulatively() {
        // day 1: epochs 1..3 earn 10, 20, 30; day 2: epoch 4 earns 40; day 9: epoch 5 earns 50
        store.putEpoch(epoch(LEDGER, 1, 10, day(1, 1)));
        store.putEpoch(epoch(LEDGER, 2, 20, day(1, 2)));
        store.putEpoch(epoch(LEDGER, 3, 30, day(1, 23)));
        store.putEpoch(epoch(LEDGER, 4, 40, day(2, 0)));
        store.putEpoch(epoch(LEDGER, 5, 50, day(9, 12)));

        assertThat(store.earningsSeries(LEDGER, ME, 100)).containsExactly(
                new EarningPoint(1, 1, 10, 10), new EarningPoint(2, 2, 20, 30), new EarningPoint(3, 3, 30, 60),
                new EarningPoint(4, 4, 40, 100), new EarningPoint(5, 5, 50, 150));
        assertThat(store.earningsPerDay(LEDGER, ME)).containsExactly(
                new DayEarning(LocalDate.parse("2026-11-01"), 60, 60),
                new DayEarning(LocalDate.parse("2026-11-02"), 40, 100),
                new DayEarning(LocalDate.parse("2026-11-09"), 50, 150));
        assertThat(store.earningsPerDay(LEDGER, RIVAL)).extracting(DayEarning::emission)
                .containsExactly(3000L, 1000L, 1000L);

        // on the 9th: today = 50; the last 7 days are the 3rd..9th = 50; on the 8th the 2nd..8th = 40
        assertThat(store.totals(LEDGER, ME, LocalDate.parse("2026-11-09")))
                .isEqualTo(new NetworkStore.Totals(50, 50, 150));
        assertThat(store.totals(LEDGER, ME, LocalDate.parse("2026-11-08")))
                .isEqualTo(new NetworkStore.Totals(0, 40, 150));
        assertThat(store.totals(LEDGER, "5Nobody", LocalDate.parse("2026-11-08")))
                .isEqualTo(new NetworkStore.Totals(0, 0, 0));
        assertThat(store.earningsSeries(LEDGER, "5Nobody", 10)).isEmpty();
    }

    @Test
    void downSamplingKeepsTheTotalInAtMostNPoints() {
        long total = 0;
        for (int e = 1; e <= 103; e++) {
            store.putEpoch(epoch(LEDGER, e, e, day(1, 0)));
            total += e;
        }
        List<EarningPoint> ten = store.earningsSeries(LEDGER, ME, 10);
        assertThat(ten).hasSizeLessThanOrEqualTo(10);
        // 103 epochs in ranges of 11: 1..11, 12..22, ..., 100..103
        assertThat(ten).hasSize(10);
        assertThat(ten.get(0)).isEqualTo(new EarningPoint(1, 11, 66, 66));
        assertThat(ten.get(9)).isEqualTo(new EarningPoint(100, 103, 100 + 101 + 102 + 103, total));
        assertThat(ten.stream().mapToLong(EarningPoint::emission).sum()).isEqualTo(total);
        for (int i = 1; i < ten.size(); i++) {
            assertThat(ten.get(i).fromEpoch()).isEqualTo(ten.get(i - 1).toEpoch() + 1);
        }
        List<EarningPoint> one = store.earningsSeries(LEDGER, ME, 1);
        assertThat(one).containsExactly(new EarningPoint(1, 103, total, total));
    }

    @Test
    void submissionsAndTheirTimelineRoundTrip() {
        String sha = "ab".repeat(32);
        Submission queued = new Submission("s-1", LEDGER, "10.0.0.9:7200", ME, sha, "/models/student.onnx",
                "QUEUED", null, null, null, 123_456L, null, 7L, null, null);
        store.putSubmission(queued, day(1, 1));
        Submission scored = new Submission("s-1", LEDGER, "10.0.0.9:7200", ME, sha, "/models/student.onnx",
                "SCORED", 0.81, 0.9, 4.5, 123_456L, null, 8L, null, null);
        store.putSubmission(scored, day(1, 2));
        store.putSubmission(new Submission("s-2", LEDGER, "10.0.0.9:7200", ME, "cd".repeat(32), null,
                "REJECTED", null, null, null, null, "too large", 9L, null, null), day(1, 3));
        store.putSubmission(new Submission("s-3", LEDGER, "10.0.0.9:7200", RIVAL, sha, null,
                "QUEUED", null, null, null, null, null, null, null, null), day(1, 4));

        List<Submission> mine = store.submissions(LEDGER, ME);
        assertThat(mine).extracting(Submission::id).containsExactly("s-2", "s-1");
        Submission s1 = mine.get(1);
        assertThat(s1.state()).isEqualTo("SCORED");
        assertThat(s1.score()).isEqualTo(0.81);
        assertThat(s1.quality()).isEqualTo(0.9);
        assertThat(s1.p95Ms()).isEqualTo(4.5);
        assertThat(s1.sizeBytes()).isEqualTo(123_456L);
        assertThat(s1.epoch()).isEqualTo(8L);
        assertThat(s1.modelSha256()).isEqualTo(sha);
        assertThat(s1.createdAt()).isEqualTo(day(1, 1));
        assertThat(s1.updatedAt()).isEqualTo(day(1, 2));
        assertThat(mine.get(0).reason()).isEqualTo("too large");
        assertThat(mine.get(0).score()).isNull();

        var events = store.events("s-1");
        assertThat(events).extracting(NetworkStore.SubmissionEvent::state).containsExactly("QUEUED", "SCORED");
        assertThat(events).extracting(NetworkStore.SubmissionEvent::at).containsExactly(day(1, 1), day(1, 2));
        assertThat(events).extracting(NetworkStore.SubmissionEvent::epoch).containsExactly(7L, 8L);
        assertThat(store.submissions(OTHER, ME)).isEmpty();
    }
}
