package dev.distillery.network.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.boot.AppSession;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.miner.ValidatorClient;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.network.proto.v1.SubmissionState;
import dev.distillery.network.proto.v1.SubmissionStatus;
import dev.distillery.network.score.Challenge;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devnet for real, on a fast clock: the built-in PP-OCRv4 det teacher, one ledger, two validators with
 * different stakes and the four simulated miners with their shipped students, all over loopback gRPC. The
 * simulated miners register labelled as simulated, the validators score them in their sandboxes and set weights,
 * the well-distilled student earns the most, the copycat gets "copy of uid N", and a restarted devnet keeps its
 * UIDs without uploading again.
 */
class DevnetTest {
    @TempDir
    Path dir;

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %d s for %s", seconds, what).isLessThan(until);
            Thread.sleep(200);
        }
    }

    static Map<String, Neuron> byHotkey(MetagraphResponse m) {
        Map<String, Neuron> out = new HashMap<>();
        m.getNeuronsList().forEach(n -> out.put(n.getHotkeySs58(), n));
        return out;
    }

    @Test
    void aWholeSubnetRunsOnLoopbackWithSimulatedCompetitors() throws Exception {
        Map.Entry<Path, dev.distillery.model.TeacherProfile> teacher;
        try (AppSession session = AppSession.open(dir.resolve("data"), true)) {
            TeacherService s = new TeacherService(session.dataDirectory(), session.database(), () -> 2);
            Teacher t = s.bySha256(Challenge.DEVNET_TEACHER_SHA256);
            teacher = Map.entry(s.fileOf(t), t.profile());
        }
        Devnet.Options o = Devnet.Options.embedded().withClock(200, 30).withEvalImages(8);
        List<String> steps = new CopyOnWriteArrayList<>();
        Map<String, Integer> uids = new HashMap<>();
        long started = System.nanoTime();
        try (Devnet net = Devnet.start(dir.resolve("devnet"), teacher.getKey(), teacher.getValue(), o, steps::add);
             LedgerClient r = LedgerClient.plaintext(net.host(), net.ledgerPort(), null)) {
            System.out.printf("devnet started in %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertThat(steps).anyMatch(x -> x.startsWith("Devnet running"));
            assertThat(Files.readString(net.base().resolve("devnet.json"))).contains("127.0.0.1:" + net.ledgerPort());
            Map<String, Neuron> n = byHotkey(r.metagraph());
            Neuron v1 = n.get(net.validators().get(0).key().hotkey().ss58());
            Neuron v2 = n.get(net.validators().get(1).key().hotkey().ss58());
            assertThat(v1.getValidatorPermit()).isTrue();
            assertThat(v2.getValidatorPermit()).isTrue();
            assertThat(v1.getStake()).isGreaterThan(v2.getStake());

            assertThat(net.awaitSimulated(120_000)).as("the simulated miners submitted").isTrue();
            assertThat(net.simulated()).hasSize(SimulatedMiner.DEFAULTS.size());
            n = byHotkey(r.metagraph());
            for (Devnet.Simulated s : net.simulated()) {
                assertThat(n.get(s.ss58()).getSimulated()).as(s.name() + " labelled simulated").isTrue();
                uids.put(s.name(), s.uid());
            }
            assertThat(v1.getSimulated()).isFalse();

            // every validator reaches a verdict on every simulated miner; the copycat is a copy of sim-strong
            for (Devnet.Validator v : net.validators()) {
                try (ValidatorClient vc = ValidatorClient.plaintext(net.host(), v.port(), null)) {
                    List<SubmissionStatus> all = new CopyOnWriteArrayList<>();
                    var follow = vc.follow(null, all::add, e -> { });
                    try {
                        await(v.name() + " to judge the copycat a copy", 240, () -> all.stream().anyMatch(st ->
                                st.getUid() == uids.get("sim-copycat")
                                        && st.getState() == SubmissionState.SUBMISSION_STATE_REJECTED
                                        && st.getReason().startsWith("copy of")));
                    } finally {
                        follow.cancel(null);
                    }
                    SubmissionStatus copy = all.stream().filter(st -> st.getUid() == uids.get("sim-copycat")
                            && st.getReason().startsWith("copy of")).findFirst().orElseThrow();
                    assertThat(copy.getReason()).isEqualTo("copy of uid " + uids.get("sim-strong"));
                }
            }
            // weights reach the ledger and the best student leads (an epoch where a busy machine pushed its latency
            // over the budget can put another first for a while, so wait for consensus to settle)
            String strong = net.simulated().get(0).ss58();
            String copycat = net.simulated().get(3).ss58();
            await("the well-distilled student to lead the incentive", 240, () -> {
                var m = byHotkey(r.metagraph());
                double best = m.get(strong).getIncentive();
                return best > 0 && net.simulated().stream().allMatch(s -> m.get(s.ss58()).getIncentive() <= best);
            });
            assertThat(byHotkey(r.metagraph()).get(copycat).getIncentive()).as("the copycat earns nothing").isZero();
        }

        // a restart: same keys, same UIDs, nothing uploaded twice
        try (Devnet again = Devnet.start(dir.resolve("devnet"), teacher.getKey(), teacher.getValue(),
                Devnet.Options.embedded().withClock(200, 30).withEvalImages(8), x -> { })) {
            assertThat(again.awaitSimulated(60_000)).isTrue();
            for (Devnet.Simulated s : again.simulated()) {
                assertThat(s.uid()).as(s.name()).isEqualTo(uids.get(s.name()));
            }
            for (Devnet.Validator v : again.validators()) {
                long uploads;
                try (var files = Files.list(again.base().resolve(v.name()).resolve("uploads"))) {
                    uploads = files.filter(f -> f.toString().endsWith(".onnx")).count();
                }
                assertThat(uploads).as(v.name() + " got each student once").isEqualTo(SimulatedMiner.DEFAULTS.size());
            }
        }
    }
}
