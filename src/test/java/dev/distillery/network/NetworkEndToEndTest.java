package dev.distillery.network;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.distillery.core.Sha256;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.miner.ValidatorClient;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.TestModels;
import dev.distillery.network.validator.GrpcLedgerLink;
import dev.distillery.network.validator.ValidatorNode;
import dev.distillery.network.validator.ValidatorServer;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole network over real gRPC on loopback, nothing faked: a ledger with its block clock and H2 database, a
 * validator with its sandbox child JVMs setting weights each tempo, and miners using the same clients as the app.
 * A miner registers, commits and uploads; its submission reaches SCORED; after the following epochs its balance grew
 * by exactly the emissions the epoch reports give it. A later copy (same hash) and a disguised copy (new hash, same
 * outputs) both end with score 0 and "copy of uid N". Restarting ledger and validator loses nothing.
 */
class NetworkEndToEndTest {
    static final int SIZE = 64;
    static final long BLOCK_MS = 200;
    static final long TEMPO = 20;

    @TempDir
    Path dir;
    final HotkeyPair owner = HotkeyPair.generate();
    final HotkeyPair validatorKey = HotkeyPair.generate();
    final HotkeyPair miner = HotkeyPair.generate();
    final HotkeyPair copier = HotkeyPair.generate();
    final HotkeyPair disguiser = HotkeyPair.generate();

    static Challenge challenge() {
        return new Challenge("e2e", "0".repeat(64), StudentTask.DENSE, List.of(), new Challenge.InputSpec(SIZE,
                SIZE, 3), 1000, 20_000, 0, 0, null, Challenge.EvalData.generated("scenes", 4, 0), 0.3);
    }

    LedgerServer ledger() throws Exception {
        Ledger.Config d = Ledger.Config.devnet(owner.hotkey().ss58());
        Ledger.Config config = new Ledger.Config(TEMPO, d.maxUids(), d.immunityPeriod(), d.maxValidators(),
                d.activityCutoff(), d.kappa(), d.bondsAlpha(), d.bondsPenalty(), d.emissionPerBlock(), d.ownerCut(),
                owner.hotkey().ss58());
        String v = validatorKey.hotkey().ss58();
        return LedgerServer.start(dir.resolve("ledger").resolve("ledger"), "127.0.0.1", 0, config, BLOCK_MS,
                hk -> hk.equals(v) ? 1000.0 : 0.0, null, challenge());
    }

