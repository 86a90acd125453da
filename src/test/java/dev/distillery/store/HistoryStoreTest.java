package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.Sha256;
import dev.distillery.store.HistoryStore.Filter;
import dev.distillery.store.HistoryStore.Table;
import dev.distillery.store.HistoryStore.Trail;
import dev.distillery.store.NetworkStore.Epoch;
import dev.distillery.store.NetworkStore.Share;
import dev.distillery.store.NetworkStore.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The History screen's queries on a real H2 file: search and filters in SQL with the total that matched, CSV that
 * survives commas, quotes and newlines and holds every matching row (not one page), and the trail from an
 * earning back to the run that trained the student, picking the right one among several and never crossing
 * ledgers.
 */
class HistoryStoreTest {
    static final String LEDGER = "127.0.0.1:7100";
    static final String OTHER = "10.0.0.2:7100";
    static final String ME = "5Me";
    static final String RIVAL = "5Rival";
    static final String TRICKY = "gamma, \"quoted\"\nline";

    @TempDir
    Path dir;
    Database db;
    HistoryStore history;
    long runA;
    long runB;
    long runC;
    Path studentA;
    Path studentB;
    Path copyOfB;

    static Instant day(int d) {
        return Instant.parse(String.format("2026-03-%02dT12:00:00Z", d));
    }

    @BeforeEach
    void seed() throws Exception {
        db = Database.open(dir.resolve("distillery"));
        history = db.history();
        RunStore runs = db.runs();
        runA = run(runs, "alpha cls", "cls-tiny", 4);
        runB = run(runs, "beta det", "det-small", 6);
        runC = run(runs, TRICKY, "cls-tiny", 2);
        studentA = Files.write(dir.resolve("a.onnx"), new byte[] {1, 2, 3, 4});
        studentB = Files.write(dir.resolve("b.onnx"), new byte[] {9, 8, 7, 6, 5});
        // the student submitted from the model library: another path, same bytes as run B's export
        copyOfB = Files.write(dir.resolve("models-copy.onnx"), Files.readAllBytes(studentB));
        runs.report(runA, studentA.toString(), "{}");
        runs.finish(runA, RunRow.COMPLETED, "Done", null);
        runs.report(runB, studentB.toString(), "{}");
        runs.finish(runB, RunRow.COMPLETED, "Done", null);
        runs.finish(runC, RunRow.FAILED, "Failed", "out of memory");
        setCreated(runA, day(1));
        setCreated(runB, day(3));
        setCreated(runC, day(5));

        NetworkStore net = db.network();
        for (int e = 1; e <= 3; e++) {
            net.putEpoch(new Epoch(LEDGER, e, e * 10L, 3_000_000_000L, 100, day(e * 2),
                    List.of(new Share(0, ME, 0.25, 0, e * 1_000_000_000L), new Share(1, RIVAL, 0.75, 0, 5))));
        }
        // s1 (run A's file) before epoch 1; s2 (a copy of run B's file) between epochs 2 and 3 (received days 4, 6)
        net.putSubmission(sub("s1", LEDGER, "validator-1", ME, Sha256.hex(studentA), studentA.toString(), "SCORED",
                null), day(1));
        net.putSubmission(sub("s2", LEDGER, "validator-2", ME, Sha256.hex(copyOfB), copyOfB.toString(), "QUEUED",
                null), day(5));
        net.putSubmission(sub("s2", LEDGER, "validator-2", ME, Sha256.hex(copyOfB), copyOfB.toString(), "SCORED",
                3L), day(5).plusSeconds(60));
        // the rival submits later on this ledger, the user on another ledger: neither is the user's at epoch 3
        net.putSubmission(sub("r1", LEDGER, "validator-1", RIVAL, "ab".repeat(32), null, "REJECTED", null),
                day(5).plusSeconds(3600));
        net.putSubmission(sub("o1", OTHER, "validator-9", ME, Sha256.hex(studentA), studentA.toString(), "SCORED",
                null), day(5).plusSeconds(7200));
        List<Share> crowd = new ArrayList<>();
        for (int uid = 0; uid < 1200; uid++) {
            crowd.add(new Share(uid, uid == 7 ? ME : "5Uid" + uid, 0.001, 0, 1000 + uid));
        }
        net.putEpoch(new Epoch(OTHER, 3, 99, 1, 1, day(6), crowd));
    }

