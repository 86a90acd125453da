package dev.distillery.network.validator;

import dev.distillery.distill.StudentTask;
import static dev.distillery.network.validator.Uploads.accepted;
import static dev.distillery.network.validator.Uploads.awaitFinal;
import static dev.distillery.network.validator.Uploads.refusal;
import static dev.distillery.network.validator.Uploads.sha;
import static dev.distillery.network.validator.Uploads.status;
import static dev.distillery.network.validator.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator's epochs against a fake ledger, with tiny code-built models on a generated 64×64 "scenes" challenge
 * of 4 images: a fresh, reproducible evaluation set per epoch; re-evaluation at the boundary; weights once per
 * epoch; copies by outputs; a challenge change read at the next epoch; a restart that keeps everything.
 */
class ValidatorNodeTest {
    static final int SIZE = 64;

    @TempDir
    Path dir;
    final FakeLedger ledger = new FakeLedger(challenge(10_000));

    static Challenge challenge(long sizeCap) {
        return new Challenge("gen", "0".repeat(64), StudentTask.DENSE, List.of(),
                new Challenge.InputSpec(SIZE, SIZE, 3), 1000, sizeCap, 0, 0, null,
                Challenge.EvalData.generated("scenes", 4, 0), 0.3);
    }

    ValidatorNode open(Path folder) throws Exception {
        Path teacher = dir.resolve("teacher.onnx");
        if (!Files.exists(teacher)) {
            TestModels.map(true, SIZE).write(teacher);
        }
        return ValidatorNode.open(new ValidatorNode.Config(folder, teacher, null, 1,
                new SandboxEvaluator.Limits(512, 4096, 120)), ledger, ProfileInference.infer(OnnxModelReader.read(teacher)));
    }

