package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.tls.ServerIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LedgerClient} against a running ledger on loopback whose clock ticks every 20 ms (tempo 5): every call
 * round-trips, signed calls are accepted block after block, refusals come back as the server's status, and closing
 * the client ends a blocked epoch stream.
 */
class LedgerClientTest {
    static final long TEMPO = 5;

    @TempDir
    Path dir;
    final HotkeyPair owner = HotkeyPair.generate();
    final HotkeyPair validator = HotkeyPair.generate();
    final HotkeyPair miner = HotkeyPair.generate();

    LedgerServer start(ServerIdentity tls) throws Exception {
        Ledger.Config config = new Ledger.Config(TEMPO, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18,
                owner.hotkey().ss58());
        return LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 20,
                k -> k.equals(validator.hotkey().ss58()) ? 100 : 0, tls);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void everyCallRoundTripsOverLoopback() throws Exception {
        try (LedgerServer s = start(null);
             LedgerClient v = LedgerClient.plaintext("127.0.0.1", s.port(), validator);
             LedgerClient m = LedgerClient.plaintext("127.0.0.1", s.port(), miner);
             LedgerClient o = LedgerClient.plaintext("127.0.0.1", s.port(), owner);
             LedgerClient reader = LedgerClient.plaintext("127.0.0.1", s.port(), null)) {
            assertThat(m.key()).isSameAs(miner);
            assertThat(reader.key()).isNull();
            long b0 = reader.block();
            await("the clock to tick", () -> reader.block() > b0);

            int vu = v.register(false).getUid();
            var reg = m.register(true);
            int mu = reg.getUid();
            assertThat(reg.getAlreadyRegistered()).isFalse();
            assertThat(m.register(true).getAlreadyRegistered()).isTrue();

            byte[] sha = new byte[32];
            sha[31] = 1;
            var commit = m.commit(sha, 123_456);
            assertThat(commit.getOwner()).isTrue();
            assertThat(commit.getOwnerUid()).isEqualTo(mu);
            var owner = reader.commitment(sha);
            assertThat(owner.getFound()).isTrue();
            assertThat(owner.getUid()).isEqualTo(mu);
            assertThat(owner.getHotkeySs58()).isEqualTo(m.key().hotkey().ss58());
            assertThat(owner.getBlock()).isEqualTo(commit.getBlock());
            byte[] nobody = new byte[32];
            assertThat(reader.commitment(nobody).getFound()).isFalse();

            // Yuma drops a weight set in the block its target registered in or before (DESIGN §4.2): on a fast
            // machine everything above fits in one 20 ms block, so let a block pass before weighting the miner
            long registeredBy = reader.block();
            await("a block after the miner registered", () -> reader.block() > registeredBy);
            long before = reader.block();
            long recorded = v.setWeights(Map.of(mu, 1.0));
            assertThat(recorded).isGreaterThanOrEqualTo(before);
            // several signed calls in quick succession: each gets a fresh, larger nonce
            for (int i = 0; i < 3; i++) {
                v.setWeights(Map.of(mu, 1.0));
            }

            MetagraphResponse meta = reader.metagraph();
            assertThat(meta.getTempo()).isEqualTo(TEMPO);
            Neuron mn = meta.getNeurons(mu);
            assertThat(mn.getSimulated()).isTrue();
            assertThat(mn.getCommittedSha256().toByteArray()).isEqualTo(sha);
            assertThat(meta.getNeurons(vu).getValidatorPermit()).isTrue();

            var change = o.changeChallenge(new Challenge.Weights(0.7, 0.2, 0.1), 12.0, 2_000_000, 1.0, 100_000,
                    "looser budget");
            assertThat(change.getVersion()).isEqualTo(2);
            assertThat(o.challengeHistory()).hasSize(2);
            assertThat(reader.challenge(change.getEffectiveEpoch()).challenge().latencyBudgetMs()).isEqualTo(12.0);
            assertThat(reader.challenge(1).version()).isEqualTo(1);

            await("the miner to be paid", () -> m.balance(miner.hotkey().bytes()).getFree() > 0);
            assertThat(reader.balance(validator.hotkey().bytes()).getStaked()).isEqualTo(100 * Ledger.RAO);

            Iterator<EpochReport> reports = reader.epochReports(1);
            EpochReport first = reports.next();
            assertThat(first.getEpoch()).isEqualTo(1);
            EpochReport second = reports.next();
            assertThat(second.getEpoch()).isEqualTo(2);
            assertThat(second.getTotalEmission()).isEqualTo(TEMPO * Ledger.RAO);

            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> m.setWeights(Map.of(vu, 1.0)));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(refused.getStatus().getDescription()).contains("no validator permit");
            assertThatThrownBy(() -> reader.commit(sha, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void closingTheClientEndsABlockedEpochStreamEvenOnACallersChannel() throws Exception {
        try (LedgerServer s = start(null)) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
            try {
                LedgerClient c = new LedgerClient(ch, null);
                Iterator<EpochReport> far = c.epochReports(1_000_000);
                CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(far::hasNext);
                Thread.sleep(100);
                assertThat(blocked).isNotDone();
                c.close();
                Throwable t = catchThrowableOfType(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS))
                        .getCause();
                assertThat(t).isInstanceOf(StatusRuntimeException.class);
                assertThat(((StatusRuntimeException) t).getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
                // the caller's channel is still usable
                assertThat(new LedgerClient(ch, null).metagraph().getTempo()).isEqualTo(TEMPO);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPinnedClientTalksTlsToTheRightServerOnly() throws Exception {
        ServerIdentity id = ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        try (LedgerServer s = start(id)) {
            try (LedgerClient c = LedgerClient.pinned("127.0.0.1", s.port(), id.fingerprint(), miner)) {
                assertThat(c.register(false).getUid()).isZero();
                assertThat(c.challenge(0).challenge()).isEqualTo(Challenge.devnetDefault());
            }
            String wrong = "00".repeat(32);
            try (LedgerClient c = LedgerClient.pinned("127.0.0.1", s.port(), wrong, null)) {
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, c::metagraph);
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            }
        }
    }
}
