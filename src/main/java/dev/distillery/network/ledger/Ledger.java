package dev.distillery.network.ledger;

import dev.distillery.network.yuma.Yuma;
import dev.distillery.network.yuma.YumaResult;
import dev.distillery.network.yuma.YumaState;
import dev.distillery.store.LedgerStore;
import dev.distillery.store.LedgerStore.NeuronRow;
import dev.distillery.teacher.library.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subnet's rules over its {@link LedgerStore} (DESIGN.md §4): registration into at most {@code maxUids} UIDs
 * with immunity and pruning, commitments (the earliest commit of a hash owns it), weights, and an epoch every
 * {@code tempo} blocks: Yuma consensus, then the emission credited to hotkey balances. Synchronized: one ledger,
 * one writer.
 */
public final class Ledger {
    /**
     * @param tempo              blocks per epoch (devnet 30)
     * @param maxUids            UIDs per subnet (256)
     * @param immunityPeriod     blocks a new UID cannot be pruned
     * @param maxValidators      validator permits go to the top stakes (64)
     * @param emissionPerBlock   tokens per block (devnet 1)
     * @param ownerHotkey        receives the owner's cut
     */
    public record Config(long tempo, int maxUids, long immunityPeriod, int maxValidators, long activityCutoff,
                         double kappa, double bondsAlpha, double bondsPenalty, double emissionPerBlock,
                         double ownerCut, String ownerHotkey) {
        public static Config devnet(String ownerHotkey) {
            return new Config(30, 256, 100, 64, 5000, 0.5, 0.1, 1.0, 1.0, 0.18, ownerHotkey);
        }
    }

    private final LedgerStore store;
    private final Config config;

    public Ledger(LedgerStore store, Config config) {
        this.store = store;
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public synchronized long block() {
        return store.meta().block();
    }

    /**
     * Registers a hotkey (devnet: free) and returns its UID; an existing hotkey keeps its UID. When every UID is
     * taken, the non-immune neuron with the lowest emission (the oldest on a tie) is pruned and its UID reused.
     *
     * @throws IllegalStateException when the subnet is full and every neuron is still immune
     */
    public synchronized int register(String hotkey, String coldkey, double stake) {
        var existing = store.neuron(hotkey);
        if (existing.isPresent()) {
            return existing.get().uid();
        }
        long block = block();
        List<NeuronRow> all = store.neurons();
        int uid;
        if (all.size() < config.maxUids()) {
            boolean[] used = new boolean[config.maxUids()];
            all.forEach(n -> used[n.uid()] = true);
            uid = 0;
            while (used[uid]) {
                uid++;
            }
        } else {
            uid = all.stream().filter(n -> n.registeredAt() + config.immunityPeriod() < block)
                    .min(Comparator.comparingDouble(NeuronRow::emission).thenComparingLong(NeuronRow::registeredAt))
                    .map(NeuronRow::uid)
                    .orElseThrow(() -> new IllegalStateException("The subnet is full (" + config.maxUids()
                            + " UIDs) and every neuron is still immune; try again in a few blocks"));
        }
        store.putNeuron(new NeuronRow(uid, hotkey, coldkey, stake, block, block, false, 0, 0, 0, 0, 0));
        refreshPermits();
        return uid;
    }

    /** Validator permits: the {@code maxValidators} largest stakes (stake > 0). */
    private void refreshPermits() {
        List<NeuronRow> all = store.neurons();
        List<NeuronRow> byStake = new ArrayList<>(all);
        byStake.sort(Comparator.comparingDouble(NeuronRow::stake).reversed().thenComparingInt(NeuronRow::uid));
        Map<Integer, Boolean> permits = new HashMap<>();
        for (int i = 0; i < byStake.size(); i++) {
            NeuronRow n = byStake.get(i);
            permits.put(n.uid(), i < config.maxValidators() && n.stake() > 0);
        }
        store.setPermits(permits);
    }

    /** Commits a model hash for a registered hotkey; returns the UID that owns the hash (the earliest commit). */
    public synchronized int commit(String hotkey, String sha256) {
        NeuronRow n = store.neuron(hotkey).orElseThrow(() -> new IllegalArgumentException(hotkey + " is not registered"));
        return store.commit(sha256, n.uid(), hotkey, block());
    }

    /** Sets a permitted validator's weights over UIDs (normalized by Yuma later). */
    public synchronized void setWeights(String hotkey, Map<Integer, Double> weights) {
        NeuronRow n = store.neuron(hotkey).orElseThrow(() -> new IllegalArgumentException(hotkey + " is not registered"));
        if (!n.validatorPermit()) {
            throw new IllegalArgumentException(hotkey + " has no validator permit (stake " + n.stake() + ")");
        }
        for (var e : weights.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= config.maxUids() || !(e.getValue() >= 0)) {
                throw new IllegalArgumentException("bad weight " + e.getKey() + " = " + e.getValue());
            }
        }
        store.setWeights(n.uid(), weights, block());
    }

