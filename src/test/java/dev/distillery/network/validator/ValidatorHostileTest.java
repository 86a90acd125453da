package dev.distillery.network.validator;

import dev.distillery.distill.StudentTask;
import static dev.distillery.network.validator.Uploads.accepted;
import static dev.distillery.network.validator.Uploads.awaitFinal;
import static dev.distillery.network.validator.Uploads.first;
import static dev.distillery.network.validator.Uploads.refusal;
import static dev.distillery.network.validator.Uploads.sha;
import static dev.distillery.network.validator.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.distillery.network.NodeService;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.proto.v1.NodeGrpc;
import dev.distillery.network.proto.v1.PingRequest;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.proto.v1.UploadChunk;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.TestModels;
import dev.distillery.network.tls.PinnedTls;
import dev.distillery.network.tls.ServerIdentity;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator server over real gRPC on loopback (TLS, pinned certificate) against hostile miners: every bad
 * upload is refused or rejected with an explicit reason, and afterwards the validator still serves and scores an
 * honest upload.
 */
class ValidatorHostileTest {
    static final int SIZE = 64;

    @TempDir
    Path dir;
    final HotkeyPair miner = HotkeyPair.generate();
    final FakeLedger ledger = new FakeLedger(new Challenge("hostile", "0".repeat(64), StudentTask.DENSE, List.of(),
            new Challenge.InputSpec(SIZE, SIZE, 3), 2.0, 3_000_000, 0, 0, null,
            Challenge.EvalData.generated("scenes", 4, 0), 0.3));
    ValidatorServer server;
    ManagedChannel ch;
    long block = 11;

    @BeforeEach
    void start() throws Exception {
        ledger.uids.put(miner.hotkey().ss58(), 1);
        Path teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        ServerIdentity tls = ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        server = ValidatorServer.start(new ValidatorNode.Config(dir.resolve("v"), teacher, null, 1,
                        new SandboxEvaluator.Limits(512, 4096, 120)),
                new ValidatorServer.Options("127.0.0.1", 0, tls, 100), ledger,
                ProfileInference.infer(OnnxModelReader.read(teacher)));
        ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).overrideAuthority("127.0.0.1")
                .sslContext(PinnedTls.client(tls.fingerprint())).build();
    }

    @AfterEach
    void stop() throws Exception {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        server.close(); // idempotent
    }

    /** Commits {@code model}, uploads it and waits for its final state. */
    SubmissionStatus submit(byte[] model) throws Exception {
        ledger.commit(sha(model), miner.hotkey().ss58(), block++);
        return awaitFinal(ch, accepted(upload(ch, miner, model, sha(model), model.length)));
    }

    static void rejected(SubmissionStatus s, String reasonStart, String... contains) {
        assertThat(s.getState()).as(s.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
        assertThat(s.getScore()).isZero();
        assertThat(s.getReason()).startsWith(reasonStart);
        for (String c : contains) {
            assertThat(s.getReason()).contains(c);
        }
    }

    @Test
    void hostileUploadsAreRefusedOrRejectedWithReasonsAndTheValidatorKeepsServing() throws Exception {
        rejected(submit(TestModels.garbage()), "invalid model");
        rejected(submit(TestModels.truncated(SIZE)), "invalid model");
        rejected(submit(TestModels.externalData(SIZE).toBytes()), "unsafe model", "/etc/passwd");
        rejected(submit(TestModels.customDomain(SIZE).toBytes()), "unsafe model", "com.evil", "Backdoor");
        rejected(submit(TestModels.student(32).toBytes()), "wrong I/O", "[1, 3, 64, 64]");
        SubmissionStatus bomb = submit(TestModels.hugeAllocation(SIZE).toBytes());
        assertThat(bomb.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
        assertThat(bomb.getReason()).containsIgnoringCase("alloc");
        rejected(submit(TestModels.slow(SIZE, 64, 12).toBytes()), "over the latency budget");

        byte[] honest = TestModels.student(SIZE).toBytes();
        // nobody committed this hash
        Status s = refusal(upload(ch, miner, honest, sha(honest), honest.length));
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).contains("does not match any commitment");
        ledger.commit(sha(honest), miner.hotkey().ss58(), block++);
        // the bytes are not the committed ones
        byte[] other = TestModels.map(false, SIZE, 0, 1, 0).toBytes();
        s = refusal(upload(ch, miner, other, sha(honest), other.length));
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("is not the declared " + sha(honest));
        // a forged signature
        UploadChunk signed = first(miner, honest, sha(honest), honest.length, ledger.block());
        byte[] sig = signed.getHeader().getSignature().toByteArray();
        sig[0] ^= 1;
        UploadChunk forged = signed.toBuilder().setHeader(signed.getHeader().toBuilder()
                .setSignature(ByteString.copyFrom(sig))).build();
        s = refusal(Uploads.upload(ch, forged, honest));
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(s.getDescription()).startsWith("FORGED");
        // a replayed signature: the first use is accepted, the same signed message again is not
        accepted(Uploads.upload(ch, signed, honest));
        s = refusal(Uploads.upload(ch, signed, honest));
        assertThat(s.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(s.getDescription()).startsWith("REPLAYED");
        // oversized: refused from the declared size, before the bytes
        s = refusal(upload(ch, miner, honest, sha(honest), 4_000_000));
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("size cap of 3000000");

        // still serving: ping, and an honest upload is scored
        assertThat(NodeGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .ping(PingRequest.newBuilder().setNonce(7).build()).getServer().getProtocolVersion())
                .isEqualTo(NodeService.PROTOCOL_VERSION);
        SubmissionStatus ok = awaitFinal(ch, accepted(upload(ch, miner, honest, sha(honest), honest.length)));
        assertThat(ok.getState()).as(ok.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
        assertThat(ok.getQuality()).isEqualTo(1.0);
        assertThat(ok.getEpoch()).isEqualTo(1);
    }

    @Test
    void closingKillsARunningEvaluationAndARestartEvaluatesItAgain() throws Exception {
        byte[] slow = TestModels.slow(SIZE, 64, 12).toBytes();
        ledger.commit(sha(slow), miner.hotkey().ss58(), block++);
        String id = accepted(upload(ch, miner, slow, sha(slow), slow.length));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ProcessHandle.current().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ProcessHandle.current().descendants().findAny()).as("the evaluation's child").isPresent();
        server.close();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).findAny())
                .as("no child left after close").isEmpty();
        assertThat(server.node().service().submission(id).orElseThrow().state())
                .isEqualTo(SubmissionState.SUBMISSION_STATE_EVALUATING.name());

        Path teacher = dir.resolve("teacher.onnx");
        try (ValidatorNode again = ValidatorNode.open(new ValidatorNode.Config(dir.resolve("v"), teacher, null, 1,
                new SandboxEvaluator.Limits(512, 4096, 120)), ledger, ProfileInference.infer(OnnxModelReader.read(teacher)))) {
            ValidatorNodeTest.awaitIdle(again);
            ValidatorService.Submission s = again.service().submission(id).orElseThrow();
            assertThat(s.state()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED.name());
            assertThat(s.reason()).startsWith("over the latency budget");
        }
    }
}
