package dev.distillery.network.validator;

import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.proto.v1.CommitmentResponse;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.score.Challenge;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LedgerLink} over gRPC: a validator's view of a ledger through a {@link LedgerClient} signing with the
 * validator's hotkey. The block is asked each time (a small Ping, checked on every upload); the metagraph, for the
 * epoch and the registry, is read at most once per {@link #FRESH_MILLIS} so a busy validator does not hammer the
 * ledger; commitments and the challenge are asked each time.
 */
public final class GrpcLedgerLink implements LedgerLink {
    static final long FRESH_MILLIS = 200;

    private final LedgerClient client;
    private MetagraphResponse meta;
    private long metaAt;

    public GrpcLedgerLink(LedgerClient client) {
        this.client = client;
    }

    public LedgerClient client() {
        return client;
    }

    private synchronized MetagraphResponse meta() {
        long now = System.nanoTime();
        if (meta == null || now - metaAt > FRESH_MILLIS * 1_000_000) {
            meta = client.metagraph();
            metaAt = now;
        }
        return meta;
    }

    @Override
    public long block() {
        return client.block();
    }

    @Override
    public long epoch() {
        return meta().getEpoch();
    }

    @Override
    public long tempo() {
        return meta().getTempo();
    }

    @Override
    public Challenge challenge(long epoch) {
        return client.challenge(epoch).challenge();
    }

    @Override
    public Optional<Commitment> commitmentOf(String sha256) {
        CommitmentResponse r = client.commitment(HexFormat.of().parseHex(sha256));
        return r.getFound() ? Optional.of(new Commitment(r.getUid(), r.getHotkeySs58(), r.getBlock()))
                : Optional.empty();
    }

    @Override
    public Optional<Integer> uidOf(String hotkey) {
        Optional<Integer> uid = find(meta(), hotkey);
        if (uid.isEmpty()) {
            synchronized (this) {
                meta = null; // registered a moment ago? read again
            }
            uid = find(meta(), hotkey);
        }
        return uid;
    }

    private static Optional<Integer> find(MetagraphResponse m, String hotkey) {
        return m.getNeuronsList().stream().filter(n -> n.getHotkeySs58().equals(hotkey)).map(Neuron::getUid)
                .findFirst();
    }

    @Override
    public void setWeights(Map<Integer, Double> weights) {
        client.setWeights(weights);
    }
}
