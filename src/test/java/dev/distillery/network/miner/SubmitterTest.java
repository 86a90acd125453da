package dev.distillery.network.miner;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.score.Challenge;
import dev.distillery.network.score.SandboxEvaluator;
import dev.distillery.network.score.Scorer;
import dev.distillery.network.score.TestModels;
import dev.distillery.network.validator.GrpcLedgerLink;
import dev.distillery.network.validator.ValidatorNode;
import dev.distillery.network.validator.ValidatorServer;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A miner's submission over real gRPC: the local preview gives the validator's own verdict; the timeline goes
 * committed → uploaded → (queued/evaluating) → scored with the score; a hash someone committed first is said at
 * commit and ends at score 0 with the reason.
 */
class SubmitterTest {
    static final int SIZE = 32;

    @TempDir
    Path dir;

    record Event(String validator, Submitter.Step step, String detail) {
    }

    @Test
    void previewCommitUploadAndTimelineToScored() throws Exception {
        HotkeyPair owner = HotkeyPair.generate();
        HotkeyPair vkey = HotkeyPair.generate();
        HotkeyPair miner = HotkeyPair.generate();
        HotkeyPair late = HotkeyPair.generate();
        Challenge challenge = new Challenge("submit", "0".repeat(64), StudentTask.DENSE, List.of(),
                new Challenge.InputSpec(SIZE, SIZE, 3), 1000, 20_000, 0, 0, null,
                Challenge.EvalData.generated("scenes", 3, 0), 0.3);
        Path teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        Path student = TestModels.student(SIZE).write(dir.resolve("student.onnx"));
        var profile = ProfileInference.infer(OnnxModelReader.read(teacher));
        SandboxEvaluator.Limits limits = new SandboxEvaluator.Limits(512, 4096, 120);

        Scorer.Verdict preview = Submitter.preview(student, challenge, teacher, profile, null, limits);
        assertThat(preview.scored()).as(preview.reason()).isTrue();
        assertThat(preview.quality()).isEqualTo(1.0);

        String v = vkey.hotkey().ss58();
        try (LedgerServer ledger = LedgerServer.start(dir.resolve("ledger").resolve("ledger"), "127.0.0.1", 0,
                Ledger.Config.devnet(owner.hotkey().ss58()), 200, hk -> hk.equals(v) ? 1000.0 : 0.0, null, challenge);
             LedgerClient vc = LedgerClient.plaintext("127.0.0.1", ledger.port(), vkey)) {
            vc.register(false);
            try (ValidatorServer validator = ValidatorServer.start(new ValidatorNode.Config(dir.resolve("v"), teacher,
                            null, 1, limits), new ValidatorServer.Options("127.0.0.1", 0, null, 200),
                    new GrpcLedgerLink(vc), profile);
                 LedgerClient m = LedgerClient.plaintext("127.0.0.1", ledger.port(), miner);
                 ValidatorClient mv = ValidatorClient.plaintext("127.0.0.1", validator.port(), miner);
                 LedgerClient l = LedgerClient.plaintext("127.0.0.1", ledger.port(), late);
                 ValidatorClient lv = ValidatorClient.plaintext("127.0.0.1", validator.port(), late)) {
                m.register(false);
                l.register(false);
                List<Event> events = new ArrayList<>();
                Submitter.Listener record = (val, step, detail) -> {
                    synchronized (events) {
                        events.add(new Event(val, step, detail));
                    }
                };
                Map<String, String> ids = Submitter.submit(student, m, Map.of("v1", mv), record);
                var done = Submitter.follow(ids, Map.of("v1", mv), miner.hotkey().bytes(), record);
                assertThat(Submitter.scored(done.get("v1"))).isTrue();
                List<Submitter.Step> steps = events.stream().map(Event::step).toList();
                assertThat(steps.get(0)).isEqualTo(Submitter.Step.COMMITTED);
                assertThat(steps.get(1)).isEqualTo(Submitter.Step.UPLOADED);
                assertThat(steps.get(steps.size() - 1)).isEqualTo(Submitter.Step.SCORED);
                assertThat(events.get(events.size() - 1).detail()).startsWith("scored ");
                // the validator's verdict is the preview's: same rule, same quality
                assertThat(done.get("v1").getQuality()).isEqualTo(preview.quality());

                events.clear();
                Map<String, String> copy = Submitter.submit(student, l, Map.of("v1", lv), record);
                assertThat(events.get(0).detail()).contains("committed this model first");
                var copied = Submitter.follow(copy, Map.of("v1", lv), late.hotkey().bytes(), record);
                assertThat(Submitter.scored(copied.get("v1"))).isFalse();
                assertThat(events.get(events.size() - 1).step()).isEqualTo(Submitter.Step.REJECTED);
                assertThat(events.get(events.size() - 1).detail()).startsWith("score 0: copy of uid");
            }
        }
    }
}