    @AfterEach
    void close() {
        db.close();
    }

    long run(RunStore runs, String name, String preset, int epochs) {
        long id = runs.create(name, "f".repeat(64), "teacher-" + preset, null, preset, "{}", dir + "/runs/{id}");
        for (int e = 1; e <= epochs; e++) {
            runs.epoch(new EpochRow(id, e, 1.0 / e, 0.5 + e / 100.0, null, 0.01 / e, 100, e), e, 0.5 + e / 100.0);
        }
        return id;
    }

    void setCreated(long id, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE distill_runs SET created_at = :at, updated_at = :at "
                + "WHERE id = :id").bind("at", at.atOffset(ZoneOffset.UTC)).bind("id", id).execute());
    }

    static Submission sub(String id, String ledger, String validator, String hotkey, String sha, String path,
                          String state, Long epoch) {
        return new Submission(id, ledger, validator, hotkey, sha, path, state, state.equals("SCORED") ? 0.8125 : null,
                null, null, 5L, null, epoch, null, null);
    }

    static Filter mine(String ledger) {
        return Filter.none().withLedger(ledger, ME);
    }

    @Test
    void runsAreSearchedAndFilteredInSqlNewestFirstWithTheTotal() {
        var all = history.runs(Filter.none(), 1000);
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.rows()).extracting(HistoryStore.RunItem::id).containsExactly(runC, runB, runA);
        assertThat(history.runs(Filter.none().withText("BETA"), 1000).rows())
                .extracting(HistoryStore.RunItem::id).containsExactly(runB);
        // every word must match somewhere: name "alpha cls" and preset "cls-tiny"
        assertThat(history.runs(Filter.none().withText("alpha tiny"), 1000).rows())
                .extracting(HistoryStore.RunItem::id).containsExactly(runA);
        assertThat(history.runs(Filter.none().withText("50%"), 1000).total()).isZero();
        assertThat(history.runs(Filter.none().withState(RunRow.FAILED), 1000).rows())
                .extracting(HistoryStore.RunItem::name).containsExactly(TRICKY);
        assertThat(history.runs(Filter.none().withRange(day(2), day(5)), 1000).rows())
                .extracting(HistoryStore.RunItem::id).containsExactly(runB);
        var page = history.runs(Filter.none(), 2);
        assertThat(page.rows()).hasSize(2);
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.truncated()).isTrue();

        var students = history.students(Filter.none(), 1000);
        assertThat(students.rows()).extracting(HistoryStore.StudentItem::runId).containsExactly(runB, runA);
        assertThat(students.rows().get(1).sizeBytes()).isEqualTo(4L);
        assertThat(students.rows().get(1).submissions()).isEqualTo(2); // s1 and o1 submitted that very file
    }

    @Test
    void networkTablesFilterByHotkeyStateValidatorAndNeverMixLedgers() {
        assertThat(history.submissions(mine(LEDGER), 1000).rows()).extracting(Submission::id)
                .containsExactly("s2", "s1");
        assertThat(history.submissions(Filter.none().withLedger(LEDGER, null), 1000).total()).isEqualTo(3);
        assertThat(history.submissions(mine(OTHER), 1000).rows()).extracting(Submission::id).containsExactly("o1");
        assertThat(history.submissions(Filter.none(), 1000).total()).as("no ledger, no network rows").isZero();
        assertThat(history.submissions(Filter.none().withLedger(LEDGER, null).withState("REJECTED"), 1000).rows())
                .extracting(Submission::id).containsExactly("r1");
        assertThat(history.submissions(mine(LEDGER).withValidator("validator-2"), 1000).rows())
                .extracting(Submission::id).containsExactly("s2");
        assertThat(history.validators(LEDGER)).containsExactly("validator-1", "validator-2");

        var earnings = history.earnings(mine(LEDGER), 1000);
        assertThat(earnings.rows()).extracting(HistoryStore.EarningItem::epoch).containsExactly(3L, 2L, 1L);
        assertThat(earnings.rows()).allMatch(e -> e.ledgerId().equals(LEDGER) && e.hotkey().equals(ME));
        assertThat(history.earnings(Filter.none().withLedger(LEDGER, null), 1000).total()).isEqualTo(6);
        assertThat(history.earnings(mine(OTHER), 1000).rows()).singleElement()
                .satisfies(e -> assertThat(e.uid()).isEqualTo(7));
        assertThat(history.earnings(Filter.none().withLedger(LEDGER, null).withText("rival"), 1000).total())
                .isEqualTo(3);

        var epochs = history.epochs(mine(LEDGER), 1000);
        assertThat(epochs.rows()).extracting(HistoryStore.EpochItem::epoch).containsExactly(3L, 2L, 1L);
        assertThat(epochs.rows().get(0).emission()).isEqualTo(3_000_000_000L);
        assertThat(epochs.rows().get(0).uids()).isEqualTo(2);
        assertThat(history.epochs(Filter.none().withLedger(LEDGER, null), 1000).rows())
                .allMatch(e -> e.emission() == null);
        assertThat(history.epochs(mine(LEDGER).withRange(day(3), day(5)), 1000).rows())
                .extracting(HistoryStore.EpochItem::epoch).containsExactly(2L);
        assertThat(history.ledgers()).containsExactly(OTHER, LEDGER);
    }

    @Test
    void anEarningLeadsToItsEpochSubmissionStudentAndTheRunThatTrainedIt() throws Exception {
        Trail t3 = history.trailFromEarning(LEDGER, 3, ME);
        assertThat(t3.earning().emission()).isEqualTo(3_000_000_000L);
        assertThat(t3.epoch().shares()).hasSize(2);
        assertThat(t3.submission().id()).isEqualTo("s2");
        assertThat(t3.events()).extracting(NetworkStore.SubmissionEvent::state).containsExactly("QUEUED", "SCORED");
        assertThat(t3.student().path()).isEqualTo(copyOfB.toString());
        assertThat(t3.student().sha256()).isEqualTo(Sha256.hex(studentB));
        assertThat(t3.run().id()).as("found by the file's SHA-256, the path differs").isEqualTo(runB);

        Trail t2 = history.trailFromEarning(LEDGER, 2, ME);
        assertThat(t2.submission().id()).as("s2 came after epoch 2 was received").isEqualTo("s1");
        assertThat(t2.run().id()).as("found by path").isEqualTo(runA);

        // once run B's file is gone, s2 no longer leads anywhere rather than to a wrong run
        Files.delete(studentB);
        assertThat(history.trailFromEarning(LEDGER, 3, ME).run()).isNull();

        assertThat(history.trailFromEarning(OTHER, 3, ME).submission().id()).isEqualTo("o1");
        assertThat(history.trailFromEarning(OTHER, 1, ME).submission()).as("no such epoch there").isNull();
        assertThat(history.trailFromRun(runA).student().sha256()).isEqualTo(Sha256.hex(studentA));
        assertThat(history.trailFromSubmission("r1").run()).isNull();
    }

    @Test
    void csvQuotesCommasQuotesAndNewlinesAndHoldsEveryMatchingRow() {
        StringBuilder out = new StringBuilder();
        long n = history.export(Table.RUNS, Filter.none().withText("gamma"), out);
        assertThat(n).isEqualTo(1);
        String[] lines = out.toString().split("\r\n", -1);
        assertThat(lines[0]).isEqualTo(String.join(",", HistoryStore.header(Table.RUNS)));
        assertThat(lines[1]).startsWith(runC + ",\"gamma, \"\"quoted\"\"\nline\",");
        assertThat(lines[1]).contains(",FAILED,2,");
        assertThat(lines).hasSize(3); // header, the row, and the empty rest after the last CRLF

        var page = history.earnings(Filter.none().withLedger(OTHER, null), HistoryStore.DEFAULT_LIMIT);
        assertThat(page.rows()).hasSize(1000);
        assertThat(page.total()).isEqualTo(1200);
        StringBuilder all = new StringBuilder();
        assertThat(history.export(Table.EARNINGS, Filter.none().withLedger(OTHER, null), all)).isEqualTo(1200);
        assertThat(all.toString().split("\r\n")).hasSize(1201);
        assertThat(all.toString()).contains("\r\n" + OTHER + ",3,").doesNotContain(LEDGER);

        StringBuilder mine = new StringBuilder();
        history.export(Table.EARNINGS, mine(LEDGER), mine);
        assertThat(mine.toString().split("\r\n")[1]).startsWith(LEDGER + ",3,")
                .endsWith(",0,5Me,0.25,0.0,3.000000000,3000000000");
        OffsetDateTime.parse(mine.toString().split("\r\n")[1].split(",")[2]); // ISO date with offset
    }
}
