package dev.distillery.network.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.BalanceRequest;
import dev.distillery.network.proto.v1.BalanceResponse;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.proto.v1.ChallengeHistoryRequest;
import dev.distillery.network.proto.v1.ChallengeRequest;
import dev.distillery.network.proto.v1.ChallengeResponse;
import dev.distillery.network.proto.v1.ChangeChallengeRequest;
import dev.distillery.network.proto.v1.ChangeChallengeResponse;
import dev.distillery.network.proto.v1.CommitRequest;
import dev.distillery.network.proto.v1.CommitResponse;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.EpochReportsRequest;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.MetagraphRequest;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.RegisterRequest;
import dev.distillery.network.proto.v1.RegisterResponse;
import dev.distillery.network.proto.v1.ScoreWeights;
import dev.distillery.network.proto.v1.SetWeightsRequest;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.tls.PinnedTls;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one client of a ledger ({@code distillery.v1.Ledger}) for every caller: validators, the devnet's simulated
 * miners, the app. State-changing calls are signed with the client's hotkey (DESIGN.md §4: every state change is
 * signed by a hotkey) at the ledger's current block, read just before signing, with a nonce that strictly increases
 * per client (the time in microseconds, or the last nonce + 1). Every unary call has a {@value #DEADLINE_SECONDS} s
 * deadline. A refusal surfaces as the {@link io.grpc.StatusRuntimeException} the server sent, with its code and
 * description unchanged.
 *
 * <p>Thread-safe. Two clients signing with the same hotkey at once can make each other's nonces look replayed: give
 * each hotkey one client.
 */
public final class LedgerClient implements AutoCloseable {
    /** Deadline of every unary call, in seconds. */
    public static final long DEADLINE_SECONDS = 10;

    /**
     * The challenge of an epoch as a validator or a local preview needs it.
     *
     * @param epoch          the epoch asked about (the epoch in progress when 0 was asked)
     * @param version        the version in force in that epoch (1 = genesis)
     * @param effectiveEpoch first epoch of that version
     * @param challenge      the whole challenge
     * @param pending        a change announced but not yet in force, if any
     */
    public record ChallengeInfo(long epoch, int version, long effectiveEpoch, Challenge challenge,
                                Optional<ChallengeChange> pending) {
    }

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final HotkeyPair key;
    private final LedgerGrpc.LedgerBlockingStub stub;
    private final AtomicLong lastNonce = new AtomicLong();
    private final List<Context.CancellableContext> streams = new CopyOnWriteArrayList<>();

    /** A client over {@code channel}, which stays the caller's to close. {@code key} null: read-only. */
    public LedgerClient(ManagedChannel channel, HotkeyPair key) {
        this(channel, false, key);
    }

    private LedgerClient(ManagedChannel channel, boolean ownsChannel, HotkeyPair key) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.key = key;
        this.stub = LedgerGrpc.newBlockingStub(channel);
    }

    /** A client of a ledger served without TLS (loopback, the embedded devnet). {@code key} null: read-only. */
    public static LedgerClient plaintext(String host, int port, HotkeyPair key) {
        return new LedgerClient(NettyChannelBuilder.forAddress(host, port).usePlaintext().build(), true, key);
    }

    /**
     * A client over TLS that trusts only the server certificate with this SHA-256 fingerprint (hex, colons allowed),
     * as {@code distillery ledger} prints it. {@code key} null: read-only.
     */
    public static LedgerClient pinned(String host, int port, String sha256Fingerprint, HotkeyPair key) {
        try {
            return new LedgerClient(NettyChannelBuilder.forAddress(host, port)
                    .sslContext(PinnedTls.client(sha256Fingerprint)).build(), true, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up TLS pinned to " + sha256Fingerprint + ": " + e.getMessage(),
                    e);
        }
    }

    /** The hotkey this client signs with (null for a read-only client). */
    public HotkeyPair key() {
        return key;
    }

    /**
     * The ledger's current block, from its Node/Ping answer (a few bytes; the metagraph would carry every UID),
     * asked before each signed call.
     */
    public long block() {
        return dev.distillery.network.proto.v1.NodeGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .ping(dev.distillery.network.proto.v1.PingRequest.newBuilder()
                        .setClient(dev.distillery.network.NodeService.self()).build())
                .getBlock();
    }

    /** Registers the client's hotkey; {@code simulated} labels a devnet simulated competitor miner. */
    public RegisterResponse register(boolean simulated) {
        return stub().register(sign(RegisterRequest.newBuilder().setSimulated(simulated).build(),
                LedgerGrpc.getRegisterMethod()));
    }

    /** Commits the SHA-256 (32 bytes) of a model of {@code size} bytes. */
    public CommitResponse commit(byte[] sha256, long size) {
        return stub().commit(sign(CommitRequest.newBuilder().setModelSha256(ByteString.copyFrom(sha256))
                .setModelSize(size).build(), LedgerGrpc.getCommitMethod()));
    }

    /** Sets this validator's weight row (uid → weight, non-negative); returns the block the ledger recorded. */
    public long setWeights(Map<Integer, Double> weights) {
        SetWeightsRequest.Builder b = SetWeightsRequest.newBuilder();
        new TreeMap<>(weights).forEach((uid, w) -> b.addUids(uid).addWeights(w.floatValue()));
        return stub().setWeights(sign(b.build(), LedgerGrpc.getSetWeightsMethod())).getBlock();
    }

    /** The current metagraph. */
    public MetagraphResponse metagraph() {
        return stub().metagraph(MetagraphRequest.getDefaultInstance());
    }

    /** The challenge in force in {@code epoch} (0: the epoch in progress) and the pending change, if any. */
    public ChallengeInfo challenge(long epoch) {
        ChallengeResponse r = stub().challenge(ChallengeRequest.newBuilder().setEpoch(epoch).build());
        return new ChallengeInfo(r.getEpoch(), r.getVersion(), r.getEffectiveEpoch(),
                Challenge.fromJson(r.getChallengeJson()),
                r.hasPending() ? Optional.of(r.getPending()) : Optional.empty());
    }

    /**
     * As the subnet owner, announces new scoring terms, in force from the epoch after the one in progress. Refused
     * with PERMISSION_DENIED for any other hotkey, INVALID_ARGUMENT (with the reason) for terms that do not make a
     * valid challenge.
     */
    public ChangeChallengeResponse changeChallenge(Challenge.Weights w, double latencyBudgetMs, long sizeCapBytes,
                                                   double speedFloorMs, long sizeFloorBytes, String note) {
        ChangeChallengeRequest req = ChangeChallengeRequest.newBuilder()
                .setWeights(ScoreWeights.newBuilder().setQuality(w.quality()).setSpeed(w.speed()).setSize(w.size()))
                .setLatencyBudgetMs(latencyBudgetMs).setSizeCapBytes(sizeCapBytes).setSpeedFloorMs(speedFloorMs)
                .setSizeFloorBytes(sizeFloorBytes).setNote(note == null ? "" : note).build();
        return stub().changeChallenge(sign(req, LedgerGrpc.getChangeChallengeMethod()));
    }

    /** Every version of the challenge, genesis (version 1) first. */
    public List<ChallengeChange> challengeHistory() {
        return stub().challengeHistory(ChallengeHistoryRequest.getDefaultInstance()).getChangesList();
    }

    /** The earliest commitment of a model hash (32 bytes), which owns it; {@code found} false when nobody made one. */
    public dev.distillery.network.proto.v1.CommitmentResponse commitment(byte[] sha256) {
        return stub().commitment(dev.distillery.network.proto.v1.CommitmentRequest.newBuilder()
                .setModelSha256(ByteString.copyFrom(sha256)).build());
    }

    /** The balance of a 32-byte public key (hotkey or coldkey). */
    public BalanceResponse balance(byte[] key) {
        return stub().balance(BalanceRequest.newBuilder().setKey(ByteString.copyFrom(key)).build());
    }

    /**
     * Epoch reports from {@code fromEpoch} on (0: the oldest the ledger holds), then each new epoch as it completes.
     * The iterator blocks in {@code hasNext()/next()} and has no deadline. To stop it, close this client (every open
     * stream is cancelled, also when the channel is the caller's), or call this inside a
     * {@link Context.CancellableContext} and cancel that; a blocked {@code hasNext()} then throws a
     * StatusRuntimeException with code CANCELLED. A lost connection ends it with UNAVAILABLE: ask again from the
     * epoch after the last one seen.
     */
    public Iterator<EpochReport> epochReports(long fromEpoch) {
        Context.CancellableContext context = Context.current().withCancellation();
        streams.add(context);
        context.addListener(c -> streams.remove(context), Runnable::run);
        Context previous = context.attach();
        Iterator<EpochReport> it;
        try {
            it = LedgerGrpc.newBlockingStub(channel)
                    .epochReports(EpochReportsRequest.newBuilder().setFromEpoch(fromEpoch).build());
        } finally {
            context.detach(previous);
        }
        // a stream that failed is forgotten (its context cancelled), so a client that reconnects often holds none
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return it.hasNext();
                } catch (RuntimeException e) {
                    context.cancel(e);
                    throw e;
                }
            }

            @Override
            public EpochReport next() {
                try {
                    return it.next();
                } catch (RuntimeException e) {
                    context.cancel(e);
                    throw e;
                }
            }
        };
    }

    private LedgerGrpc.LedgerBlockingStub stub() {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private <M extends Message> M sign(M message, MethodDescriptor<?, ?> method) {
        if (key == null) {
            throw new IllegalStateException("this ledger client has no hotkey (read-only); "
                    + method.getBareMethodName() + " must be signed");
        }
        long block = block();
        long nonce = lastNonce.updateAndGet(last -> Math.max(System.currentTimeMillis() * 1000, last + 1));
        return SignedHeaders.sign(message, key, method.getFullMethodName(), nonce, block);
    }

    /** Cancels open epoch-report streams and, when this client made the channel, shuts it down. */
    @Override
    public void close() {
        for (Context.CancellableContext c : streams) {
            c.cancel(null);
        }
        streams.clear();
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
