package dev.distillery.network.validator;

import dev.distillery.network.score.Challenge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link LedgerLink}: tests set the block, epoch, challenges, commitments and registrations. */
final class FakeLedger implements LedgerLink {
    volatile long block = 42;
    volatile long epoch = 0;
    /** The challenge from an epoch on (the entry with the highest key ≤ the epoch asked). */
    final TreeMap<Long, Challenge> challenges = new TreeMap<>();
    final Map<String, Commitment> commitments = new ConcurrentHashMap<>();
    final Map<String, Integer> uids = new ConcurrentHashMap<>();
    final List<Map<Integer, Double>> weights = new CopyOnWriteArrayList<>();
    volatile String refuseWeights;

    FakeLedger(Challenge c) {
        challenges.put(0L, c);
    }

    void commit(String sha, String hotkey, long atBlock) {
        commitments.putIfAbsent(sha, new Commitment(uids.get(hotkey), hotkey, atBlock));
    }

    @Override
    public long block() {
        return block;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long tempo() {
        return 30;
    }

    @Override
    public synchronized Challenge challenge(long e) {
        return challenges.floorEntry(e).getValue();
    }

    synchronized void changeChallenge(long fromEpoch, Challenge c) {
        challenges.put(fromEpoch, c);
    }

    @Override
    public Optional<Commitment> commitmentOf(String sha256) {
        return Optional.ofNullable(commitments.get(sha256));
    }

    @Override
    public Optional<Integer> uidOf(String hotkey) {
        return Optional.ofNullable(uids.get(hotkey));
    }

    @Override
    public void setWeights(Map<Integer, Double> w) {
        if (refuseWeights != null) {
            throw new IllegalStateException(refuseWeights);
        }
        weights.add(Map.copyOf(w));
    }
}
