package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.ChallengeChange;
import dev.distillery.network.proto.v1.ChallengeRequest;
import dev.distillery.network.proto.v1.ChallengeResponse;
import dev.distillery.network.proto.v1.ChangeChallengeRequest;
import dev.distillery.network.proto.v1.CommitResponse;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.ScoreWeights;
import dev.distillery.network.score.Challenge;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Challenge versions over real gRPC: the genesis challenge is served; the owner's change is pending in the epoch it
 * was announced and in force from the next, kept in the history and across a restart; anyone else, invalid terms
 * and replays are refused with their reasons. The clock is slow (one block a minute) and the test moves the chain
 * itself, so epochs change exactly when it says.
 */
class LedgerChallengeTest {
    static final long TEMPO = 5;

    @TempDir
    Path dir;
    final HotkeyPair owner = HotkeyPair.generate();
    final HotkeyPair miner = HotkeyPair.generate();
    final Challenge genesis = Challenge.devnetDefault().withLatencyBudget(20.0, 2.0);

    LedgerServer start(Challenge genesisChallenge) throws Exception {
        Ledger.Config config = new Ledger.Config(TEMPO, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18,
                owner.hotkey().ss58());
        return LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 60_000, k -> 0, null,
                genesisChallenge);
    }

    static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    @Test
    void theGenesisChallengeIsServedAsVersionOne() throws Exception {
        try (LedgerServer s = start(genesis); LedgerClient c = LedgerClient.plaintext("127.0.0.1", s.port(), null)) {
            LedgerClient.ChallengeInfo info = c.challenge(0);
            assertThat(info.epoch()).isEqualTo(1);
            assertThat(info.version()).isEqualTo(1);
            assertThat(info.effectiveEpoch()).isEqualTo(1);
            assertThat(info.challenge()).isEqualTo(genesis);
            assertThat(info.pending()).isEmpty();

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
            try {
                ChallengeResponse r = LedgerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .challenge(ChallengeRequest.getDefaultInstance());
                assertThat(r.getLatencyBudgetMs()).isEqualTo(20.0);
                assertThat(r.getSpeedFloorMs()).isEqualTo(2.0);
                assertThat(r.getSizeCapBytes()).isEqualTo(genesis.sizeCapBytes());
                assertThat(r.getWeights().getQuality()).isEqualTo(0.8);
                assertThat(r.getTask()).isEqualTo("dense");
                assertThat(r.getInputShapeList()).containsExactly(1, 3, 320, 320);
                assertThat(HexFormat.of().formatHex(r.getTeacherSha256().toByteArray()))
                        .isEqualTo(Challenge.DEVNET_TEACHER_SHA256);
                assertThat(r.getId()).isEqualTo(genesis.id());
                assertThat(r.hasPending()).isFalse();
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            List<ChallengeChange> history = c.challengeHistory();
            assertThat(history).hasSize(1);
            assertThat(history.get(0).getVersion()).isEqualTo(1);
            assertThat(history.get(0).getLatencyBudgetMs()).isEqualTo(20.0);
        }
    }

    @Test
    void anOwnerChangeIsPendingUntilTheNextEpochThenInForceAndSurvivesARestart() throws Exception {
        Challenge.Weights w = new Challenge.Weights(0.6, 0.3, 0.1);
        try (LedgerServer s = start(genesis); LedgerClient c = LedgerClient.plaintext("127.0.0.1", s.port(), owner)) {
            s.ledger().advanceTo(2 * TEMPO + 2); // epochs 1 and 2 done; epoch 3 in progress
            assertThat(c.challenge(0).epoch()).isEqualTo(3);

            var first = c.changeChallenge(new Challenge.Weights(0.5, 0.25, 0.25), 8.0, 1_000_000, 1.0, 50_000,
                    "tighter");
            assertThat(first.getVersion()).isEqualTo(2);
            assertThat(first.getEffectiveEpoch()).isEqualTo(4);
            assertThat(first.getBlock()).isEqualTo(2 * TEMPO + 2);
            // a second change for the same epoch replaces the first and keeps its number
            var second = c.changeChallenge(w, 9.0, 1_200_000, 1.5, 60_000, "a bit less tight");
            assertThat(second.getVersion()).isEqualTo(2);
            assertThat(second.getEffectiveEpoch()).isEqualTo(4);

            LedgerClient.ChallengeInfo now = c.challenge(0);
            assertThat(now.version()).isEqualTo(1);
            assertThat(now.challenge()).isEqualTo(genesis);
            assertThat(now.pending()).isPresent();
            ChallengeChange pending = now.pending().orElseThrow();
            assertThat(pending.getVersion()).isEqualTo(2);
            assertThat(pending.getEffectiveEpoch()).isEqualTo(4);
            assertThat(pending.getLatencyBudgetMs()).isEqualTo(9.0);
            assertThat(pending.getSizeCapBytes()).isEqualTo(1_200_000);
            assertThat(pending.getWeights().getSpeed()).isEqualTo(0.3);
            assertThat(pending.getAnnouncedBy()).isEqualTo(owner.hotkey().ss58());
            assertThat(pending.getNote()).isEqualTo("a bit less tight");
            // asking for the next epoch already gives the new terms
            LedgerClient.ChallengeInfo next = c.challenge(4);
            assertThat(next.version()).isEqualTo(2);
            assertThat(next.challenge().latencyBudgetMs()).isEqualTo(9.0);
            assertThat(next.challenge().weights()).isEqualTo(w);
            assertThat(next.challenge().teacherSha256()).isEqualTo(genesis.teacherSha256());

            s.ledger().advanceTo(3 * TEMPO); // epoch 3 completes: epoch 4 in progress
            LedgerClient.ChallengeInfo after = c.challenge(0);
            assertThat(after.epoch()).isEqualTo(4);
            assertThat(after.version()).isEqualTo(2);
            assertThat(after.effectiveEpoch()).isEqualTo(4);
            assertThat(after.challenge().sizeCapBytes()).isEqualTo(1_200_000);
            assertThat(after.pending()).isEmpty();
            assertThat(c.challenge(3).version()).as("epoch 3 was scored on genesis").isEqualTo(1);
            assertThat(c.challenge(3).pending()).as("no longer pending once in force").isEmpty();
        }
        // the stored history wins over the genesis the restarted server is given
        try (LedgerServer s = start(Challenge.devnetDefault());
             LedgerClient c = LedgerClient.plaintext("127.0.0.1", s.port(), null)) {
            List<ChallengeChange> history = c.challengeHistory();
            assertThat(history).extracting(ChallengeChange::getVersion).containsExactly(1, 2);
            assertThat(history).extracting(ChallengeChange::getEffectiveEpoch).containsExactly(1L, 4L);
            assertThat(history.get(0).getLatencyBudgetMs()).isEqualTo(20.0);
            assertThat(history.get(1).getLatencyBudgetMs()).isEqualTo(9.0);
            assertThat(c.challenge(0).version()).isEqualTo(2);
            assertThat(c.challenge(0).challenge().weights()).isEqualTo(w);
        }
    }

    @Test
    void anyoneButTheOwnerIsRefused() throws Exception {
        HotkeyPair stranger = HotkeyPair.generate();
        try (LedgerServer s = start(genesis);
             LedgerClient m = LedgerClient.plaintext("127.0.0.1", s.port(), miner);
             LedgerClient x = LedgerClient.plaintext("127.0.0.1", s.port(), stranger)) {
            m.register(false);
            for (LedgerClient c : List.of(m, x)) {
                StatusRuntimeException e = refusal(() -> c.changeChallenge(Challenge.Weights.defaults(), 9.0,
                        1_000_000, 1.0, 1000, "mine now"));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription()).isEqualTo("only the subnet owner may change the challenge");
            }
            assertThat(m.challengeHistory()).hasSize(1);
        }
    }

    @Test
    void invalidTermsAreRefusedWithTheReason() throws Exception {
        try (LedgerServer s = start(genesis); LedgerClient c = LedgerClient.plaintext("127.0.0.1", s.port(), owner)) {
            StatusRuntimeException floor = refusal(() -> c.changeChallenge(Challenge.Weights.defaults(), 5.0,
                    1_000_000, 5.0, 1000, ""));
            assertThat(floor.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(floor.getStatus().getDescription()).contains("Floors must be below the budget and the cap");
            StatusRuntimeException negative = refusal(() -> c.changeChallenge(new Challenge.Weights(1, -0.1, 0.1),
                    5.0, 1_000_000, 1.0, 1000, ""));
            assertThat(negative.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(negative.getStatus().getDescription()).contains("Score weights must be non-negative");
            StatusRuntimeException zero = refusal(() -> c.changeChallenge(new Challenge.Weights(0, 0, 0), 5.0,
                    1_000_000, 1.0, 1000, ""));
            assertThat(zero.getStatus().getDescription()).contains("positive sum");
            StatusRuntimeException cap = refusal(() -> c.changeChallenge(Challenge.Weights.defaults(), 5.0, 0, 1.0,
                    0, ""));
            assertThat(cap.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(cap.getStatus().getDescription()).contains("positive latency budget and size cap");
            assertThat(c.challengeHistory()).hasSize(1);
            assertThat(c.challenge(0).pending()).isEmpty();
        }
    }

    @Test
    void aReplayedChangeIsRefused() throws Exception {
        try (LedgerServer s = start(genesis)) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
            try {
                var stub = LedgerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
                ChangeChallengeRequest req = SignedHeaders.sign(ChangeChallengeRequest.newBuilder()
                        .setWeights(ScoreWeights.newBuilder().setQuality(0.7).setSpeed(0.2).setSize(0.1))
                        .setLatencyBudgetMs(12).setSizeCapBytes(2_000_000).setSpeedFloorMs(1)
                        .setSizeFloorBytes(100_000).setNote("once").build(), owner,
                        LedgerGrpc.getChangeChallengeMethod().getFullMethodName(), 1, s.ledger().block());
                assertThat(stub.changeChallenge(req).getVersion()).isEqualTo(2);
                StatusRuntimeException e = refusal(() -> stub.changeChallenge(req));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                // and a request changed after signing is a forgery
                ChangeChallengeRequest tampered = req.toBuilder().setLatencyBudgetMs(100).build();
                assertThat(refusal(() -> stub.changeChallenge(tampered)).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAUTHENTICATED);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theMetagraphCarriesEachNeuronsLatestCommitmentAndItsSimulatedLabel() throws Exception {
        HotkeyPair copier = HotkeyPair.generate();
        byte[] sha = new byte[32];
        sha[0] = 7;
        byte[] other = new byte[32];
        other[0] = 9;
        try (LedgerServer s = start(genesis);
             LedgerClient m = LedgerClient.plaintext("127.0.0.1", s.port(), miner);
             LedgerClient sim = LedgerClient.plaintext("127.0.0.1", s.port(), copier)) {
            int mu = m.register(false).getUid();
            int su = sim.register(true).getUid();
            s.ledger().advanceTo(3);
            CommitResponse mine = m.commit(sha, 1000);
            s.ledger().advanceTo(6);
            CommitResponse copy = sim.commit(sha, 1000);
            assertThat(copy.getOwner()).isFalse();

            List<Neuron> neurons = m.metagraph().getNeuronsList();
            Neuron mn = neurons.get(mu);
            Neuron sn = neurons.get(su);
            assertThat(mn.getSimulated()).isFalse();
            assertThat(sn.getSimulated()).isTrue();
            assertThat(mn.getCommittedSha256()).isEqualTo(ByteString.copyFrom(sha));
            assertThat(mn.getCommitBlock()).isEqualTo(mine.getBlock()).isEqualTo(3);
            assertThat(sn.getCommittedSha256()).isEqualTo(ByteString.copyFrom(sha));
            assertThat(sn.getCommitBlock()).isEqualTo(6);

            s.ledger().advanceTo(8);
            m.commit(other, 2000);
            Neuron latest = m.metagraph().getNeurons(mu);
            assertThat(latest.getCommittedSha256()).isEqualTo(ByteString.copyFrom(other));
            assertThat(latest.getCommitBlock()).isEqualTo(8);
        }
    }
}