    ValidatorServer validator(LedgerServer ledger, Path teacher) throws Exception {
        LedgerClient client = LedgerClient.plaintext("127.0.0.1", ledger.port(), validatorKey);
        client.register(false);
        return ValidatorServer.start(new ValidatorNode.Config(dir.resolve("validator"), teacher, null, 1,
                        new SandboxEvaluator.Limits(512, 4096, 120)),
                new ValidatorServer.Options("127.0.0.1", 0, null, 100), new GrpcLedgerLink(client),
                ProfileInference.infer(OnnxModelReader.read(teacher)));
    }

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %d s for %s", seconds, what).isLessThan(until);
            Thread.sleep(50);
        }
    }

    static SubmissionStatus awaitFinal(ValidatorClient v, String id) throws InterruptedException {
        SubmissionStatus[] last = new SubmissionStatus[1];
        await("submission " + id + " to reach a final state", 120, () -> {
            last[0] = v.status(id);
            return ValidatorClient.isFinal(last[0]);
        });
        return last[0];
    }

    /** (last completed epoch, free balance) read at one epoch: retried while an epoch lands between the reads. */
    static long[] balanceAtEpoch(LedgerClient c, HotkeyPair key) {
        while (true) {
            long before = c.metagraph().getEpoch();
            long free = c.balance(key.hotkey().bytes()).getFree();
            if (c.metagraph().getEpoch() == before) {
                return new long[] {before, free};
            }
        }
    }

    static long emissionOf(List<EpochReport> reports, int uid, long afterEpoch, long upToEpoch) {
        long sum = 0;
        for (EpochReport r : reports) {
            if (r.getEpoch() > afterEpoch && r.getEpoch() <= upToEpoch) {
                sum += r.getShares(uid).getEmission();
            }
        }
        return sum;
    }

    static List<EpochReport> reports(LedgerClient c, long upTo) {
        List<EpochReport> out = new ArrayList<>();
        var it = c.epochReports(1);
        while (out.isEmpty() || out.get(out.size() - 1).getEpoch() < upTo) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void aMinerIsScoredPaidAndCopiesGetNothingAcrossARestart() throws Exception {
        Path teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        Path student = TestModels.student(SIZE).write(dir.resolve("student.onnx"));
        byte[] sha = Sha256.of(student);
        // the same outputs under a new hash: one metadata field added
        Path disguised = dir.resolve("disguised.onnx");
        Files.write(disguised, ModelProto.parseFrom(Files.readAllBytes(student)).toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("by").setValue("someone else"))
                .build().toByteArray());

        int minerUid;
        String submission;
        String copy;
        String disguisedId;
        Map<Integer, String> hotkeys;
        long[] balanceBefore;
        LedgerServer ledger = ledger();
        ValidatorServer validator = validator(ledger, teacher);
        try (LedgerClient m = LedgerClient.plaintext("127.0.0.1", ledger.port(), miner);
             LedgerClient c = LedgerClient.plaintext("127.0.0.1", ledger.port(), copier);
             LedgerClient d = LedgerClient.plaintext("127.0.0.1", ledger.port(), disguiser);
             ValidatorClient mv = ValidatorClient.plaintext("127.0.0.1", validator.port(), miner);
             ValidatorClient cv = ValidatorClient.plaintext("127.0.0.1", validator.port(), copier);
             ValidatorClient dv = ValidatorClient.plaintext("127.0.0.1", validator.port(), disguiser)) {
            minerUid = m.register(false).getUid();
            assertThat(m.commit(sha, Files.size(student)).getOwner()).isTrue();
            submission = mv.upload(student, m.block(), null).getSubmissionId();
            SubmissionStatus scored = awaitFinal(mv, submission);
            assertThat(scored.getState()).as(scored.getReason()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(scored.getQuality()).isEqualTo(1.0);
            assertThat(scored.getScore()).isPositive();
            assertThat(scored.getUid()).isEqualTo(minerUid);

            // the validator sets weights at the next boundary; the epoch after that pays the miner
            await("weights naming the miner", 60, () -> validator.node().lastWeights()
                    .map(w -> w.weights().containsKey(minerUid)).orElse(false));
            balanceBefore = balanceAtEpoch(m, miner);
            long target = balanceBefore[0] + 3;
            await("three more epochs", 60, () -> m.metagraph().getEpoch() >= target);
            long[] after = balanceAtEpoch(m, miner);
            List<EpochReport> reports = reports(m, after[0]);
            long earned = emissionOf(reports, minerUid, balanceBefore[0], after[0]);
            assertThat(earned).as("the miner earned in the epochs after its weights were set").isPositive();
            assertThat(after[1] - balanceBefore[1]).as("balance grew by exactly its emission").isEqualTo(earned);
            assertThat(after[1]).as("all it ever got is what the reports say")
                    .isEqualTo(emissionOf(reports, minerUid, 0, after[0]));

            // the same bytes from someone else: the hash is owned by the earliest commit
            int copierUid = c.register(false).getUid();
            var commit = c.commit(sha, Files.size(student));
            assertThat(commit.getOwner()).isFalse();
            assertThat(commit.getOwnerUid()).isEqualTo(minerUid);
            copy = cv.upload(student, c.block(), null).getSubmissionId();
            SubmissionStatus cs = awaitFinal(cv, copy);
            assertThat(cs.getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_REJECTED);
            assertThat(cs.getScore()).isZero();
            assertThat(cs.getReason()).isEqualTo("copy of uid " + minerUid);
            assertThat(cs.getUid()).isEqualTo(copierUid);

            // a new hash with the same outputs: found by comparing outputs on the evaluation set
            d.register(false);
            assertThat(d.commit(Sha256.of(disguised), Files.size(disguised)).getOwner()).isTrue();
            disguisedId = dv.upload(disguised, d.block(), null).getSubmissionId();
            SubmissionStatus ds = awaitFinal(dv, disguisedId);
            assertThat(ds.getScore()).isZero();
            assertThat(ds.getReason()).isEqualTo("copy of uid " + minerUid);

            hotkeys = hotkeys(m.metagraph());
        } finally {
            validator.close();
            ledger.close();
        }

        // restart both from their folders: registry, balances, epochs and submissions are all still there
        LedgerServer ledger2 = ledger();
        ValidatorServer validator2 = validator(ledger2, teacher);
        try (LedgerClient r = LedgerClient.plaintext("127.0.0.1", ledger2.port(), null);
             ValidatorClient v = ValidatorClient.plaintext("127.0.0.1", validator2.port(), null)) {
            MetagraphResponse meta = r.metagraph();
            assertThat(hotkeys(meta)).isEqualTo(hotkeys);
            assertThat(meta.getEpoch()).isGreaterThanOrEqualTo(balanceBefore[0] + 3);
            long[] now = balanceAtEpoch(r, miner);
            assertThat(now[1]).isEqualTo(emissionOf(reports(r, now[0]), minerUid, 0, now[0]));
            assertThat(r.commitment(sha).getUid()).isEqualTo(minerUid);
            // (a restart may start a re-evaluation round on a fresh set: wait for it to settle)
            assertThat(awaitFinal(v, submission).getState()).isEqualTo(SubmissionState.SUBMISSION_STATE_SCORED);
            assertThat(awaitFinal(v, copy).getReason()).isEqualTo("copy of uid " + minerUid);
            assertThat(awaitFinal(v, disguisedId).getReason()).isEqualTo("copy of uid " + minerUid);
        } finally {
            validator2.close();
            ledger2.close();
        }
    }

    static Map<Integer, String> hotkeys(MetagraphResponse m) {
        Map<Integer, String> out = new java.util.TreeMap<>();
        for (Neuron n : m.getNeuronsList()) {
            out.put(n.getUid(), n.getHotkeySs58());
        }
        return out;
    }
}
