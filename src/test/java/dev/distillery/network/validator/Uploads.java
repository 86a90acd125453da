package dev.distillery.network.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.SubmissionStatusRequest;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.proto.v1.UploadResponse;
import dev.distillery.network.proto.v1.UploadStart;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A miner's side of the Validator service for tests: signed chunked uploads and waiting for a final state. */
final class Uploads {
    static final String UPLOAD = ValidatorGrpc.getUploadMethod().getFullMethodName();

    private Uploads() {
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The signed first message: start, and the first 100 bytes. */
    static UploadChunk first(HotkeyPair who, byte[] model, String declaredSha, long declaredSize, long block) {
        UploadChunk first = UploadChunk.newBuilder().setStart(UploadStart.newBuilder()
                .setModelSha256(ByteString.copyFrom(HexFormat.of().parseHex(declaredSha))).setSize(declaredSize))
                .setData(ByteString.copyFrom(model, 0, Math.min(100, model.length))).build();
        return SignedHeaders.sign(first, who, UPLOAD, System.nanoTime(), block);
    }

    static CompletableFuture<UploadResponse> upload(ManagedChannel ch, HotkeyPair who, byte[] model,
                                                    String declaredSha, long declaredSize) {
        return upload(ch, first(who, model, declaredSha, declaredSize, 42), model);
    }

    /** Sends {@code first}, then the rest of {@code model} after its first 100 bytes. */
    static CompletableFuture<UploadResponse> upload(ManagedChannel ch, UploadChunk first, byte[] model) {
        dev.distillery.network.FutureObserver<UploadResponse> answer = new dev.distillery.network.FutureObserver<>();
        CompletableFuture<UploadResponse> done = answer.future();
        StreamObserver<UploadChunk> in = ValidatorGrpc.newStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .upload(answer);
        in.onNext(first);
        if (model.length > 100) {
            in.onNext(UploadChunk.newBuilder().setData(ByteString.copyFrom(model, 100, model.length - 100)).build());
        }
        in.onCompleted();
        return done;
    }

    static String accepted(CompletableFuture<UploadResponse> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS).getSubmissionId();
    }

    static Status refusal(CompletableFuture<UploadResponse> f) {
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertThat(e).as("refused").isNotNull();
        return ((StatusRuntimeException) e.getCause()).getStatus();
    }

    static SubmissionStatus status(ManagedChannel ch, String id) {
        return ValidatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .submissionStatus(SubmissionStatusRequest.newBuilder().setSubmissionId(id).build());
    }

    static SubmissionStatus awaitFinal(ManagedChannel ch, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SubmissionStatus st;
        do {
            Thread.sleep(100);
            st = status(ch, id);
        } while (st.getState() != SubmissionState.SUBMISSION_STATE_SCORED
                && st.getState() != SubmissionState.SUBMISSION_STATE_REJECTED && System.nanoTime() < deadline);
        return st;
    }
}
