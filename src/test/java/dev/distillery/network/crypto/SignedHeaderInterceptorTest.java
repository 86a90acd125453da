package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.distillery.network.proto.v1.CommitRequest;
import dev.distillery.network.proto.v1.CommitResponse;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.RegisterRequest;
import dev.distillery.network.proto.v1.RegisterResponse;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.proto.v1.UploadResponse;
import dev.distillery.network.proto.v1.UploadStart;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Real gRPC over loopback: tiny fake services behind the interceptor see only verified requests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedHeaderInterceptorTest {
    static final String COMMIT = LedgerGrpc.getCommitMethod().getFullMethodName();
    static final String REGISTER = LedgerGrpc.getRegisterMethod().getFullMethodName();
    static final String UPLOAD = ValidatorGrpc.getUploadMethod().getFullMethodName();

    final AtomicLong block = new AtomicLong(500);
    /** The miner's nonces: tests share one server (and its memory of nonces), in any order. */
    final AtomicLong nonces = new AtomicLong();
    final HotkeyPair miner = HotkeyPair.generate();
    final Set<Hotkey> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<String> served = new CopyOnWriteArrayList<>();
    Server server;
    ManagedChannel channel;
    LedgerGrpc.LedgerBlockingStub ledger;

    /** Only checks that it was reached; the header was verified before. */
    final class FakeLedger extends LedgerGrpc.LedgerImplBase {
        @Override
        public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
            served.add("commit " + Hotkey.of(request.getHeader().getHotkey().toByteArray()).ss58());
            response.onNext(CommitResponse.newBuilder().setBlock(block.get()).setOwner(true).build());
            response.onCompleted();
        }

        @Override
        public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
            registered.add(Hotkey.of(request.getHeader().getHotkey().toByteArray()));
            response.onNext(RegisterResponse.newBuilder().setUid(registered.size() - 1).build());
            response.onCompleted();
        }
    }

    /** Counts the bytes of an upload. */
    final class FakeValidator extends ValidatorGrpc.ValidatorImplBase {
        @Override
        public StreamObserver<UploadChunk> upload(StreamObserver<UploadResponse> response) {
            return new StreamObserver<>() {
                long received;

                @Override
                public void onNext(UploadChunk chunk) {
                    received += chunk.getData().size();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    served.add("upload " + received);
                    response.onNext(UploadResponse.newBuilder().setSubmissionId("s1").setReceived(received).build());
                    response.onCompleted();
                }
            };
        }
    }

    @BeforeAll
    void start() throws Exception {
        registered.add(miner.hotkey());
        RequestVerifier verifier = new RequestVerifier(block::get, new RequestVerifier.Policy(10, 2, 1000), registered::contains);
        SignedHeaderInterceptor interceptor = new SignedHeaderInterceptor(verifier, Set.of(REGISTER));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new FakeLedger(), interceptor))
                .addService(ServerInterceptors.intercept(new FakeValidator(), interceptor))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        ledger = LedgerGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    LedgerGrpc.LedgerBlockingStub ledger() {
        return ledger.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static CommitRequest commit(String hash) {
        return CommitRequest.newBuilder().setModelSha256(ByteString.copyFromUtf8(hash)).setModelSize(1234).build();
    }

    Status refusal(Runnable call, String reason) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call is refused").isNotNull();
        assertThat(e.getTrailers().get(SignedHeaderInterceptor.REASON_KEY)).isEqualTo(reason);
        assertThat(e.getStatus().getDescription()).startsWith(reason + ": ");
        return e.getStatus();
    }

    @Test
    void aValidSignedCommitReachesTheService() {
        CommitRequest signed = SignedHeaders.sign(commit("a"), miner, COMMIT, nonces.incrementAndGet(), block.get());
        assertThat(ledger().commit(signed).getOwner()).isTrue();
        assertThat(served).contains("commit " + miner.hotkey().ss58());
    }

    @Test
    void aForgedCommitIsUnauthenticated() {
        CommitRequest signed = SignedHeaders.sign(commit("b"), miner, COMMIT, nonces.incrementAndGet(), block.get());
        CommitRequest tampered = signed.toBuilder().setModelSha256(ByteString.copyFromUtf8("evil")).build();
        int before = served.size();
        Status status = refusal(() -> ledger().commit(tampered), "FORGED");
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(served).hasSize(before);
        // a signature made for another method does not work on Commit either
        CommitRequest wrongMethod = SignedHeaders.sign(commit("b"), miner, "distillery.v1.Ledger/SetWeights", nonces.incrementAndGet(), block.get());
        assertThat(refusal(() -> ledger().commit(wrongMethod), "FORGED").getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aReplayedCommitIsAlreadyExists() {
        HotkeyPair other = HotkeyPair.generate();
        registered.add(other.hotkey());
        CommitRequest signed = SignedHeaders.sign(commit("c"), other, COMMIT, 1, block.get());
        assertThat(ledger().commit(signed).getOwner()).isTrue();
        Status status = refusal(() -> ledger().commit(signed), "REPLAYED");
        assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(status.getDescription()).contains("nonce 1");
    }

    @Test
    void aStaleCommitIsFailedPrecondition() {
        CommitRequest signed = SignedHeaders.sign(commit("d"), miner, COMMIT, nonces.incrementAndGet(), block.get() - 11);
        Status status = refusal(() -> ledger().commit(signed), "STALE");
        assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getDescription()).contains("current block " + block.get());
    }

    @Test
    void missingHeadersAndUnknownHotkeysAreRefusedButRegisterIsOpen() {
        assertThat(refusal(() -> ledger().commit(commit("e")), "MISSING_HEADER").getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        HotkeyPair newcomer = HotkeyPair.generate();
        CommitRequest early = SignedHeaders.sign(commit("e"), newcomer, COMMIT, 1, block.get());
        assertThat(refusal(() -> ledger().commit(early), "UNKNOWN_HOTKEY").getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        RegisterRequest register = SignedHeaders.sign(RegisterRequest.getDefaultInstance(), newcomer, REGISTER, 2, block.get());
        ledger().register(register);
        CommitRequest later = SignedHeaders.sign(commit("e"), newcomer, COMMIT, 3, block.get());
        assertThat(ledger().commit(later).getOwner()).isTrue();
    }

    @Test
    void aClientStreamNeedsTheHeaderOnlyOnItsFirstMessage() throws Exception {
        UploadChunk first = SignedHeaders.sign(UploadChunk.newBuilder()
                .setStart(UploadStart.newBuilder().setModelSha256(ByteString.copyFromUtf8("f")).setSize(6))
                .setData(ByteString.copyFromUtf8("abc")).build(), miner, UPLOAD, nonces.incrementAndGet(), block.get());
        assertThat(upload(first).get(10, TimeUnit.SECONDS).getReceived()).isEqualTo(6);
        assertThat(served).contains("upload 6");
        UploadChunk unsigned = UploadChunk.newBuilder().setData(ByteString.copyFromUtf8("abc")).build();
        Throwable error = catchThrowableOfType(Exception.class, () -> upload(unsigned).get(10, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Status.fromThrowable(error).getDescription()).startsWith("MISSING_HEADER: ");
    }

    CompletableFuture<UploadResponse> upload(UploadChunk first) {
        dev.distillery.network.FutureObserver<UploadResponse> answer = new dev.distillery.network.FutureObserver<>();
        CompletableFuture<UploadResponse> result = answer.future();
        StreamObserver<UploadChunk> out = ValidatorGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .upload(answer);
        out.onNext(first);
        out.onNext(UploadChunk.newBuilder().setData(ByteString.copyFromUtf8("def")).build());
        out.onCompleted();
        return result;
    }
}
