package dev.distillery.network.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.distill.data.SyntheticData;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.crypto.SignedHeaders;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.SubmissionStatusRequest;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.proto.v1.UploadResponse;
import dev.distillery.network.proto.v1.UploadStart;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator over real gRPC on loopback: an upload checked against the commitment reaches SCORED through the
 * sandbox; a hash nobody committed, a hash mismatch and an oversized upload are refused with reasons; the same
 * model under a later commitment is a copy; a restarted validator still knows every submission.
 */
class ValidatorServiceTest {
    static final int SIZE = 64;
    static final String UPLOAD = ValidatorGrpc.getUploadMethod().getFullMethodName();

    @TempDir
    Path dir;
    final HotkeyPair miner = HotkeyPair.generate();
    final HotkeyPair copier = HotkeyPair.generate();
    /** sha → owner uid; hotkey → uid: what the ledger would say. */
    final Map<String, Integer> owners = new ConcurrentHashMap<>();
    final Map<String, Integer> uids = new ConcurrentHashMap<>();

    static OnnxBuilder map(boolean teacher) {
        OnnxBuilder b = new OnnxBuilder(teacher ? "teacher" : "student").opset(13)
                .input("image", TensorProto.DataType.FLOAT, 1, 3, SIZE, SIZE)
                .initializer("K", new float[] {0, 0, 1}, 1, 3, 1, 1)
                .node("Conv", List.of("image", "K"), List.of(teacher ? "logits" : "map"));
        if (teacher) {
            b.node("Sigmoid", List.of("logits"), List.of("map"));
        } else {
            b.metadata(StudentMetadata.KIND, "DENSE");
        }
        return b.output("map", TensorProto.DataType.FLOAT, 1, 1, SIZE, SIZE);
    }

