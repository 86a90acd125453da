package dev.distillery.ui.earnings;

import dev.distillery.store.Database;
import dev.distillery.store.EarningsQueries;
import dev.distillery.store.NetworkStore;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Earnings screen shows for one hotkey on one ledger, read in one go off the FX thread. Series come
 * down-sampled from SQL to at most {@link #MAX_POINTS} points, so a year of epochs stays cheap to draw.
 */
public record EarningsData(String ledgerId, String hotkey, LocalDate today, NetworkStore.Totals totals,
                           Optional<EarningsQueries.LatestEpoch> latest, List<NetworkStore.EarningPoint> perEpoch,
                           List<NetworkStore.DayEarning> perDay, List<EarningsQueries.ScorePoint> scores,
                           List<EarningsQueries.IncentivePoint> incentive) {
    /** Points per epoch-axis series: about one per 3 px of a chart at full width. */
    public static final int MAX_POINTS = 240;

    /** Reads the hotkey's rows (several queries; call off the FX thread). {@code today} is a UTC date. */
    public static EarningsData load(Database db, String ledgerId, String hotkey, LocalDate today) {
        NetworkStore net = db.network();
        EarningsQueries q = db.earnings();
        List<EarningsQueries.EpochPoint> epochs = q.epochSeries(ledgerId, hotkey, MAX_POINTS);
        return new EarningsData(ledgerId, hotkey, today, net.totals(ledgerId, hotkey, today), q.latest(ledgerId, hotkey),
                epochs.stream().map(p -> new NetworkStore.EarningPoint(p.fromEpoch(), p.toEpoch(), p.emission(),
                        p.cumulative())).toList(),
                q.recentDays(ledgerId, hotkey, today, EarningsCharts.DAYS),
                q.scoreSeries(ledgerId, hotkey, MAX_POINTS / 2),
                epochs.stream().map(p -> new EarningsQueries.IncentivePoint(p.fromEpoch(), p.toEpoch(), p.incentive(),
                        p.maxIncentive())).toList());
    }

    /** True when nothing at all is stored for the hotkey (no earnings rows, no scored submission). */
    public boolean isEmpty() {
        return perEpoch.isEmpty() && scores.isEmpty() && incentive.isEmpty();
    }
}
