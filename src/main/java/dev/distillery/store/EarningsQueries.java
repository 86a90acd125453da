package dev.distillery.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The Earnings screen's read-only queries over the V5/V6 network tables, beside {@link NetworkStore} (which
 * writes them): the latest epoch's share, score history per submitted model, incentive per epoch, and the raw rows
 * a benchmark compares against. Series are grouped and down-sampled in SQL so that a year of epochs reaches the UI
 * as a few hundred points.
 */
public final class EarningsQueries {
    /**
     * The ledger's newest stored epoch and the hotkey's share of it.
     *
     * @param incentive null when the hotkey held no UID in that epoch (its emission is then 0)
     */
    public record LatestEpoch(long epoch, Instant receivedAt, long emission, Double incentive) {
    }

    /**
     * A model's mean score over the epochs {@code fromEpoch..toEpoch} (one epoch unless down-sampled), from the
     * {@code count} scored events in that range, with their lowest and highest score.
     */
    public record ScorePoint(String modelSha256, long fromEpoch, long toEpoch, double score, double minScore,
                             double maxScore, int count) {
    }

    /** A hotkey's mean and highest incentive over the epochs {@code fromEpoch..toEpoch}. */
    public record IncentivePoint(long fromEpoch, long toEpoch, double incentive, double maxIncentive) {
    }

    /** One stored earnings row of a hotkey, as it is in the table. */
    public record RawEarning(long epoch, long emission) {
    }

    private final Jdbi jdbi;

    EarningsQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The ledger's newest epoch and what the hotkey got in it; empty while the ledger has no epoch stored. */
    public Optional<LatestEpoch> latest(String ledgerId, String hotkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT e.epoch, e.received_at, n.emission, n.incentive "
                        + "FROM network_epochs e LEFT JOIN network_earnings n "
                        + "ON n.ledger_id = e.ledger_id AND n.epoch = e.epoch AND n.hotkey = :k "
                        + "WHERE e.ledger_id = :l AND e.epoch = (SELECT MAX(epoch) FROM network_epochs WHERE ledger_id = :l)")
                .bind("l", ledgerId).bind("k", hotkey)
                .map((rs, ctx) -> new LatestEpoch(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getLong(3), rs.getObject(4, Double.class)))
                .findFirst());
    }

    /**
     * Score history of every model the hotkey submitted on the ledger, ordered by model then epoch: scored events
     * (those with a score and an epoch) grouped per model into at most {@code maxPoints} epoch ranges each. The
     * ranges are the same for all models (equal widths from the first scored epoch), so series line up.
     */
    public List<ScorePoint> scoreSeries(String ledgerId, String hotkey, int maxPoints) {
        requirePoints(maxPoints);
        String scored = "FROM submission_events e JOIN submissions s ON s.submission_id = e.submission_id "
                + "WHERE s.ledger_id = :l AND s.hotkey = :k AND e.score IS NOT NULL AND e.epoch IS NOT NULL";
        return jdbi.withHandle(h -> {
            long[] range = range(h, "SELECT MIN(e.epoch), MAX(e.epoch) " + scored, ledgerId, hotkey);
            if (range == null) {
                return List.<ScorePoint>of();
            }
            long width = width(range, maxPoints);
            return h.createQuery("SELECT s.model_sha256, MIN(e.epoch), MAX(e.epoch), AVG(e.score), MIN(e.score), "
                            + "MAX(e.score), COUNT(*) " + scored
                            + " GROUP BY s.model_sha256, (e.epoch - :first) / :w "
                            + "ORDER BY s.model_sha256, MIN(e.epoch)")
                    .bind("l", ledgerId).bind("k", hotkey).bind("first", range[0]).bind("w", width)
                    .map((rs, ctx) -> new ScorePoint(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), rs.getInt(7)))
                    .list();
        });
    }

    /**
     * The hotkey's incentive per epoch on the ledger, oldest first, in at most {@code maxPoints} equal epoch ranges
     * (the same ranges {@link NetworkStore#earningsSeries} uses), each with its mean and highest incentive.
     */
    public List<IncentivePoint> incentiveSeries(String ledgerId, String hotkey, int maxPoints) {
        return epochSeries(ledgerId, hotkey, maxPoints).stream()
                .map(p -> new IncentivePoint(p.fromEpoch(), p.toEpoch(), p.incentive(), p.maxIncentive())).toList();
    }

    /**
     * One point of a hotkey's per-epoch chart: the epochs {@code fromEpoch..toEpoch} (same ranges as
     * {@link NetworkStore#earningsSeries}), what it earned in them and up to them, and its mean and highest incentive.
     */
    public record EpochPoint(long fromEpoch, long toEpoch, long emission, long cumulative, double incentive,
                             double maxIncentive) {
    }

    /**
     * Earnings and incentive per epoch range in one grouped read of the (ledger, hotkey, epoch, emission, incentive)
     * index; the running total is added up over the at most {@code maxPoints} groups.
     */
    public List<EpochPoint> epochSeries(String ledgerId, String hotkey, int maxPoints) {
        requirePoints(maxPoints);
        return jdbi.withHandle(h -> {
            long[] range = range(h, "SELECT MIN(epoch), MAX(epoch) FROM network_earnings "
                    + "WHERE ledger_id = :l AND hotkey = :k", ledgerId, hotkey);
            if (range == null) {
                return List.<EpochPoint>of();
            }
            long[] total = {0};
            return h.createQuery("SELECT MIN(epoch), MAX(epoch), SUM(emission), AVG(incentive), MAX(incentive) "
                            + "FROM network_earnings WHERE ledger_id = :l AND hotkey = :k "
                            + "GROUP BY (epoch - :first) / :w ORDER BY MIN(epoch)")
                    .bind("l", ledgerId).bind("k", hotkey).bind("first", range[0]).bind("w", width(range, maxPoints))
                    .map((rs, ctx) -> {
                        total[0] += rs.getLong(3);
                        return new EpochPoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), total[0], rs.getDouble(4),
                                rs.getDouble(5));
                    })
                    .list();
        });
    }

    /**
     * The hotkey's earnings per UTC day over the {@code days} days ending {@code today}, or, when it earned nothing
     * in them, the {@code days} days ending on the last day it earned; days without earnings are absent.
     */
    public List<NetworkStore.DayEarning> recentDays(String ledgerId, String hotkey, java.time.LocalDate today,
                                                    int days) {
        return jdbi.withHandle(h -> {
            java.time.LocalDate last = h.createQuery("SELECT MAX(earned_day) FROM network_earnings "
                            + "WHERE ledger_id = :l AND hotkey = :k")
                    .bind("l", ledgerId).bind("k", hotkey).mapTo(java.time.LocalDate.class).one();
            if (last == null) {
                return List.<NetworkStore.DayEarning>of();
            }
            java.time.LocalDate end = last.isAfter(today.minusDays(days)) && !last.isAfter(today) ? today : last;
            long[] total = {0};
            return h.createQuery("SELECT earned_day, SUM(emission) FROM network_earnings "
                            + "WHERE ledger_id = :l AND hotkey = :k AND earned_day > :from AND earned_day <= :end "
                            + "GROUP BY earned_day ORDER BY earned_day")
                    .bind("l", ledgerId).bind("k", hotkey).bind("from", end.minusDays(days)).bind("end", end)
                    .map((rs, ctx) -> {
                        total[0] += rs.getLong(2);
                        return new NetworkStore.DayEarning(rs.getObject(1, java.time.LocalDate.class), rs.getLong(2),
                                total[0]);
                    })
                    .list();
        });
    }

    /** Every earnings row of the hotkey on the ledger, by epoch: a plain indexed read, the benchmarks' baseline. */
    public List<RawEarning> rawEarnings(String ledgerId, String hotkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT epoch, emission FROM network_earnings "
                        + "WHERE ledger_id = :l AND hotkey = :k ORDER BY epoch")
                .bind("l", ledgerId).bind("k", hotkey)
                .map((rs, ctx) -> new RawEarning(rs.getLong(1), rs.getLong(2)))
                .list());
    }

    private static long[] range(Handle h, String sql, String ledgerId, String hotkey) {
        return h.createQuery(sql).bind("l", ledgerId).bind("k", hotkey)
                .map((rs, ctx) -> rs.getObject(1) == null ? null : new long[] {rs.getLong(1), rs.getLong(2)})
                .one();
    }

    private static long width(long[] range, int maxPoints) {
        long span = range[1] - range[0] + 1;
        return Math.max(1, (span + maxPoints - 1) / maxPoints);
    }

    private static void requirePoints(int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be at least 1");
        }
    }
}
