package dev.distillery.network.ledger;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.Hotkey;
import dev.distillery.network.crypto.RequestVerifier;
import dev.distillery.network.crypto.SignedHeaderInterceptor;
import dev.distillery.network.crypto.Ss58;
import dev.distillery.store.LedgerStore;
import dev.distillery.store.LedgerStore.NeuronRow;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.BalanceRequest;
import dev.distillery.network.proto.v1.BalanceResponse;
import dev.distillery.network.proto.v1.ChallengeRequest;
import dev.distillery.network.proto.v1.ChallengeResponse;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.proto.v1.ChallengeHistoryRequest;
import dev.distillery.network.proto.v1.ChallengeHistoryResponse;
import dev.distillery.network.proto.v1.ChangeChallengeRequest;
import dev.distillery.network.proto.v1.ChangeChallengeResponse;
import dev.distillery.network.proto.v1.ScoreWeights;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.proto.v1.CommitRequest;
import dev.distillery.network.proto.v1.CommitResponse;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.EpochReportsRequest;
import dev.distillery.network.proto.v1.MetagraphRequest;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.RegisterRequest;
import dev.distillery.network.proto.v1.RegisterResponse;
import dev.distillery.network.proto.v1.SetWeightsRequest;
import dev.distillery.network.proto.v1.SetWeightsResponse;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The ledger over gRPC ({@code distillery.v1.Ledger}). Every state-changing call has passed the
 * {@link SignedHeaderInterceptor} (signature, block window, nonce, registration) before it gets here; what is left
 * is the ledger's own rules, whose refusals come back as INVALID_ARGUMENT / FAILED_PRECONDITION with the reason
 * (PERMISSION_DENIED for a challenge change not signed by the subnet owner). Hotkeys are kept as SS58 addresses.
 */
public final class LedgerService extends LedgerGrpc.LedgerImplBase {
    private final Ledger ledger;
    private final LedgerStore store;
    private final ToDoubleFunction<String> stakeOf;

    /**
     * @param stakeOf the stake a newly registered hotkey (SS58) brings (devnet: configured validators' stakes, 0 for
     *                miners)
     */
    public LedgerService(Ledger ledger, LedgerStore store, ToDoubleFunction<String> stakeOf) {
        this.ledger = ledger;
        this.store = store;
        this.stakeOf = stakeOf;
    }

    /**
     * This service behind signature checks: Register is open to unregistered hotkeys, the rest need a UID, except
     * ChangeChallenge, which the subnet owner signs without being a neuron: it passes the signature, block window and
     * nonce checks like every call, and the service then refuses anyone but the owner.
     */
    public ServerServiceDefinition secured() {
        RequestVerifier verifier = new RequestVerifier(ledger::block, RequestVerifier.Policy.DEFAULT,
                key -> store.neuron(key.ss58()).isPresent());
        return ServerInterceptors.intercept(this, new SignedHeaderInterceptor(verifier,
                Set.of(LedgerGrpc.getRegisterMethod().getFullMethodName(),
                        LedgerGrpc.getChangeChallengeMethod().getFullMethodName())));
    }

    private static String hotkeyOf(com.google.protobuf.ByteString key) {
        return Hotkey.of(key.toByteArray()).ss58();
    }

    @Override
    public void register(RegisterRequest req, StreamObserver<RegisterResponse> out) {
        String hotkey = hotkeyOf(req.getHeader().getHotkey());
        String coldkey = req.getColdkey().size() == Ss58.KEY_LENGTH ? Ss58.encode(req.getColdkey().toByteArray())
                : hotkey;
        boolean already = store.neuron(hotkey).isPresent();
        try {
            int uid = ledger.register(hotkey, coldkey, stakeOf.applyAsDouble(hotkey), req.getSimulated());
            NeuronRow n = store.neuron(hotkey).orElseThrow();
            out.onNext(RegisterResponse.newBuilder().setUid(uid).setRegisteredAt(n.registeredAt())
                    .setAlreadyRegistered(already).build());
            out.onCompleted();
        } catch (IllegalStateException e) {
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void commit(CommitRequest req, StreamObserver<CommitResponse> out) {
        if (req.getModelSha256().size() != 32) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("model_sha256 must be 32 bytes, got "
                    + req.getModelSha256().size()).asRuntimeException());
            return;
        }
        String hotkey = hotkeyOf(req.getHeader().getHotkey());
        String sha = HexFormat.of().formatHex(req.getModelSha256().toByteArray());
        int owner = ledger.commit(hotkey, sha);
        int mine = store.neuron(hotkey).orElseThrow().uid();
        long block = store.commitment(sha).map(LedgerStore.Commitment::block).orElse(ledger.block());
        out.onNext(CommitResponse.newBuilder().setBlock(block).setOwner(owner == mine).setOwnerUid(owner).build());
        out.onCompleted();
    }

