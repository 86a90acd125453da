package dev.distillery.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What a miner keeps of the network it follows (tables of V5__network.sql): epoch reports and per-UID earnings,
 * keyed by the ledger's id and the epoch so that storing an epoch twice changes nothing, and submissions to
 * validators with their status timeline. Sums and series are computed in SQL. Amounts are rao.
 *
 * <p>How a benchmark would fill one million earnings rows: 4,000 epochs × 250 UIDs through {@link #putEpoch} in
 * batches (one transaction per epoch is what the follower does), {@code receivedAt} spread over the days to test;
 * then time {@link #earningsPerDay} and {@link #earningsSeries} for one hotkey. Not part of the test suite.
 */
public final class NetworkStore {
    /** One UID's share of an epoch; {@code hotkey} is its SS58 as the metagraph named it then. */
    public record Share(int uid, String hotkey, double incentive, double dividends, long emission) {
        public Share {
            Objects.requireNonNull(hotkey, "hotkey");
        }
    }

    /** One epoch report of a ledger. */
    public record Epoch(String ledgerId, long epoch, long block, long totalEmission, long ownerEmission,
                        Instant receivedAt, List<Share> shares) {
        public Epoch {
            Objects.requireNonNull(ledgerId, "ledgerId");
            Objects.requireNonNull(receivedAt, "receivedAt");
            shares = List.copyOf(shares);
        }
    }

    /** A stored epoch, without its shares. */
    public record EpochRow(String ledgerId, long epoch, long block, long totalEmission, long ownerEmission,
                           Instant receivedAt) {
    }

    /**
     * One point of a hotkey's earnings: the epochs {@code fromEpoch..toEpoch} (one epoch unless down-sampled), what
     * it earned in them and everything up to and including them.
     */
    public record EarningPoint(long fromEpoch, long toEpoch, long emission, long cumulative) {
    }

    /** A hotkey's earnings on one UTC day, and everything up to and including that day. */
    public record DayEarning(LocalDate day, long emission, long cumulative) {
    }

    /** Balance-style totals: today (UTC), the last 7 days (today included) and all time. */
    public record Totals(long today, long last7Days, long allTime) {
    }

    /** A submission's latest state. Nullable: studentPath, score, quality, p95Ms, sizeBytes, reason, epoch. */
    public record Submission(String id, String ledgerId, String validator, String hotkey, String modelSha256,
                             String studentPath, String state, Double score, Double quality, Double p95Ms,
                             Long sizeBytes, String reason, Long epoch, Instant createdAt, Instant updatedAt) {
    }

    /** One change of a submission's state. */
    public record SubmissionEvent(long id, String submissionId, String state, String reason, Long epoch,
                                  Instant at) {
    }

    private final Jdbi jdbi;

    NetworkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores an epoch and its shares in one transaction.
     *
     * @return true when stored, false when that ledger's epoch was already there (nothing changed)
     */
    public boolean putEpoch(Epoch e) {
        return jdbi.inTransaction(h -> {
            // the primary key makes a concurrent second insert fail rather than duplicate; this check makes the
            // usual case (a report seen again after a reconnect) a no-op instead of an error
            int present = h.createQuery("SELECT COUNT(*) FROM network_epochs WHERE ledger_id = :l AND epoch = :e")
                    .bind("l", e.ledgerId()).bind("e", e.epoch()).mapTo(Integer.class).one();
            if (present > 0) {
                return false;
            }
            Instant at = e.receivedAt().truncatedTo(ChronoUnit.MICROS);
            h.createUpdate("INSERT INTO network_epochs (ledger_id, epoch, block, total_emission, owner_emission, "
                            + "received_at) VALUES (:l, :e, :b, :t, :o, :at)")
                    .bind("l", e.ledgerId()).bind("e", e.epoch()).bind("b", e.block())
                    .bind("t", e.totalEmission()).bind("o", e.ownerEmission()).bind("at", utc(at)).execute();
            if (!e.shares().isEmpty()) {
                LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
                var batch = h.prepareBatch("INSERT INTO network_earnings (ledger_id, epoch, uid, hotkey, incentive, "
                        + "dividends, emission, earned_day) VALUES (:l, :e, :u, :k, :i, :d, :m, :day)");
                for (Share s : e.shares()) {
                    batch.bind("l", e.ledgerId()).bind("e", e.epoch()).bind("u", s.uid()).bind("k", s.hotkey())
                            .bind("i", s.incentive()).bind("d", s.dividends()).bind("m", s.emission())
                            .bind("day", day).add();
                }
                batch.execute();
            }
            return true;
        });
    }

    /** The newest epoch stored for the ledger, if any. */
    public OptionalLong lastEpoch(String ledgerId) {
        Long last = jdbi.withHandle(h -> h.createQuery("SELECT MAX(epoch) FROM network_epochs WHERE ledger_id = :l")
                .bind("l", ledgerId).mapTo(Long.class).one());
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    public long countEpochs(String ledgerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM network_epochs WHERE ledger_id = :l")
                .bind("l", ledgerId).mapTo(Long.class).one());
    }

    /** The ledger's stored epochs, oldest first. */
    public List<EpochRow> epochs(String ledgerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT ledger_id, epoch, block, total_emission, owner_emission, "
                        + "received_at FROM network_epochs WHERE ledger_id = :l ORDER BY epoch")
                .bind("l", ledgerId)
                .map((rs, ctx) -> new EpochRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list());
    }

    /** The ledger's {@code n} newest stored epochs, newest first. */
    public List<EpochRow> recentEpochs(String ledgerId, int n) {
        return jdbi.withHandle(h -> h.createQuery("SELECT ledger_id, epoch, block, total_emission, owner_emission, "
                        + "received_at FROM network_epochs WHERE ledger_id = :l ORDER BY epoch DESC LIMIT :n")
                .bind("l", ledgerId).bind("n", n)
                .map((rs, ctx) -> new EpochRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list());
    }

    /** The shares of one stored epoch, by UID. */
    public List<Share> shares(String ledgerId, long epoch) {
        return jdbi.withHandle(h -> h.createQuery("SELECT uid, hotkey, incentive, dividends, emission "
                        + "FROM network_earnings WHERE ledger_id = :l AND epoch = :e ORDER BY uid")
                .bind("l", ledgerId).bind("e", epoch)
                .map((rs, ctx) -> new Share(rs.getInt(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getLong(5)))
                .list());
    }

    /**
     * A hotkey's earnings, oldest first, in at most {@code maxPoints} points: one per epoch while the epochs fit,
     * otherwise the epochs grouped into equal ranges (the last one may be shorter) whose sums keep the total.
     * An epoch where the hotkey held a UID but earned nothing is a point of 0; epochs where it held none are absent.
     */
    public List<EarningPoint> earningsSeries(String ledgerId, String hotkey, int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be at least 1");
        }
        return jdbi.withHandle(h -> {
            var range = h.createQuery("SELECT MIN(epoch), MAX(epoch) FROM network_earnings "
                            + "WHERE ledger_id = :l AND hotkey = :k")
                    .bind("l", ledgerId).bind("k", hotkey)
                    .map((rs, ctx) -> rs.getObject(1) == null ? null : new long[] {rs.getLong(1), rs.getLong(2)})
                    .one();
            if (range == null) {
                return List.<EarningPoint>of();
            }
            long span = range[1] - range[0] + 1;
            long width = Math.max(1, (span + maxPoints - 1) / maxPoints);
            return h.createQuery("SELECT MIN(epoch), MAX(epoch), SUM(emission), SUM(SUM(emission)) OVER (ORDER BY b) "
                            + "FROM (SELECT (epoch - :first) / :w AS b, epoch, emission FROM network_earnings "
                            + "WHERE ledger_id = :l AND hotkey = :k) GROUP BY b ORDER BY b")
                    .bind("l", ledgerId).bind("k", hotkey).bind("first", range[0]).bind("w", width)
                    .map((rs, ctx) -> new EarningPoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .list();
        });
    }

    /** A hotkey's earnings per UTC day (days it earned in), oldest first, with the running total. */
    public List<DayEarning> earningsPerDay(String ledgerId, String hotkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT earned_day, SUM(emission), "
                        + "SUM(SUM(emission)) OVER (ORDER BY earned_day) "
                        + "FROM network_earnings WHERE ledger_id = :l AND hotkey = :k "
                        + "GROUP BY earned_day ORDER BY earned_day")
                .bind("l", ledgerId).bind("k", hotkey)
                .map((rs, ctx) -> new DayEarning(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3)))
                .list());
    }

    /** What a hotkey earned today, in the last 7 days (today included) and ever; {@code today} is a UTC date. */
    public Totals totals(String ledgerId, String hotkey, LocalDate today) {
        return jdbi.withHandle(h -> h.createQuery("SELECT "
                        + "COALESCE(SUM(CASE WHEN earned_day = :today THEN emission END), 0), "
                        + "COALESCE(SUM(CASE WHEN earned_day > :weekAgo AND earned_day <= :today THEN emission END), 0), "
                        + "COALESCE(SUM(emission), 0) "
                        + "FROM network_earnings WHERE ledger_id = :l AND hotkey = :k")
                .bind("l", ledgerId).bind("k", hotkey).bind("today", today).bind("weekAgo", today.minusDays(7))
                .map((rs, ctx) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .one());
    }

    /**
     * Creates or updates a submission (its latest state) and appends the state to its timeline, in one
     * transaction. The first write fixes {@code createdAt}; later ones keep it.
     */
    public void putSubmission(Submission s, Instant at) {
        Objects.requireNonNull(s.id(), "id");
        Objects.requireNonNull(s.state(), "state");
        Instant when = at.truncatedTo(ChronoUnit.MICROS);
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE submissions SET ledger_id = :l, validator = :v, hotkey = :k, "
                            + "model_sha256 = :sha, student_path = :path, state = :state, score = :score, "
                            + "quality = :q, p95_ms = :p95, size_bytes = :size, reason = :reason, epoch = :epoch, "
                            + "updated_at = :at WHERE submission_id = :id")
                    .bindMap(params(s, when)).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO submissions (submission_id, ledger_id, validator, hotkey, model_sha256, "
                                + "student_path, state, score, quality, p95_ms, size_bytes, reason, epoch, "
                                + "created_at, updated_at) VALUES (:id, :l, :v, :k, :sha, :path, :state, :score, :q, "
                                + ":p95, :size, :reason, :epoch, :at, :at)")
                        .bindMap(params(s, when)).execute();
            }
            appendEvent(h, s.id(), s.state(), s.reason(), s.epoch(), s.score(), when);
        });
    }

    private static java.util.Map<String, Object> params(Submission s, Instant at) {
        var m = new java.util.HashMap<String, Object>();
        m.put("id", s.id());
        m.put("l", s.ledgerId());
        m.put("v", s.validator());
        m.put("k", s.hotkey());
        m.put("sha", s.modelSha256());
        m.put("path", s.studentPath());
        m.put("state", s.state());
        m.put("score", s.score());
        m.put("q", s.quality());
        m.put("p95", s.p95Ms());
        m.put("size", s.sizeBytes());
        m.put("reason", truncate(s.reason()));
        m.put("epoch", s.epoch());
        m.put("at", utc(at));
        return m;
    }

    private static void appendEvent(Handle h, String id, String state, String reason, Long epoch, Double score,
                                    Instant at) {
        // score: the submission's score as of this event (V6), so its history can be charted
        h.createUpdate("INSERT INTO submission_events (submission_id, state, reason, epoch, event_at, score) "
                        + "VALUES (:id, :state, :reason, :epoch, :at, :score)")
                .bind("id", id).bind("state", state).bind("reason", truncate(reason))
                .bindByType("epoch", epoch, Long.class).bind("at", utc(at))
                .bindByType("score", score, Double.class).execute();
    }

    /** A hotkey's submissions on a ledger, newest first. */
    public List<Submission> submissions(String ledgerId, String hotkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT submission_id, ledger_id, validator, hotkey, model_sha256, "
                        + "student_path, state, score, quality, p95_ms, size_bytes, reason, epoch, created_at, "
                        + "updated_at FROM submissions WHERE ledger_id = :l AND hotkey = :k "
                        + "ORDER BY created_at DESC, submission_id")
                .bind("l", ledgerId).bind("k", hotkey)
                .map((rs, ctx) -> new Submission(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, Double.class),
                        rs.getObject(9, Double.class), rs.getObject(10, Double.class), rs.getObject(11, Long.class),
                        rs.getString(12), rs.getObject(13, Long.class),
                        rs.getObject(14, OffsetDateTime.class).toInstant(),
                        rs.getObject(15, OffsetDateTime.class).toInstant()))
                .list());
    }

    /** A submission's timeline, oldest first. */
    public List<SubmissionEvent> events(String submissionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, submission_id, state, reason, epoch, event_at "
                        + "FROM submission_events WHERE submission_id = :id ORDER BY id")
                .bind("id", submissionId)
                .map((rs, ctx) -> new SubmissionEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getObject(5, Long.class), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
    }
}
