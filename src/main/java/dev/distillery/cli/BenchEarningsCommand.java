package dev.distillery.cli;

import dev.distillery.store.Database;
import dev.distillery.store.NetworkStore;
import dev.distillery.ui.earnings.EarningsCharts;
import dev.distillery.ui.earnings.EarningsData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distillery bench earnings}: the Earnings screen's first paint over a large history. Fills a fresh H2 in a
 * temporary folder with network_earnings rows (epochs × UIDs, the user's hotkey at one UID) through the same
 * {@code putEpoch} the epoch follower uses, then times what the screen does: the SQL sums and down-sampling plus
 * the chart points ({@link EarningsData#load}, {@link EarningsCharts#prepare}), and, when a JavaFX toolkit starts,
 * the charts' CSS, layout and {@code snapshot()}. Baseline: a plain indexed SELECT of the user's raw rows, same
 * process, same database.
 */
@Command(name = "earnings", description = {"First paint of the Earnings charts over a large history (default 1M",
    "earnings rows) against a plain indexed SELECT of the user's rows; the paint is measured only when a JavaFX",
    "toolkit can start (a display, e.g. xvfb-run). Goal: under 300 ms."})
final class BenchEarningsCommand implements Callable<Integer> {
    static final String LEDGER = "bench.invalid:7100";
    static final String ME = "5BenchEarningsUserHotkey00000000000000000000000";

    @Spec
    CommandSpec spec;
    @Option(names = "--rows", defaultValue = "1000000", description = "network_earnings rows (default ${DEFAULT-VALUE})")
    long rows;
    @Option(names = "--uids", defaultValue = "256", description = "UIDs per epoch (default ${DEFAULT-VALUE})")
    int uids;
    @Option(names = "--runs", defaultValue = "9", description = "Warm runs after the cold one (default ${DEFAULT-VALUE})")
    int runs;
    @Option(names = "--no-paint", description = "Do not start JavaFX even if a display is there")
    boolean noPaint;
    @Option(names = "--write", paramLabel = "FILE", description = "Also rewrite the earnings section of this Markdown file")
    Path write;

    /** Cold (first) and p50 of the warm runs, in ms. */
    record Timing(double coldMs, double p50Ms) {
        static Timing of(double[] ms) {
            double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(warm);
            return new Timing(ms[0], warm.length == 0 ? ms[0] : warm[warm.length / 2]);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || uids < 2 || uids > 4096 || runs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "need --rows ≥ 1, 2 ≤ --uids ≤ 4096 and --runs ≥ 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        String load = BenchCommand.loadAverage();
        out.println("load average: " + load);
        Path scratch = Files.createTempDirectory("distillery-bench-earnings");
        int myUid = uids / 6;
        try (Database db = Database.open(scratch.resolve("bench"))) {
            long t0 = System.nanoTime();
            long[] filled = fill(db.network(), myUid, out);
            double fillS = (System.nanoTime() - t0) / 1e9;
            long epochs = filled[0];
            long stored = filled[1];
            out.printf(Locale.ROOT, "Filled %,d earnings rows (%,d epochs × %d UIDs, %,d of them the user's) and %,d "
                    + "scored submissions in %.1f s%n", stored, epochs, uids, filled[2], filled[3], fillS);
            out.flush();

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            var queries = db.earnings();
            int total = runs + 1;
            double[] base = new double[total];
            double[] data = new double[total];
            EarningsCharts.Prepared prepared = null;
            int rawRows = 0;
            // alternate baseline and measured so that load drift hits both alike; run 0 of each is the cold one
            for (int i = 0; i < total; i++) {
                long a = System.nanoTime();
                rawRows = queries.rawEarnings(LEDGER, ME).size();
                base[i] = ms(a);
                long b = System.nanoTime();
                EarningsData d = EarningsData.load(db, LEDGER, ME, today);
                prepared = EarningsCharts.prepare(d, EarningsCharts.Unit.TOKENS);
                data[i] = ms(b);
            }
            Timing baseline = Timing.of(base);
            Timing sql = Timing.of(data);
            out.printf(Locale.ROOT, "baseline: SELECT of the user's %,d raw rows: cold %.1f ms, p50 %.1f ms%n", rawRows,
                    baseline.coldMs(), baseline.p50Ms());
            out.printf(Locale.ROOT, "data: SQL sums + down-sampling + %d chart points: cold %.1f ms, p50 %.1f ms "
                    + "(%.2f× baseline)%n", prepared.pointCount(), sql.coldMs(), sql.p50Ms(), sql.p50Ms() / baseline.p50Ms());

            String why = noPaint ? "--no-paint given" : FxPaint.unavailable();
            Timing paint = null;
            if (why == null) {
                try {
                    paint = FxPaint.measure(db, today, total);
                } catch (RuntimeException | Error e) {
                    why = "the JavaFX toolkit did not start (" + e + ")";
                }
            }
            String measured;
            String row;
            if (paint != null) {
                double firstCold = sql.coldMs() + paint.coldMs();
                double firstWarm = sql.p50Ms() + paint.p50Ms();
                out.printf(Locale.ROOT, "paint: charts' CSS + layout + snapshot() at 1280×800: cold %.1f ms, p50 %.1f ms "
                        + "(snapshot() alone: cold %.1f ms, p50 %.1f ms)%n", paint.coldMs(), paint.p50Ms(),
                        FxPaint.snapshot.coldMs(), FxPaint.snapshot.p50Ms());
                out.printf(Locale.ROOT, "first paint (data + paint): cold %.1f ms, p50 %.1f ms = %.2f× baseline; goal "
                        + "< 300 ms: %s%n", firstCold, firstWarm, firstWarm / baseline.p50Ms(),
                        firstCold < 300 ? "met (cold)" : firstWarm < 300 ? "met warm, not cold" : "not met");
                measured = "Measured: data (SQL + down-sampling + chart points) and paint (JavaFX " 
                        + System.getProperty("javafx.runtime.version", "?") + " CSS, layout and `snapshot()` of the four "
                        + "chart cards at 1280×800 on DISPLAY " + System.getenv("DISPLAY") + ").";
                row = String.format(Locale.ROOT, "| %,d | %,d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | "
                                + "%.2f× | %s |", stored, rawRows, baseline.coldMs(), baseline.p50Ms(), sql.coldMs(),
                        sql.p50Ms(), paint.coldMs(), paint.p50Ms(), firstCold, firstWarm, firstWarm / baseline.p50Ms(),
                        firstCold < 300 ? "yes" : firstWarm < 300 ? "warm only" : "no");
            } else {
                out.println("paint: not measured: " + why + ". Figures above are the data part of the first paint only.");
                measured = "Measured: data only (SQL + down-sampling + chart points); the paint was not measured: " + why
                        + ".";
                row = String.format(Locale.ROOT, "| %,d | %,d | %.1f / %.1f | %.1f / %.1f | not measured | %.1f / %.1f "
                                + "(data only) | %.2f× | %s |", stored, rawRows, baseline.coldMs(), baseline.p50Ms(),
                        sql.coldMs(), sql.p50Ms(), sql.coldMs(), sql.p50Ms(), sql.p50Ms() / baseline.p50Ms(),
                        sql.coldMs() < 300 ? "data part yes" : "no");
            }
            out.println(row);
            if (write != null) {
                BenchCommand.writeSection(write, "earnings", "Earnings chart first paint", "Measured " + LocalDate.now()
                        + " by `distillery bench earnings` on " + Runtime.getRuntime().availableProcessors()
                        + " cores (load average before the run: " + load + "): a fresh H2 file with " + String.format(Locale.ROOT, "%,d", stored)
                        + " `network_earnings` rows (" + String.format(Locale.ROOT, "%,d", epochs) + " epochs × " + uids
                        + " UIDs, stored by `putEpoch` as the epoch follower does, one epoch each 72 min ending now) and "
                        + String.format(Locale.ROOT, "%,d", filled[3]) + " scored submissions of the user's hotkey; "
                        + "the screen's reads are what `EarningsView` runs (totals, latest epoch, per-epoch series "
                        + "down-sampled to " + EarningsData.MAX_POINTS + " points, per day, score and incentive "
                        + "series) plus building the chart points. " + measured + " Times are cold (first run in "
                        + "the process) / p50 of " + runs + " warm runs, in ms. Baseline: a plain indexed `SELECT "
                        + "epoch, emission` of the user's raw rows on the same database, same process; ratio = "
                        + "first paint p50 / baseline p50. Goal: first paint under 300 ms.\n\n"
                        + "| rows | user's rows | baseline ms | data ms | paint ms | first paint ms | ratio | "
                        + "< 300 ms |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n" + row + "\n");
                out.println("wrote the earnings section of " + write);
            }
            out.flush();
        } finally {
            dev.distillery.core.Folders.deleteTree(scratch);
        }
        return 0;
    }

    /** Stores the epochs; returns {epochs, rows, the user's rows, scored submissions}. */
    private long[] fill(NetworkStore store, int myUid, PrintWriter out) {
        long epochs = (rows + uids - 1) / uids;
        Random rnd = new Random(42);
        String[] hotkeys = new String[uids];
        for (int u = 0; u < uids; u++) {
            hotkeys[u] = u == myUid ? ME : String.format(Locale.ROOT, "5BenchOtherHotkey%030d", u);
        }
        Instant end = Instant.now();
        long stored = 0;
        long mine = 0;
        long scored = 0;
        String[] models = {"7e".repeat(32), "c3".repeat(32), "a9".repeat(32)};
        long lastReport = System.nanoTime();
        for (long e = 1; e <= epochs; e++) {
            int n = (int) Math.min(uids, rows - stored);
            Instant at = end.minus(Duration.ofMinutes(72 * (epochs - e)));
            List<NetworkStore.Share> shares = new ArrayList<>(n);
            for (int u = 0; u < n; u++) {
                double incentive = u == myUid ? 0.004 + 0.004 * Math.sin(e / 300.0) * Math.sin(e / 300.0)
                        : rnd.nextDouble() / uids;
                long emission = (long) (incentive * 41e9 * (0.8 + 0.4 * rnd.nextDouble()));
                shares.add(new NetworkStore.Share(u, hotkeys[u], incentive, 0, emission));
                mine += u == myUid ? 1 : 0;
            }
            store.putEpoch(new NetworkStore.Epoch(LEDGER, e, e * 360, 41_000_000_000L, 0, at, shares));
            stored += n;
            if (e % 25 == 0) {
                String sha = models[(int) Math.min(models.length - 1, e * models.length / (epochs + 1))];
                double score = 0.5 + 0.3 * Math.sin(e / 400.0) + 0.05 * rnd.nextDouble();
                store.putSubmission(new NetworkStore.Submission("bench-" + e, LEDGER, "10.0.0.9:7200", ME, sha, null,
                        "SCORED", score, null, null, null, null, e, null, null), at);
                scored++;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf(Locale.ROOT, "  filling: %,d of %,d epochs%n", e, epochs);
                out.flush();
                lastReport = System.nanoTime();
            }
        }
        return new long[] {epochs, stored, mine, scored};
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    /** The JavaFX part, apart so that the command loads no JavaFX class when there is no display. */
    static final class FxPaint {
        private static final double[] SNAPSHOT_MS = new double[1];
        /** The snapshot() part of the last {@link #measure}. */
        static Timing snapshot;

        private FxPaint() {
        }

        /** Why the paint cannot be measured here, or null when a toolkit should start. */
        static String unavailable() {
            boolean monocle = "Monocle".equalsIgnoreCase(System.getProperty("glass.platform"));
            String display = System.getenv("DISPLAY");
            if (!monocle && (display == null || display.isBlank())
                    && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return "no display (DISPLAY is not set; run it under xvfb-run to measure the paint)";
            }
            return null;
        }

        /** Each run: fresh charts (a first paint), data shown, CSS, layout and a snapshot; on the FX thread. */
        static Timing measure(Database db, LocalDate today, int total) throws Exception {
            CompletableFuture<Void> started = new CompletableFuture<>();
            javafx.application.Platform.setImplicitExit(false);
            try {
                javafx.application.Platform.startup(() -> started.complete(null));
            } catch (IllegalStateException alreadyRunning) {
                started.complete(null);
            }
            started.get(30, TimeUnit.SECONDS);
            double[] paint = new double[total];
            double[] snap = new double[total];
            try {
                for (int i = 0; i < total; i++) {
                    // the data part is timed apart: load it off the FX thread, as the screen does
                    EarningsCharts.Prepared p = EarningsCharts.prepare(
                            EarningsData.load(db, LEDGER, ME, today), EarningsCharts.Unit.TOKENS);
                    paint[i] = onFx(() -> {
                        long a = System.nanoTime();
                        EarningsCharts charts = new EarningsCharts();
                        var root = new javafx.scene.layout.StackPane(charts.pane());
                        root.setStyle("-fx-padding: 16;");
                        var scene = new javafx.scene.Scene(root, 1280, 800);
                        scene.getStylesheets().addAll(
                                css("/dev/distillery/ui/app.css"), css("/dev/distillery/ui/earnings/earnings.css"));
                        charts.show(p);
                        root.applyCss();
                        root.layout();
                        long b = System.nanoTime();
                        var image = root.snapshot(new javafx.scene.SnapshotParameters(), null);
                        if (image.getWidth() < 1) {
                            throw new IllegalStateException("empty snapshot");
                        }
                        SNAPSHOT_MS[0] = ms(b);
                        return ms(a);
                    });
                    snap[i] = SNAPSHOT_MS[0];
                }
            } finally {
                javafx.application.Platform.exit();
            }
            snapshot = Timing.of(snap);
            return Timing.of(paint);
        }

        private static String css(String path) {
            return Objects.requireNonNull(FxPaint.class.getResource(path), path).toExternalForm();
        }

        private static double onFx(Supplier<Double> work) throws Exception {
            CompletableFuture<Double> f = new CompletableFuture<>();
            javafx.application.Platform.runLater(() -> {
                try {
                    f.complete(work.get());
                } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(60, TimeUnit.SECONDS);
        }
    }
}