    /** Moves the chain to {@code target}, running every epoch on the way (each in its own transaction). */
    public synchronized void advanceTo(long target) {
        advanceTo(target, null);
    }

    synchronized void advanceTo(long target, Runnable beforeEpochCommit) {
        long block = block();
        while (block < target) {
            long next = (block / config.tempo() + 1) * config.tempo();
            if (next > target) {
                store.setBlock(target);
                return;
            }
            runEpoch(next, beforeEpochCommit);
            block = next;
        }
    }

    private void runEpoch(long block, Runnable beforeCommit) {
        List<NeuronRow> neurons = store.neurons();
        int n = neurons.stream().mapToInt(NeuronRow::uid).max().orElse(-1) + 1;
        double[] stake = new double[n];
        boolean[] permit = new boolean[n];
        long[] last = new long[n];
        long[] registered = new long[n];
        java.util.Arrays.fill(registered, block); // empty UIDs: treat as just registered (no weight, no bonds)
        String[] hotkeys = new String[n];
        for (NeuronRow r : neurons) {
            stake[r.uid()] = r.stake();
            permit[r.uid()] = r.validatorPermit();
            last[r.uid()] = r.lastUpdate();
            registered[r.uid()] = r.registeredAt();
            hotkeys[r.uid()] = r.hotkey();
        }
        double emission = config.emissionPerBlock() * config.tempo();
        long emissionRao = Math.round(emission * RAO);
        YumaResult y = Yuma.epoch(new YumaState(block, config.tempo(), config.activityCutoff(), config.kappa(),
                config.bondsAlpha(), config.bondsPenalty(), emission, config.ownerCut(), stake, permit, last,
                registered, store.weights(n), store.bonds(n)));
        // Yuma's shares (tokens, doubles) → whole rao by largest remainder, so the epoch pays out exactly its
        // emission; the owner takes the 18 % cut plus whatever Yuma could not assign (no stake anywhere).
        long[] rao = toRao(y, emissionRao, n, emission);
        List<NeuronRow> updated = new ArrayList<>();
        Map<String, Long> credits = new LinkedHashMap<>();
        long credited = 0;
        for (NeuronRow r : neurons) {
            int u = r.uid();
            updated.add(new NeuronRow(u, r.hotkey(), r.coldkey(), r.stake(), r.registeredAt(), r.lastUpdate(),
                    r.validatorPermit(), y.consensus()[u], y.validatorTrust()[u], y.incentive()[u], y.dividends()[u],
                    rao[u]));
            if (rao[u] > 0) {
                credits.merge(r.hotkey(), rao[u], Long::sum);
                credited += rao[u];
            }
        }
        long owner = emissionRao - credited;
        credits.merge(config.ownerHotkey(), owner, Long::sum);
        long epoch = store.meta().epoch() + 1;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("epoch", epoch);
        report.put("block", block);
        report.put("emission", emission);
        report.put("owner_rao", owner);
        report.put("emission_rao", emissionRao);
        report.put("payouts_rao", rao);
        report.put("incentive", y.incentive());
        report.put("dividends", y.dividends());
        report.put("hotkeys", hotkeys);
        store.applyEpoch(new LedgerStore.EpochUpdate(epoch, block, updated, y.bonds(), credits, emissionRao,
                Json.write(report)), beforeCommit);
    }

    /** rao per token. */
    public static final long RAO = 1_000_000_000L;

    /**
     * Per-UID payouts (miner + validator) in whole rao: floors of the exact shares, then the leftover rao (at most
     * n) to the largest remainders, never more in total than the non-owner part of the emission.
     */
    static long[] toRao(YumaResult y, long emissionRao, int n, double emission) {
        long[] out = new long[n];
        double[] frac = new double[n];
        long sum = 0;
        double exactTotal = 0;
        for (int u = 0; u < n; u++) {
            double tokens = y.minerEmission()[u] + y.validatorEmission()[u];
            double exact = emission > 0 ? tokens / emission * emissionRao : 0;
            out[u] = (long) Math.floor(exact);
            frac[u] = exact - out[u];
            sum += out[u];
            exactTotal += exact;
        }
        long target = Math.min(Math.round(exactTotal), emissionRao);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(frac[b], frac[a]));
        for (int k = 0; k < n && sum < target; k++) {
            out[order[k]]++;
            sum++;
        }
        return out;
    }
}
