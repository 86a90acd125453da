package dev.distillery.ui.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.boot.AppSession;
import dev.distillery.store.NetworkStore;
import dev.distillery.ui.ShellContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Validators score a submission again every epoch: its news is kept every time, but pops up once per model, not
 * once per epoch over the status bar.
 */
class NoticesTest {
    static final String MODEL_A = "a".repeat(64);
    static final String MODEL_B = "b".repeat(64);

    @TempDir
    Path dir;
    AppSession session;
    Notices notices;

    @BeforeEach
    void start() throws Exception {
        FxToolkit.registerPrimaryStage();
        session = AppSession.open(dir.resolve("data"), false);
        notices = new Notices(new ShellContext(session));
    }

    @AfterEach
    void stop() {
        session.close();
    }

    static NetworkStore.Submission scored(String id, String validator, String model, Double score, long epoch) {
        return new NetworkStore.Submission(id, "ledger", validator, "hotkey", model, "/tmp/student.onnx",
                score == null ? "QUEUED" : "SCORED", score, null, null, null, null, epoch, Instant.EPOCH,
                Instant.EPOCH);
    }

    /** Twelve epochs of two validators re-scoring one model, with the noise a fresh evaluation set brings. */
    void epochsOf(String model, Double bestBefore) {
        double[] scores = {0.61, 0.58, 0.63, 0.60, 0.65, 0.59, 0.66, 0.62, 0.67, 0.60, 0.68, 0.64};
        Double best = bestBefore;
        for (String validator : List.of("validator-1", "validator-2")) {
            NetworkStore.Submission was = scored(model + validator, validator, model, null, 1);
            for (int e = 0; e < scores.length; e++) {
                NetworkStore.Submission now = scored(was.id(), validator, model, scores[e], e + 1L);
                notices.submissionChanged(was, now, best);
                best = best == null ? scores[e] : Math.max(best, scores[e]);
                was = now;
            }
        }
    }

    List<Notices.Notice> recent() {
        WaitForAsyncUtils.waitForFxEvents();
        return List.copyOf(notices.recent());
    }

    @Test
    void scoreNewsPopsUpOncePerModelNotEveryEpoch() {
        epochsOf(MODEL_A, null);
        List<Notices.Notice> all = recent();
        // every epoch's news is kept for the screens: new bests and drops over the twelve epochs
        assertThat(all).hasSizeGreaterThan(10);
        assertThat(all).extracting(Notices.Notice::kind).contains(Notices.Kind.NEW_BEST, Notices.Kind.SCORE_DROP);
        // ...but one popped up: the model's first score
        assertThat(all.stream().filter(Notices.Notice::popUp).toList()).singleElement()
                .satisfies(n -> assertThat(n.kind()).isEqualTo(Notices.Kind.NEW_BEST));

        // the next run's student, a new model, gets its own one
        epochsOf(MODEL_B, 0.68);
        assertThat(recent().stream().filter(Notices.Notice::popUp).toList()).hasSize(2);
    }

    @Test
    void aRejectionPopsUpOnceAndAnUnreachableValidatorAlways() {
        NetworkStore.Submission was = scored("s1", "validator-1", MODEL_A, 0.6, 1);
        for (int e = 2; e < 8; e++) {
            NetworkStore.Submission rejected = new NetworkStore.Submission("s1", "ledger", "validator-1", "hotkey",
                    MODEL_A, "/tmp/student.onnx", "REJECTED", 0.0, null, null, null, "latency over budget", (long) e,
                    Instant.EPOCH, Instant.EPOCH);
            notices.submissionChanged(was, rejected, 0.6);
            NetworkStore.Submission back = scored("s1", "validator-1", MODEL_A, 0.6, e);
            notices.submissionChanged(rejected, back, 0.6);
            was = back;
        }
        notices.validatorUnreachable("validator-1", "127.0.0.1:1", null);
        notices.validatorUnreachable("validator-1", "127.0.0.1:1", null);
        List<Notices.Notice> all = recent();
        assertThat(all.stream().filter(n -> n.kind() == Notices.Kind.REJECTED)).hasSize(6);
        assertThat(all.stream().filter(n -> n.kind() == Notices.Kind.REJECTED && n.popUp())).hasSize(1);
        assertThat(all.stream().filter(n -> n.kind() == Notices.Kind.VALIDATOR_UNREACHABLE && n.popUp())).hasSize(2);
    }
}
