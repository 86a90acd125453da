package dev.distillery.network.ledger;

import dev.distillery.network.score.Challenge;
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
import java.util.Objects;
import java.util.Optional;

/**
 * The subnet's rules over its {@link LedgerStore} (DESIGN.md §4): registration into at most {@code maxUids} UIDs
 * with immunity and pruning, commitments (the earliest commit of a hash owns it), weights, and an epoch every
 * {@code tempo} blocks: Yuma consensus, then the emission credited to hotkey balances; and the challenge's versions
 * (a genesis version, then the subnet owner's changes, each in force from the epoch after its announcement).
 * Epochs are numbered from 1: the store's epoch is the last completed one, the one in progress is the next.
 * Synchronized: one ledger, one writer.
 */
public final class Ledger {
    /**
     * @param tempo              blocks per epoch (devnet 30)
     * @param maxUids            UIDs per subnet (256)
     * @param immunityPeriod     blocks a new UID cannot be pruned
     * @param maxValidators      validator permits go to the top stakes (64)
     * @param emissionPerBlock   tokens per block (devnet 1)
     * @param ownerHotkey        receives the owner's cut; the only hotkey that may change the challenge (SS58)
     * @param genesis            the challenge the ledger is created with (version 1); a ledger that already has a
     *                           version 1 keeps its own
     */
    public record Config(long tempo, int maxUids, long immunityPeriod, int maxValidators, long activityCutoff,
                         double kappa, double bondsAlpha, double bondsPenalty, double emissionPerBlock,
                         double ownerCut, String ownerHotkey, Challenge genesis) {
        public Config {
            Objects.requireNonNull(genesis, "genesis");
        }

        /** A configuration whose genesis challenge is {@link Challenge#devnetDefault()}. */
        public Config(long tempo, int maxUids, long immunityPeriod, int maxValidators, long activityCutoff,
                      double kappa, double bondsAlpha, double bondsPenalty, double emissionPerBlock,
                      double ownerCut, String ownerHotkey) {
            this(tempo, maxUids, immunityPeriod, maxValidators, activityCutoff, kappa, bondsAlpha, bondsPenalty,
                    emissionPerBlock, ownerCut, ownerHotkey, Challenge.devnetDefault());
        }

        public static Config devnet(String ownerHotkey) {
            return new Config(30, 256, 100, 64, 5000, 0.5, 0.1, 1.0, 1.0, 0.18, ownerHotkey);
        }

        public Config withGenesis(Challenge challenge) {
            return new Config(tempo, maxUids, immunityPeriod, maxValidators, activityCutoff, kappa, bondsAlpha,
                    bondsPenalty, emissionPerBlock, ownerCut, ownerHotkey, challenge);
        }
    }

    /**
     * One version of the challenge: in force from {@code effectiveEpoch} until the next version's.
     *
     * @param announcedBy SS58 of the owner's hotkey ("" for genesis)
     */
    public record ChallengeVersion(int version, long effectiveEpoch, Challenge challenge, long announcedBlock,
                                   String announcedBy, String note) {
    }

    /**
     * The challenge of an epoch: the version in force then, and a change announced but not yet in force (after
     * {@code epoch}), if any.
     */
    public record ChallengeInForce(long epoch, ChallengeVersion current, Optional<ChallengeVersion> pending) {
    }

    /** Thrown when a hotkey other than the subnet owner's asks for an owner-only change. */
    public static final class NotOwnerException extends RuntimeException {
        public NotOwnerException(String message) {
            super(message);
        }
    }

    /** The longest note an owner may attach to a challenge change (characters). */
    public static final int MAX_NOTE = 1000;

    private final LedgerStore store;
    private final Config config;

    /** A ledger over {@code store}; a store without challenges gets {@code config.genesis()} as version 1. */
    public Ledger(LedgerStore store, Config config) {
        this.store = store;
        this.config = config;
        store.ensureGenesis(1, config.genesis().toJson());
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
        return register(hotkey, coldkey, stake, false);
    }

