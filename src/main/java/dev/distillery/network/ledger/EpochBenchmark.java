package dev.distillery.network.ledger;

import dev.distillery.network.yuma.Yuma;
import dev.distillery.network.yuma.YumaState;
import dev.distillery.store.Database;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Epoch time of a full subnet: Yuma alone, and the ledger's whole epoch (read state from H2, Yuma, write neurons,
 * bonds, balances and the epoch in one transaction), against a baseline measured in the same process: a plain
 * n×n·n matrix product in Java, the core arithmetic an epoch repeats.
 */
public final class EpochBenchmark {
    /** Milliseconds, p50 over the runs. */
    public record Result(int uids, int validators, int runs, double yumaMs, double ledgerEpochMs, double baselineMs) {
    }

    private EpochBenchmark() {
    }

    public static Result measure(int uids, int validators, int runs, Path scratch) {
        Random r = new Random(7);
        double[] stake = new double[uids];
        boolean[] permit = new boolean[uids];
        long[] last = new long[uids];
        double[][] w = new double[uids][uids];
        for (int i = 0; i < validators; i++) {
            stake[i] = 1 + r.nextInt(1000);
            permit[i] = true;
            for (int j = validators; j < uids; j++) {
                w[i][j] = r.nextDouble();
            }
        }
        Arrays.fill(last, 1000);
        YumaState state = new YumaState(1000, 30, 5000, 0.5, 0.1, 1, 30, 0.18, stake, permit, last, new long[uids], w,
                null);
        double[] yuma = new double[runs];
        double[] base = new double[runs];
        for (int k = -3; k < runs; k++) { // 3 warm-up runs
            long t0 = System.nanoTime();
            Yuma.epoch(state);
            long t1 = System.nanoTime();
            baseline(w);
            long t2 = System.nanoTime();
            if (k >= 0) {
                yuma[k] = (t1 - t0) / 1e6;
                base[k] = (t2 - t1) / 1e6;
            }
        }
        double[] ledger = new double[Math.max(3, runs / 5)];
        try (Database db = Database.openLedger(scratch.resolve("bench-ledger"))) {
            Ledger l = new Ledger(db.ledger(), new Ledger.Config(30, uids, 5, validators, 5000, 0.5, 0.1, 1, 1, 0.18,
                    "owner"));
            for (int i = 0; i < uids; i++) {
                l.register("hk" + i, "ck", i < validators ? stake[i] : 0);
            }
            l.advanceTo(31);
            for (int i = 0; i < validators; i++) {
                Map<Integer, Double> row = new HashMap<>();
                for (int j = validators; j < uids; j++) {
                    row.put(j, w[i][j]);
                }
                l.setWeights("hk" + i, row);
            }
            for (int k = -1; k < ledger.length; k++) {
                long target = l.block() + 30 - l.block() % 30;
                long t0 = System.nanoTime();
                l.advanceTo(target);
                if (k >= 0) {
                    ledger[k] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return new Result(uids, validators, runs, p50(yuma), p50(ledger), p50(base));
    }

    /** C = W·W (n³ multiply-adds); the result is consumed so it cannot be optimised away. */
    static double baseline(double[][] w) {
        int n = w.length;
        double sink = 0;
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < n; k++) {
                double a = w[i][k];
                double[] wk = w[k];
                for (int j = 0; j < n; j++) {
                    row[j] += a * wk[j];
                }
            }
            sink += row[i % n];
        }
        return sink;
    }

    static double p50(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
