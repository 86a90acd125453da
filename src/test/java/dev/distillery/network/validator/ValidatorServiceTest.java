package dev.distillery.network.validator;

import dev.distillery.distill.StudentTask;
import static dev.distillery.network.validator.Uploads.awaitFinal;
import static dev.distillery.network.validator.Uploads.refusal;
import static dev.distillery.network.validator.Uploads.sha;
import static dev.distillery.network.validator.Uploads.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.distillery.distill.data.SyntheticData;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.ValidatorGrpc;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.TestModels;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    final FakeLedger ledger = new FakeLedger(new Challenge("test", "0".repeat(64), StudentTask.DENSE, List.of(),
            new Challenge.InputSpec(SIZE, SIZE, 3), 1000, 10_000, 0, 0, null, Challenge.EvalData.folder("unused"), 0.3));

    ValidatorNode node() throws Exception {
        Path teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        Path images = dir.resolve("images");
        if (!Files.exists(images)) {
            SyntheticData.write(SyntheticData.Kind.SCENES, 4, 3, SIZE, images);
        }
        return ValidatorNode.open(new ValidatorNode.Config(dir.resolve("validator"), teacher, images, 1,
                new SandboxEvaluator.Limits(512, 4096, 120)), ledger, ProfileInference.infer(OnnxModelReader.read(teacher)));
    }

    @Test
    void uploadsAreCheckedScoredAndRemembered() throws Exception {
        byte[] model = TestModels.student(SIZE).toBytes();
        String sha = sha(model);
        ledger.uids.put(miner.hotkey().ss58(), 3);
        ledger.uids.put(copier.hotkey().ss58(), 4);
        String id;
        ValidatorNode node = node();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(node.service().secured())
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
            ledger.commit(sha, miner.hotkey().ss58(), 10);
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
            node.close();
        }
        // a restarted validator still answers for the submission
        ValidatorNode again = node();
        try {
            assertThat(again.service().submission(id).orElseThrow().state())
                    .isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED.name());
        } finally {
            again.close();
        }
    }
}
