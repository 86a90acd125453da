package dev.distillery.network.score;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.distill.data.SyntheticData;
import dev.distillery.model.TeacherProfile;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile models against the sandboxed evaluator: each is rejected with an explicit reason, and an honest model
 * is still scored afterwards. A 64×64 dense challenge keeps it quick.
 */
class SandboxEvaluatorTest {
    static final int SIZE = 64;

    @TempDir
    static Path dir;
    static Path teacher;
    static TeacherProfile teacherProfile;
    static Path images;
    static Challenge challenge;
    static final SandboxEvaluator EVALUATOR = new SandboxEvaluator(new SandboxEvaluator.Limits(512, 4096, 120));

    @BeforeAll
    static void setUp() throws Exception {
        teacher = TestModels.map(true, SIZE).write(dir.resolve("teacher.onnx"));
        teacherProfile = ProfileInference.infer(OnnxModelReader.read(teacher));
        images = dir.resolve("images");
        SyntheticData.write(SyntheticData.Kind.SCENES, 4, 3, SIZE, images);
        challenge = new Challenge("test", "0".repeat(64), StudentTask.DENSE, List.of(),
                new Challenge.InputSpec(SIZE, SIZE, 3), 1000, 10_000_000, 0, 0, null,
                Challenge.EvalData.folder(images.toString()), 0.3);
    }

    static Path honest(String name) throws Exception {
        return TestModels.student(SIZE).write(dir.resolve(name));
    }

    Scorer.Verdict evaluate(Path model, Challenge c) {
        return EVALUATOR.evaluate(model, c, teacher, teacherProfile, images);
    }

    @Test
    void anHonestStudentIsScoredWithAFingerprintSharedByItsCopy() throws Exception {
        Scorer.Verdict v = evaluate(honest("honest.onnx"), challenge);
        assertThat(v.scored()).as(v.reason()).isTrue();
        // the student's sigmoid equals the teacher's map: IoU 1
        assertThat(v.quality()).isEqualTo(1.0);
        assertThat(v.sizeBytes()).isEqualTo(Files.size(dir.resolve("honest.onnx")));
        assertThat(v.score()).isEqualTo(0.8 * v.quality() + 0.1 * v.speedTerm() + 0.1 * v.sizeTerm());
        assertThat(v.fingerprint()).hasSize(64);
        Scorer.Verdict copy = evaluate(honest("copy.onnx"), challenge);
        assertThat(copy.fingerprint()).isEqualTo(v.fingerprint());
        List<Scorer.Verdict> judged = Scorer.rejectCopies(List.of(new Scorer.Commit(4, 100, v),
                new Scorer.Commit(9, 101, copy)));
        assertThat(judged.get(1).reason()).isEqualTo("copy of uid 4");
    }

    @Test
    void theTeachersOutputsAreWrittenOnceAndReadByLaterEvaluations() throws Exception {
        Path cache = dir.resolve("outputs.bin");
        Scorer.Verdict plain = evaluate(honest("plain.onnx"), challenge);
        Scorer.Verdict first = EVALUATOR.evaluate(honest("first.onnx"), challenge, teacher, teacherProfile, images, cache);
        assertThat(cache).exists();
        assertThat(first.quality()).isEqualTo(plain.quality()).isEqualTo(1.0);
        // a later evaluation takes the teacher's outputs from the file: poisoned outputs (the teacher marks
        // nothing) change its quality, which proves the teacher did not run again
        TeacherOutputsFile f = new TeacherOutputsFile(cache, teacher, challenge.input(), images);
        try (var all = Files.list(images)) {
            for (Path image : all.filter(p -> p.toString().endsWith(".png")).toList()) {
                var o = f.get(image);
                assertThat(o).as(image.toString()).isNotNull();
                float[] none = new float[o.values().length];
                java.util.Arrays.fill(none, 0f);
                f.put(image, new dev.distillery.teacher.run.TeacherRunner.RawOutput(none, o.shape()));
            }
        }
        f.saveIfNew();
        Scorer.Verdict poisoned = EVALUATOR.evaluate(honest("second.onnx"), challenge, teacher, teacherProfile, images,
                cache);
        assertThat(poisoned.scored()).as(poisoned.reason()).isTrue();
        assertThat(poisoned.quality()).isLessThan(1.0);
        // a damaged file is ignored and written again
        Files.write(cache, new byte[] {1, 2, 3});
        Scorer.Verdict again = EVALUATOR.evaluate(honest("third.onnx"), challenge, teacher, teacherProfile, images, cache);
        assertThat(again.quality()).isEqualTo(1.0);
        assertThat(Files.size(cache)).isGreaterThan(3);
    }