    /**
     * As {@link #register(String, String, double)}; {@code simulated} labels a devnet simulated competitor miner (it
     * changes no rule, it is only shown).
     */
    public synchronized int register(String hotkey, String coldkey, double stake, boolean simulated) {
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
        store.putNeuron(new NeuronRow(uid, hotkey, coldkey, stake, block, block, false, 0, 0, 0, 0, 0, simulated,
                null, 0));
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

    /** The epoch in progress: the metagraph's epoch is the last completed one, so this is one more. */
    public synchronized long epochInProgress() {
        return store.meta().epoch() + 1;
    }

    /** Every version of the challenge, genesis (version 1) first. */
    public synchronized List<ChallengeVersion> challengeHistory() {
        return store.challenges().stream().map(Ledger::version).toList();
    }

    private static ChallengeVersion version(LedgerStore.ChallengeRow r) {
        return new ChallengeVersion(r.version(), r.effectiveEpoch(), Challenge.fromJson(r.challengeJson()),
                r.announcedBlock(), r.announcedBy(), r.note());
    }

    /**
     * The challenge of {@code epoch} (0: the epoch in progress): the latest version whose effective epoch is at or
     * before it, and the change announced but not yet in force, if there is one after {@code epoch}. Validators score
     * an epoch's submissions on its version (DESIGN.md §4 "Challenges and scoring").
     */
    public synchronized ChallengeInForce challenge(long epoch) {
        long inProgress = epochInProgress();
        long e = epoch == 0 ? inProgress : epoch;
        List<ChallengeVersion> all = challengeHistory();
        ChallengeVersion current = all.get(0);
        for (ChallengeVersion v : all) {
            if (v.effectiveEpoch() <= e && v.version() > current.version()) {
                current = v;
            }
        }
        Optional<ChallengeVersion> pending = all.stream()
                .filter(v -> v.effectiveEpoch() > inProgress && v.effectiveEpoch() > e)
                .min(Comparator.comparingLong(ChallengeVersion::effectiveEpoch));
        return new ChallengeInForce(e, current, pending);
    }

    /**
     * The subnet owner changes the scoring terms: weights, latency budget, size cap and floors (the teacher, task and
     * data stay; DESIGN.md §4 "Challenges and scoring"). Announced now, in force from the epoch after the one in
     * progress (epochs are scored on the terms they started with), so that miners see a change
     * coming before they are scored on it; a second change announced for the same epoch replaces the first.
     *
     * @throws NotOwnerException        when {@code by} is not the subnet owner's hotkey
     * @throws IllegalArgumentException when the terms do not make a valid challenge (the message says why)
     */
    public synchronized ChallengeVersion changeChallenge(String by, Challenge.Weights weights, double latencyBudgetMs,
                                                         long sizeCapBytes, double speedFloorMs, long sizeFloorBytes,
                                                         String note) {
        if (!by.equals(config.ownerHotkey())) {
            throw new NotOwnerException("only the subnet owner may change the challenge");
        }
        String text = note == null ? "" : note;
        if (text.length() > MAX_NOTE) {
            throw new IllegalArgumentException("the note is " + text.length() + " characters; at most " + MAX_NOTE);
        }
        if (weights == null) {
            throw new IllegalArgumentException("the score weights are missing");
        }
        List<ChallengeVersion> all = challengeHistory();
        Challenge base = all.get(all.size() - 1).challenge();
        Challenge next = new Challenge(base.id(), base.teacherSha256(), base.task(), base.classes(), base.input(),
                latencyBudgetMs, sizeCapBytes, speedFloorMs, sizeFloorBytes, weights, base.data(),
                base.mapThreshold());
        long effective = epochInProgress() + 1;
        long block = block();
        int version = store.announceChallenge(new LedgerStore.ChallengeRow(0, effective, next.toJson(), block, by,
                text));
        return new ChallengeVersion(version, effective, next, block, by, text);
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