    /** SHA-256 over the names and bytes of every file of a set. */
    static String contentOf(Path images) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(images)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                md.update(images.relativize(p).toString().getBytes());
                md.update(Files.readAllBytes(p));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void eachEpochHasAFreshSetReproducibleFromTheSecret() throws Exception {
        Path folder = dir.resolve("v");
        String first;
        String second;
        byte[] secret;
        try (ValidatorNode node = open(folder)) {
            secret = Files.readAllBytes(folder.resolve("secret"));
            assertThat(secret).hasSize(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("secret"))))
                    .isEqualTo("rw-------");
            assertThat(node.current().epoch()).isEqualTo(1);
            Path one = node.current().images();
            first = contentOf(one);
            ledger.epoch = 1;
            node.tick();
            assertThat(node.current().epoch()).isEqualTo(2);
            second = contentOf(node.current().images());
            assertThat(second).isNotEqualTo(first);
            assertThat(one).doesNotExist(); // older sets are deleted
            assertThat(node.current().challenge().data().seed())
                    .isEqualTo(Challenge.epochSeed("gen", 2, secret));
        }
        // the same epoch and secret give the same set, even when it has to be made again
        dev.distillery.core.Folders.deleteTree(folder.resolve("eval"));
        try (ValidatorNode again = open(folder)) {
            assertThat(Files.readAllBytes(folder.resolve("secret"))).isEqualTo(secret);
            assertThat(contentOf(again.current().images())).isEqualTo(second);
        }
        // another validator (another secret) evaluates on other images
        try (ValidatorNode other = open(dir.resolve("other"))) {
            assertThat(contentOf(other.current().images())).isNotEqualTo(second);
        }
    }

    @Test
    void epochsRescoreWeighRejectCopiesFollowTheChallengeAndSurviveARestart() throws Exception {
        HotkeyPair good = HotkeyPair.generate();
        HotkeyPair worse = HotkeyPair.generate();
        HotkeyPair copier = HotkeyPair.generate();
        ledger.uids.put(good.hotkey().ss58(), 1);
        ledger.uids.put(worse.hotkey().ss58(), 2);
        ledger.uids.put(copier.hotkey().ss58(), 3);
        byte[] goodModel = TestModels.student(SIZE).toBytes();
        byte[] worseModel = TestModels.map(false, SIZE, 0, 0, -1).toBytes();
        // the same outputs as the good model under another hash, committed later
        byte[] copyModel = TestModels.student(SIZE).metadata("note", "not a copy, honest").toBytes();
        assertThat(sha(copyModel)).isNotEqualTo(sha(goodModel));
        ledger.commit(sha(goodModel), good.hotkey().ss58(), 10);
        ledger.commit(sha(worseModel), worse.hotkey().ss58(), 11);
        ledger.commit(sha(copyModel), copier.hotkey().ss58(), 20);

        Path folder = dir.resolve("v");
        ValidatorNode node = open(folder);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(node.service().secured()).build().start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        String goodId;
        Map<Integer, Double> scoresAtClose;
        try {
            goodId = accepted(upload(ch, good, goodModel, sha(goodModel), goodModel.length));
            String worseId = accepted(upload(ch, worse, worseModel, sha(worseModel), worseModel.length));
            String copyId = accepted(upload(ch, copier, copyModel, sha(copyModel), copyModel.length));
            SubmissionStatus g = awaitFinal(ch, goodId);
            SubmissionStatus w = awaitFinal(ch, worseId);
            SubmissionStatus c = awaitFinal(ch, copyId);
            assertThat(g.getState()).as(g.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(g.getEpoch()).isEqualTo(1);
            assertThat(w.getState()).as(w.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(w.getScore()).isLessThan(g.getScore());
            assertThat(c.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
            assertThat(c.getReason()).isEqualTo("copy of uid 1");
            assertThat(ledger.weights).as("no scores at the first start: no weights").isEmpty();

            // the boundary: weights once from the latest scores, then everything re-evaluated on the new set
            // a refusal (e.g. not staked yet) is tried again at a later block, not at the same one
            ledger.refuseWeights = "not enough stake";
            ledger.epoch = 1;
            node.tick();
            assertThat(node.lastWeights()).isEmpty();
            ledger.refuseWeights = null;
            node.tick();
            assertThat(ledger.weights).isEmpty();
            ledger.block = 43;
            node.tick();
            node.tick();
            assertThat(ledger.weights).hasSize(1);
            Map<Integer, Double> row = ledger.weights.get(0);
            assertThat(row.keySet()).containsExactlyInAnyOrder(1, 2); // the copy has no score
            assertThat(row.get(1)).isGreaterThan(row.get(2));
            assertThat(row.get(1) + row.get(2)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(node.lastWeights().orElseThrow().epoch()).isEqualTo(2);
            awaitIdle(node);
            SubmissionStatus g2 = status(ch, goodId);
            assertThat(g2.getState()).as(g2.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(g2.getEpoch()).isEqualTo(2);
            assertThat(status(ch, worseId).getEpoch()).isEqualTo(2);
            SubmissionStatus c2 = status(ch, copyId);
            assertThat(c2.getEpoch()).isEqualTo(2);
            assertThat(c2.getReason()).isEqualTo("copy of uid 1");

            // the owner lowers the size cap from epoch 3: an upload that fits now is refused after the boundary,
            // and the copy the validator already holds is rejected when re-evaluated on epoch 3
            HotkeyPair big = HotkeyPair.generate();
            ledger.uids.put(big.hotkey().ss58(), 4);
            byte[] next = TestModels.map(false, SIZE, 0, 0, 2).metadata("padding", "x".repeat(400)).toBytes();
            long cap = goodModel.length + 100;
            assertThat(next.length).isGreaterThan((int) cap);
            ledger.commit(sha(next), big.hotkey().ss58(), 30);
            ledger.changeChallenge(3, challenge(cap));
            String nextId = accepted(upload(ch, big, next, sha(next), next.length));
            SubmissionStatus n = awaitFinal(ch, nextId);
            assertThat(n.getState()).as(n.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(n.getEpoch()).isEqualTo(2);
            assertThat(node.latestScores()).containsOnlyKeys(1, 2, 4);
            ledger.epoch = 2;
            node.tick();
            assertThat(ledger.weights).hasSize(2);
            assertThat(ledger.weights.get(1).keySet()).containsExactlyInAnyOrder(1, 2, 4);
            Status refused = refusal(upload(ch, big, next, sha(next), next.length));
            assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getDescription()).contains("size cap of " + cap);
            awaitIdle(node);
            SubmissionStatus n3 = status(ch, nextId);
            assertThat(n3.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
            assertThat(n3.getReason()).startsWith("over the size cap");
            assertThat(status(ch, goodId).getEpoch()).isEqualTo(3);
            scoresAtClose = node.latestScores();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            node.close();
        }

        // a restart keeps the secret, the submissions and the scores, so weights go on at the next boundary
        byte[] secret = Files.readAllBytes(folder.resolve("secret"));
        try (ValidatorNode again = open(folder)) {
            assertThat(Files.readAllBytes(folder.resolve("secret"))).isEqualTo(secret);
            assertThat(again.service().submission(goodId)).isPresent();
            assertThat(again.current().epoch()).isEqualTo(3);
            assertThat(again.lastWeights().orElseThrow().epoch()).isEqualTo(3);
            assertThat(ledger.weights).as("not set twice for the same epoch").hasSize(2);
            assertThat(scoresAtClose).containsOnlyKeys(1, 2);
            assertThat(again.latestScores()).isEqualTo(scoresAtClose);
            ledger.epoch = 3;
            again.tick();
            assertThat(ledger.weights).hasSize(3);
            assertThat(ledger.weights.get(2).keySet()).isEqualTo(scoresAtClose.keySet());
            awaitIdle(again);
        }
    }

    @Test
    void anEvaluationRunningAtTheBoundaryKeepsItsSetThenRunsAgainOnTheNewOne() throws Exception {
        HotkeyPair miner = HotkeyPair.generate();
        byte[] slow = slowCommittedModel(miner);
        try (ValidatorNode node = open(dir.resolve("v"))) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(node.service().secured()).build().start();
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            try {
                Path first = node.current().images();
                String id = accepted(upload(ch, miner, slow, sha(slow), slow.length));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ProcessHandle.current().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(status(ch, id).getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_EVALUATING);
                ledger.epoch = 1;
                node.tick();
                assertThat(node.current().epoch()).isEqualTo(2);
                assertThat(first).as("still in use by the running evaluation").isDirectory();
                awaitIdle(node);
                SubmissionStatus st = status(ch, id);
                assertThat(st.getState()).as(st.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
                assertThat(st.getEpoch()).isEqualTo(2);
                assertThat(first).as("deleted once nothing uses it").doesNotExist();
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void boundariesDuringARoundWaitForItAndCoalesceIntoOneRoundOnTheNewestSet() throws Exception {
        HotkeyPair miner = HotkeyPair.generate();
        byte[] slow = slowCommittedModel(miner);
        try (ValidatorNode node = open(dir.resolve("v"))) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(node.service().secured()).build().start();
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            try {
                String id = accepted(upload(ch, miner, slow, sha(slow), slow.length));
                awaitIdle(node);
                assertThat(status(ch, id).getEpoch()).isEqualTo(1);
                assertThat(node.roundsStarted()).isEqualTo(1); // at the first start
                ledger.epoch = 1;
                node.tick(); // round for epoch 2
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ProcessHandle.current().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(ProcessHandle.current().descendants().findAny()).as("a re-evaluation runs").isPresent();
                // while it is re-evaluated the miner still sees its verdict of epoch 1, not "queued" again
                SubmissionStatus during = status(ch, id);
                assertThat(during.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
                assertThat(during.getEpoch()).isEqualTo(1);
                ledger.epoch = 2;
                node.tick(); // a round for epoch 3 waits for the running one
                ledger.epoch = 3;
                node.tick(); // and becomes the round for epoch 4
                assertThat(ledger.weights).as("weights at each boundary, round finished or not").hasSize(3);
                awaitIdle(node);
                assertThat(node.roundsStarted()).isEqualTo(3);
                SubmissionStatus st = status(ch, id);
                assertThat(st.getState()).as(st.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
                assertThat(st.getEpoch()).isEqualTo(4);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A model slow enough to be mid-evaluation at a boundary, committed by {@code miner} (uid 1), allowed in size. */
    byte[] slowCommittedModel(HotkeyPair miner) throws Exception {
        ledger.changeChallenge(0, challenge(3_000_000));
        ledger.uids.put(miner.hotkey().ss58(), 1);
        byte[] slow = TestModels.slow(SIZE, 64, 12).toBytes();
        ledger.commit(sha(slow), miner.hotkey().ss58(), 10);
        return slow;
    }

    static void awaitIdle(ValidatorNode node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!node.idle() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(node.idle()).as("all evaluations done").isTrue();
    }
}