    @Test
    void garbageAndTruncatedFilesAreInvalid() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.onnx"), TestModels.garbage());
        assertThat(evaluate(garbage, challenge).reason()).startsWith("invalid model");
        Path truncated = Files.write(dir.resolve("truncated.onnx"), TestModels.truncated(SIZE));
        Scorer.Verdict v = evaluate(truncated, challenge);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("invalid model");
    }

    @Test
    void externalDataPointingAtSystemFilesIsUnsafe() throws Exception {
        Path m = TestModels.externalData(SIZE).write(dir.resolve("passwd.onnx"));
        Scorer.Verdict v = evaluate(m, challenge);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("unsafe model").contains("/etc/passwd", "outside");
    }

    @Test
    void customDomainOperatorsAreUnsafe() throws Exception {
        Path m = TestModels.customDomain(SIZE).write(dir.resolve("custom.onnx"));
        Scorer.Verdict v = evaluate(m, challenge);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("unsafe model").contains("com.evil", "Backdoor");
    }

    @Test
    void aWrongInputShapeIsWrongIo() throws Exception {
        Path m = TestModels.student(32).write(dir.resolve("small.onnx"));
        Scorer.Verdict v = evaluate(m, challenge);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("wrong I/O").contains("[1, 3, 64, 64]");
    }

    @Test
    void overTheLatencyBudgetIsRejectedAfterMeasuring() throws Exception {
        Challenge tiny = challenge.withLatencyBudget(1e-6, 0);
        Scorer.Verdict v = evaluate(honest("slow.onnx"), tiny);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("over the latency budget");
        assertThat(v.p95Ms()).isPositive();
    }

    @Test
    void aHugeAllocationIsRejectedAndTheEvaluatorKeepsWorking() throws Exception {
        // ConstantOfShape to 1×1×200000×200000 floats: 160 GB
        Path m = TestModels.hugeAllocation(SIZE).write(dir.resolve("bomb.onnx"));
        Scorer.Verdict v = evaluate(m, challenge);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).as(v.reason()).containsIgnoringCase("alloc");
        assertThat(evaluate(honest("after-bomb.onnx"), challenge).scored()).isTrue();
    }

    @Test
    void aTimeoutKillsTheChildAndSaysSo() throws Exception {
        // a student needing ~0.3 GFLOP a run, measured 150 times: far more than the 1 s allowed on any machine
        Path slow = TestModels.slow(SIZE, 32, 8).write(dir.resolve("timeout.onnx"));
        Scorer.Verdict v = new SandboxEvaluator(new SandboxEvaluator.Limits(512, 4096, 1))
                .evaluate(slow, challenge, teacher, teacherProfile, images);
        assertThat(v.scored()).isFalse();
        assertThat(v.reason()).startsWith("timed out");
    }

    @Test
    void garbageFromTheChildIsARejectionNotAnException() {
        assertThat(SandboxEvaluator.parse("not json")).isEqualTo("garbage output from the evaluator");
        assertThat(SandboxEvaluator.parse("{\"ok\":true,\"quality\":7,\"p95Ms\":1,\"sizeBytes\":1,\"fingerprint\":\"x\"}"))
                .isEqualTo("garbage output from the evaluator");
        assertThat(SandboxEvaluator.parse("{\"ok\":false,\"reason\":\"boom\"}")).isEqualTo("boom");
        assertThat(SandboxEvaluator.parse("{\"ok\":true,\"quality\":0.5,\"p95Ms\":1,\"sizeBytes\":9,\"fingerprint\":\"x\"}"))
                .isEqualTo(new Scorer.Measurement(0.5, 1, 9, "x"));
    }

    @Test
    void theChildGetsAnAbsoluteClassPathWhateverTheAppWasStartedWith() {
        String sep = java.io.File.pathSeparator;
        String cwd = Path.of("").toAbsolutePath().toString();
        String cp = SandboxEvaluator.absoluteClassPath("target/app.jar" + sep + "/opt/x/b.jar" + sep + sep + "lib/*");
        assertThat(cp.split(java.util.regex.Pattern.quote(sep))).containsExactly(
                Path.of(cwd, "target", "app.jar").toString(), Path.of("/opt/x/b.jar").toAbsolutePath().toString(),
                Path.of(cwd, "lib").toString() + java.io.File.separator + "*");
    }
}
