package dev.distillery.network;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.Sha256;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.miner.ValidatorClient;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load on loopback: 100 miners at once register, commit and upload a student each (all different) to one validator
 * over real gRPC. None is lost: 100 UIDs, 100 commitments, 100 submissions, and every submission reaches a final
 * status. The tempo is long so that no re-evaluation round runs during the test.
 */
class NetworkLoadTest {
    static final int MINERS = 100;
    static final int SIZE = 32;

    @TempDir
    Path dir;

    @Test
    void aHundredConcurrentMinersRegisterAndUploadAndNoneIsLost() throws Exception {
        HotkeyPair owner = HotkeyPair.generate();
        HotkeyPair validatorKey = HotkeyPair.generate();
        Ledger.Config d = Ledger.Config.devnet(owner.hotkey().ss58());
        Ledger.Config config = new Ledger.Config(100_000, d.maxUids(), d.immunityPeriod(), d.maxValidators(),
                d.activityCutoff(), d.kappa(), d.bondsAlpha(), d.bondsPenalty(), d.emissionPerBlock(), d.ownerCut(),
                owner.hotkey().ss58());
        Challenge challenge = new Challenge("load", "0".repeat(64), StudentTask.DENSE, List.of(),
                new Challenge.InputSpec(SIZE, SIZE, 3), 1000, 20_000, 0, 0, null,
                Challenge.EvalData.generated("scenes", 2, 0), 0.3);
        Path teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        String v = validatorKey.hotkey().ss58();
        try (LedgerServer ledger = LedgerServer.start(dir.resolve("ledger").resolve("ledger"), "127.0.0.1", 0,
                config, 100, hk -> hk.equals(v) ? 1000.0 : 0.0, null, challenge)) {
            LedgerClient vc = LedgerClient.plaintext("127.0.0.1", ledger.port(), validatorKey);
            vc.register(false);
            try (ValidatorServer validator = ValidatorServer.start(new ValidatorNode.Config(dir.resolve("validator"),
                            teacher, null, 2, new SandboxEvaluator.Limits(256, 4096, 120)),
                    new ValidatorServer.Options("127.0.0.1", 0, null, 200), new GrpcLedgerLink(vc),
                    ProfileInference.infer(OnnxModelReader.read(teacher)))) {
                ExecutorService pool = Executors.newFixedThreadPool(MINERS);
                Map<String, Integer> uidBySubmission = new ConcurrentHashMap<>();
                List<Future<String>> uploads = new ArrayList<>();
                for (int i = 0; i < MINERS; i++) {
                    int n = i;
                    uploads.add(pool.submit((Callable<String>) () -> {
                        HotkeyPair key = HotkeyPair.generate();
                        // each miner its own model: a slightly different kernel, so a different hash and outputs
                        Path model = TestModels.map(false, SIZE, 0.01f * n, 0, 1).write(dir.resolve("m" + n + ".onnx"));
                        try (LedgerClient lc = LedgerClient.plaintext("127.0.0.1", ledger.port(), key);
                             ValidatorClient up = ValidatorClient.plaintext("127.0.0.1", validator.port(), key)) {
                            int uid = lc.register(false).getUid();
                            assertThat(lc.commit(Sha256.of(model), Files.size(model)).getOwner()).isTrue();
                            String id = up.upload(model, lc.block(), null).getSubmissionId();
                            uidBySubmission.put(id, uid);
                            return id;
                        }
                    }));
                }
                Set<String> ids = new HashSet<>();
                for (Future<String> f : uploads) {
                    ids.add(f.get(5, TimeUnit.MINUTES));
                }
                pool.shutdown();
                assertThat(ids).hasSize(MINERS);
                assertThat(new HashSet<>(uidBySubmission.values())).as("distinct UIDs").hasSize(MINERS);
                try (LedgerClient r = LedgerClient.plaintext("127.0.0.1", ledger.port(), null);
                     ValidatorClient s = ValidatorClient.plaintext("127.0.0.1", validator.port(), null)) {
                    assertThat(r.metagraph().getNeuronsCount()).isEqualTo(MINERS + 1);
                    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    Set<String> open = new HashSet<>(ids);
                    while (!open.isEmpty()) {
                        assertThat(System.nanoTime()).as("%d submissions still not final", open.size())
                                .isLessThan(until);
                        Thread.sleep(500);
                        open.removeIf(id -> ValidatorClient.isFinal(s.status(id)));
                    }
                    int scored = 0;
                    for (String id : ids) {
                        SubmissionStatus st = s.status(id);
                        assertThat(st.getUid()).isEqualTo(uidBySubmission.get(id));
                        if (st.getState() == SubmissionState.SUBMISSION_STATE_SCORED) {
                            scored++;
                        }
                    }
                    assertThat(scored).as("honest, distinct students all score").isEqualTo(MINERS);
                }
            }
        }
    }
}