    ValidatorService service() throws Exception {
        Path teacher = map(true).write(dir.resolve("teacher.onnx"));
        Path images = dir.resolve("images");
        if (!Files.exists(images)) {
            SyntheticData.write(SyntheticData.Kind.SCENES, 4, 3, SIZE, images);
        }
        Challenge c = new Challenge("test", "0".repeat(64), Challenge.Task.DENSE, List.of(),
                new Challenge.InputSpec(SIZE, SIZE, 3), 1000, 10_000, 0, 0, null,
                Challenge.EvalData.folder(images.toString()), 0.3);
        return new ValidatorService(dir.resolve("validator"), c, teacher,
                ProfileInference.infer(OnnxModelReader.read(teacher)), images,
                new SandboxEvaluator(new SandboxEvaluator.Limits(512, 4096, 120)),
                new ValidatorService.LedgerView() {
                    @Override
                    public Optional<Integer> ownerOf(String sha) {
                        return Optional.ofNullable(owners.get(sha));
                    }

                    @Override
                    public Optional<Integer> uidOf(String hotkey) {
                        return Optional.ofNullable(uids.get(hotkey));
                    }
                }, () -> 42);
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    CompletableFuture<UploadResponse> upload(ManagedChannel ch, HotkeyPair who, byte[] model, String declaredSha,
                                             long declaredSize) {
        CompletableFuture<UploadResponse> done = new CompletableFuture<>();
        StreamObserver<UploadChunk> in = ValidatorGrpc.newStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .upload(new StreamObserver<>() {
                    @Override
                    public void onNext(UploadResponse r) {
                        done.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        UploadChunk first = UploadChunk.newBuilder().setStart(UploadStart.newBuilder()
                .setModelSha256(ByteString.copyFrom(HexFormat.of().parseHex(declaredSha))).setSize(declaredSize))
                .setData(ByteString.copyFrom(model, 0, Math.min(100, model.length))).build();
        in.onNext(SignedHeaders.sign(first, who, UPLOAD, System.nanoTime(), 42));
        if (model.length > 100) {
            in.onNext(UploadChunk.newBuilder().setData(ByteString.copyFrom(model, 100, model.length - 100)).build());
        }
        in.onCompleted();
        return done;
    }

    static Status refusal(CompletableFuture<UploadResponse> f) {
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertThat(e).as("refused").isNotNull();
        return ((StatusRuntimeException) e.getCause()).getStatus();
    }

    @Test
    void uploadsAreCheckedScoredAndRemembered() throws Exception {
        byte[] model = map(false).toBytes();
        String sha = sha(model);
        uids.put(miner.hotkey().ss58(), 3);
        uids.put(copier.hotkey().ss58(), 4);
        String id;
        ValidatorService service = service();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service.secured())
                .build().start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            // an unregistered hotkey is refused before the service sees a byte
            assertThat(refusal(upload(ch, HotkeyPair.generate(), model, sha, model.length)).getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
            // nobody committed it yet
            Status s = refusal(upload(ch, miner, model, sha, model.length));
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).contains("does not match any commitment");
            owners.put(sha, 3);
            // the bytes are not what the start declared
            byte[] tampered = model.clone();
            tampered[tampered.length - 1] ^= 1;
            assertThat(refusal(upload(ch, miner, tampered, sha, tampered.length)).getDescription()).contains("not the declared");
            // oversized
            assertThat(refusal(upload(ch, miner, new byte[20_000], sha, 20_000)).getCode())
                    .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

            // a miner following its submissions sees them move to a final state
            java.util.concurrent.BlockingQueue<SubmissionStatus> changes = new java.util.concurrent.LinkedBlockingQueue<>();
            io.grpc.Context.CancellableContext follow = io.grpc.Context.current().withCancellation();
            follow.run(() -> ValidatorGrpc.newStub(ch).statusChanges(
                    dev.distillery.network.proto.v1.StatusChangesRequest.newBuilder()
                            .setHotkey(ByteString.copyFrom(miner.hotkey().bytes())).build(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(SubmissionStatus v) {
                            changes.add(v);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
            id = upload(ch, miner, model, sha, model.length).get(30, TimeUnit.SECONDS).getSubmissionId();
            SubmissionStatus st = awaitFinal(ch, id);
            SubmissionStatus last = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((last == null || last.getState() != SubmissionState.SUBMISSION_STATE_SCORED)
                    && System.nanoTime() < until) {
                SubmissionStatus next = changes.poll(200, TimeUnit.MILLISECONDS);
                last = next != null ? next : last;
            }
            follow.cancel(null);
            assertThat(last).isNotNull();
            assertThat(last.getSubmissionId()).isEqualTo(id);
            assertThat(last.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(st.getState()).as(st.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(st.getQuality()).isEqualTo(1.0);
            assertThat(st.getScore()).isPositive();
            assertThat(st.getUid()).isEqualTo(3);

            // the same bytes from another miner: the earliest commitment owns the hash
            String copy = upload(ch, copier, model, sha, model.length).get(30, TimeUnit.SECONDS).getSubmissionId();
            SubmissionStatus cs = awaitFinal(ch, copy);
            assertThat(cs.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
            assertThat(cs.getReason()).isEqualTo("copy of uid 3");
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            service.shutdown();
        }
        // a restarted validator still answers for the submission
        ValidatorService again = service();
        try {
            assertThat(again.submission(id).orElseThrow().state())
                    .isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED.name());
        } finally {
            again.shutdown();
        }
    }

    static SubmissionStatus awaitFinal(ManagedChannel ch, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SubmissionStatus st;
        do {
            Thread.sleep(100);
            st = ValidatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .submissionStatus(SubmissionStatusRequest.newBuilder().setSubmissionId(id).build());
        } while (st.getState() != SubmissionState.SUBMISSION_STATE_SCORED
                && st.getState() != SubmissionState.SUBMISSION_STATE_REJECTED && System.nanoTime() < deadline);
        return st;
    }
}