    @Override
    public void setWeights(SetWeightsRequest req, StreamObserver<SetWeightsResponse> out) {
        if (req.getUidsCount() != req.getWeightsCount()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("uids and weights differ in length: "
                    + req.getUidsCount() + " vs " + req.getWeightsCount()).asRuntimeException());
            return;
        }
        Map<Integer, Double> row = new HashMap<>();
        for (int i = 0; i < req.getUidsCount(); i++) {
            if (row.put(req.getUids(i), (double) req.getWeights(i)) != null) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("uid " + req.getUids(i) + " appears twice")
                        .asRuntimeException());
                return;
            }
        }
        try {
            ledger.setWeights(hotkeyOf(req.getHeader().getHotkey()), row);
        } catch (IllegalArgumentException e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(SetWeightsResponse.newBuilder().setBlock(ledger.block()).build());
        out.onCompleted();
    }

    @Override
    public void metagraph(MetagraphRequest req, StreamObserver<MetagraphResponse> out) {
        var meta = store.meta();
        MetagraphResponse.Builder b = MetagraphResponse.newBuilder().setBlock(meta.block()).setEpoch(meta.epoch())
                .setTempo((int) ledger.config().tempo());
        for (NeuronRow n : store.neurons()) {
            b.addNeurons(Neuron.newBuilder().setUid(n.uid()).setHotkey(ByteString.copyFrom(Ss58.decode(n.hotkey())))
                    .setHotkeySs58(n.hotkey()).setColdkey(ByteString.copyFrom(Ss58.decode(n.coldkey())))
                    .setStake(Math.round(n.stake() * Ledger.RAO)).setIncentive(n.incentive())
                    .setDividends(n.dividends()).setEmission(n.emission()).setConsensus(n.consensus())
                    .setValidatorTrust(n.validatorTrust()).setValidatorPermit(n.validatorPermit())
                    .setActive(n.lastUpdate() + ledger.config().activityCutoff() >= meta.block())
                    .setLastUpdate(n.lastUpdate()).setRegisteredAt(n.registeredAt())
                    .setCommittedSha256(n.committedSha256() == null ? ByteString.EMPTY
                            : ByteString.copyFrom(HexFormat.of().parseHex(n.committedSha256())))
                    .setCommitBlock(n.commitBlock()).setSimulated(n.simulated()).build());
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    /** Who owns a model hash: the earliest commitment of it (DESIGN.md §4 "Commitments"). */
    @Override
    public void commitment(dev.distillery.network.proto.v1.CommitmentRequest req,
                           StreamObserver<dev.distillery.network.proto.v1.CommitmentResponse> out) {
        if (req.getModelSha256().size() != 32) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("model_sha256 must be 32 bytes, got "
                    + req.getModelSha256().size()).asRuntimeException());
            return;
        }
        var b = dev.distillery.network.proto.v1.CommitmentResponse.newBuilder();
        store.commitment(HexFormat.of().formatHex(req.getModelSha256().toByteArray()))
                .ifPresent(c -> b.setFound(true).setUid(c.uid()).setHotkeySs58(c.hotkey()).setBlock(c.block()));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void balance(BalanceRequest req, StreamObserver<BalanceResponse> out) {
        if (req.getKey().size() != Ss58.KEY_LENGTH) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("key must be a 32-byte public key")
                    .asRuntimeException());
            return;
        }
        String key = Ss58.encode(req.getKey().toByteArray());
        long staked = store.neuron(key).map(n -> Math.round(n.stake() * Ledger.RAO)).orElse(0L);
        out.onNext(BalanceResponse.newBuilder().setFree(store.balance(key)).setStaked(staked)
                .setBlock(ledger.block()).build());
        out.onCompleted();
    }

    /** The challenge of an epoch (0: the one in progress) and the announced change, if any (DESIGN.md §4). */
    @Override
    public void challenge(ChallengeRequest req, StreamObserver<ChallengeResponse> out) {
        Ledger.ChallengeInForce c = ledger.challenge(req.getEpoch());
        Challenge ch = c.current().challenge();
        ChallengeResponse.Builder b = ChallengeResponse.newBuilder().setEpoch(c.epoch())
                .setTask(ch.task().name().toLowerCase(Locale.ROOT)).addAllClasses(ch.classes())
                .addInputShape(1).addInputShape(ch.input().channels()).addInputShape(ch.input().height())
                .addInputShape(ch.input().width()).setLatencyBudgetMs(ch.latencyBudgetMs())
                .setSizeCapBytes(ch.sizeCapBytes()).setDescription(describe(ch)).setWeights(weights(ch.weights()))
                .setSpeedFloorMs(ch.speedFloorMs()).setSizeFloorBytes(ch.sizeFloorBytes())
                .setChallengeJson(ch.toJson()).setId(ch.id()).setVersion(c.current().version())
                .setEffectiveEpoch(c.current().effectiveEpoch());
        if (ch.teacherSha256() != null && ch.teacherSha256().length() == 64) {
            b.setTeacherSha256(ByteString.copyFrom(HexFormat.of().parseHex(ch.teacherSha256())));
        }
        c.pending().ifPresent(p -> b.setPending(change(p)));
        out.onNext(b.build());
        out.onCompleted();
    }

    /** Owner only (DESIGN.md §4): new scoring terms from the epoch after the one in progress. */
    @Override
    public void changeChallenge(ChangeChallengeRequest req, StreamObserver<ChangeChallengeResponse> out) {
        String by = hotkeyOf(req.getHeader().getHotkey());
        Ledger.ChallengeVersion v;
        try {
            ScoreWeights w = req.getWeights();
            v = ledger.changeChallenge(by, req.hasWeights() ? new Challenge.Weights(w.getQuality(), w.getSpeed(),
                    w.getSize()) : null, req.getLatencyBudgetMs(), req.getSizeCapBytes(), req.getSpeedFloorMs(),
                    req.getSizeFloorBytes(), req.getNote());
        } catch (Ledger.NotOwnerException e) {
            out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(ChangeChallengeResponse.newBuilder().setVersion(v.version()).setEffectiveEpoch(v.effectiveEpoch())
                .setBlock(v.announcedBlock()).build());
        out.onCompleted();
    }

    @Override
    public void challengeHistory(ChallengeHistoryRequest req, StreamObserver<ChallengeHistoryResponse> out) {
        ChallengeHistoryResponse.Builder b = ChallengeHistoryResponse.newBuilder();
        ledger.challengeHistory().forEach(v -> b.addChanges(change(v)));
        out.onNext(b.build());
        out.onCompleted();
    }

    static ChallengeChange change(Ledger.ChallengeVersion v) {
        Challenge c = v.challenge();
        return ChallengeChange.newBuilder().setVersion(v.version()).setEffectiveEpoch(v.effectiveEpoch())
                .setWeights(weights(c.weights())).setLatencyBudgetMs(c.latencyBudgetMs())
                .setSizeCapBytes(c.sizeCapBytes()).setSpeedFloorMs(c.speedFloorMs())
                .setSizeFloorBytes(c.sizeFloorBytes()).setAnnouncedBlock(v.announcedBlock())
                .setAnnouncedBy(v.announcedBy()).setNote(v.note()).build();
    }

    private static ScoreWeights weights(Challenge.Weights w) {
        return ScoreWeights.newBuilder().setQuality(w.quality()).setSpeed(w.speed()).setSize(w.size()).build();
    }

    private static String describe(Challenge c) {
        return String.format(Locale.ROOT, "%s: distill teacher %s (%s, %dx%d); p95 latency <= %.1f ms on %d threads, "
                + "size <= %d bytes; score = %.2f*quality + %.2f*speed + %.2f*size", c.id(),
                c.teacherSha256(), c.task().name().toLowerCase(Locale.ROOT), c.input().width(), c.input().height(),
                c.latencyBudgetMs(), Challenge.THREADS, c.sizeCapBytes(), c.weights().quality(), c.weights().speed(),
                c.weights().size());
    }

    /**
     * Stored epoch reports from {@code from_epoch} on, then new ones as they are applied, until the client cancels
     * (resumable: a client that reconnects asks from the epoch after the last it saw).
     */
    @Override
    public void epochReports(EpochReportsRequest req, StreamObserver<EpochReport> out) {
        ServerCallStreamObserver<EpochReport> call = (ServerCallStreamObserver<EpochReport>) out;
        Thread t = new Thread(() -> {
            long next = Math.max(1, req.getFromEpoch());
            try {
                while (!call.isCancelled()) {
                    for (Object[] row : store.epochs(next)) {
                        out.onNext(report(row));
                        next = (long) row[0] + 1;
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!call.isCancelled()) {
                    out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
                }
            }
        }, "epoch-reports");
        t.setDaemon(true);
        call.setOnCancelHandler(t::interrupt);
        t.start();
    }

    static EpochReport report(Object[] row) {
        var json = dev.distillery.teacher.library.Json.read((String) row[3], Map.class);
        EpochReport.Builder b = EpochReport.newBuilder().setEpoch((long) row[0]).setBlock((long) row[1])
                .setTotalEmission((long) row[2]);
        Object owner = json.get("owner_rao");
        if (owner instanceof Number o) {
            b.setOwnerEmission(o.longValue());
        }
        Object payouts = json.get("payouts_rao");
        Object incentive = json.get("incentive");
        Object dividends = json.get("dividends");
        if (payouts instanceof java.util.List<?> p && incentive instanceof java.util.List<?> inc
                && dividends instanceof java.util.List<?> div) {
            for (int u = 0; u < p.size(); u++) {
                b.addShares(dev.distillery.network.proto.v1.EpochShare.newBuilder().setUid(u)
                        .setIncentive(((Number) inc.get(u)).doubleValue())
                        .setDividends(((Number) div.get(u)).doubleValue())
                        .setEmission(((Number) p.get(u)).longValue()).build());
            }
        }
        return b.build();
    }
}
