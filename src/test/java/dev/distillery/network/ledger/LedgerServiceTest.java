package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.BalanceRequest;
import dev.distillery.network.proto.v1.CommitRequest;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.EpochReportsRequest;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.MetagraphRequest;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.RegisterRequest;
import dev.distillery.network.proto.v1.SetWeightsRequest;
import dev.distillery.store.Database;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger end to end over real gRPC on loopback: signed register, commit and weights; an epoch pays the miner
 * exactly its emission; the epoch stream; refusals with reasons; a restart loses nothing.
 */
class LedgerServiceTest {
    static final String REGISTER = LedgerGrpc.getRegisterMethod().getFullMethodName();
    static final String COMMIT = LedgerGrpc.getCommitMethod().getFullMethodName();
    static final String SET_WEIGHTS = LedgerGrpc.getSetWeightsMethod().getFullMethodName();

    @TempDir
    Path dir;
    final AtomicLong nonce = new AtomicLong();
    final HotkeyPair miner = HotkeyPair.generate();
    final HotkeyPair copier = HotkeyPair.generate();
    final HotkeyPair validator = HotkeyPair.generate();

    /** One running ledger: its database, service and a client channel. */
    final class Running implements AutoCloseable {
        final Database db = Database.openLedger(dir.resolve("ledger"));
        final Ledger ledger = new Ledger(db.ledger(), new Ledger.Config(10, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18,
                "owner"));
        final Server server;
        final ManagedChannel channel;

        Running() throws Exception {
            LedgerService service = new LedgerService(ledger, db.ledger(),
                    hotkey -> hotkey.equals(validator.hotkey().ss58()) ? 100 : 0);
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service.secured())
                    .build().start();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        }

        LedgerGrpc.LedgerBlockingStub stub() {
            return LedgerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        }

        <M extends com.google.protobuf.Message> M signed(M m, HotkeyPair who, String method) {
            return SignedHeaders.sign(m, who, method, nonce.incrementAndGet(), ledger.block());
        }

        long balance(HotkeyPair who) {
            return stub().balance(BalanceRequest.newBuilder().setKey(ByteString.copyFrom(who.hotkey().bytes()))
                    .build()).getFree();
        }

        @Override
        public void close() throws Exception {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            db.close();
        }
    }

    @Test
    void aMinerIsPaidExactlyItsEmissionAndARestartLosesNothing() throws Exception {
        ByteString sha = ByteString.copyFrom(new byte[32]).concat(ByteString.EMPTY);
        long minerBalance;
        int minerUid;
        try (Running r = new Running()) {
            minerUid = r.stub().register(r.signed(RegisterRequest.getDefaultInstance(), miner, REGISTER)).getUid();
            r.stub().register(r.signed(RegisterRequest.getDefaultInstance(), copier, REGISTER));
            int v = r.stub().register(r.signed(RegisterRequest.getDefaultInstance(), validator, REGISTER)).getUid();
            assertThat(r.stub().commit(r.signed(CommitRequest.newBuilder().setModelSha256(sha).build(), miner,
                    COMMIT)).getOwner()).isTrue();
            var late = r.stub().commit(r.signed(CommitRequest.newBuilder().setModelSha256(sha).build(), copier,
                    COMMIT));
            assertThat(late.getOwner()).isFalse();
            assertThat(late.getOwnerUid()).isEqualTo(minerUid);

            r.ledger.advanceTo(11);
            SetWeightsRequest weights = r.signed(SetWeightsRequest.newBuilder().addUids(minerUid).addWeights(1f)
                    .build(), validator, SET_WEIGHTS);
            r.stub().setWeights(weights);
            // the same signed request again is a replay
            StatusRuntimeException replay = catchThrowableOfType(StatusRuntimeException.class,
                    () -> r.stub().setWeights(weights));
            assertThat(replay.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            // a miner has no validator permit: refused with the reason
            StatusRuntimeException noPermit = catchThrowableOfType(StatusRuntimeException.class,
                    () -> r.stub().setWeights(r.signed(SetWeightsRequest.newBuilder().addUids(v).addWeights(1f)
                            .build(), miner, SET_WEIGHTS)));
            assertThat(noPermit.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(noPermit.getStatus().getDescription()).contains("no validator permit");

            long before = r.balance(miner);
            r.ledger.advanceTo(20);
            Neuron m = r.stub().metagraph(MetagraphRequest.getDefaultInstance()).getNeurons(minerUid);
            assertThat(m.getEmission()).isPositive();
            assertThat(r.balance(miner) - before).isEqualTo(m.getEmission());
            assertThat(m.getIncentive()).isEqualTo(1.0);

            Iterator<EpochReport> reports = LedgerGrpc.newBlockingStub(r.channel).withDeadlineAfter(20,
                    TimeUnit.SECONDS).epochReports(EpochReportsRequest.newBuilder().setFromEpoch(2).build());
            EpochReport second = reports.next();
            assertThat(second.getEpoch()).isEqualTo(2);
            assertThat(second.getSharesList().get(minerUid).getEmission()).isEqualTo(m.getEmission());
            assertThat(second.getTotalEmission()).isEqualTo(10 * Ledger.RAO);
            minerBalance = r.balance(miner);
        }
        try (Running again = new Running()) {
            assertThat(again.balance(miner)).isEqualTo(minerBalance);
            assertThat(again.stub().metagraph(MetagraphRequest.getDefaultInstance()).getNeuronsCount()).isEqualTo(3);
            assertThat(again.db.ledger().balanceSum()).isEqualTo(again.db.ledger().meta().totalEmitted());
        }
    }
}
