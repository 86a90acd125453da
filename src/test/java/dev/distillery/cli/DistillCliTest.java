package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.Launcher;
import dev.distillery.core.DataDirectory;
import dev.distillery.store.Database;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.library.Json;
import dev.distillery.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distillery distill} on the built-in PaddleOCR teachers with CI-sized budgets (the full budgets run in
 * benchmarks/), and a training process killed with SIGKILL that resumes from its checkpoint.
 */
class DistillCliTest {
    @TempDir
    Path dir;

    CliTest.Result run(String... args) {
        return CliTest.runIn(dir.resolve("data"), args);
    }

    @Test
    void denseStudentCopiesTheTextDetectorWithinAMinute() throws Exception {
        // CI size: 160×160 scenes (a quarter of the pixels of the benchmark's 320×320) and dense-fast, the preset
        // the wizard picks for this teacher, so that 36 s on a shared 2-core runner see several epochs (idle EPYC:
        // 8 epochs and IoU 0.46 in 30 s)
        assertThat(run("teacher", "import", "--catalog", "ppocr-v4-det").code()).isZero();
        Path student = dir.resolve("det-student.onnx");
        CliTest.Result r = run("distill", "--teacher", "1", "--data", "generated:400", "--preset", "dense-fast",
                "--size", "160x160", "--minutes", "0.6", "--out", student.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        System.out.println(r.err());
        JsonNode report = Json.mapper().readTree(r.out());
        System.out.println("dense report: " + report);
        assertThat(report.get("metricName").asText()).startsWith("IoU");
        assertThat(report.get("valMetric").asDouble()).isGreaterThanOrEqualTo(0.3);
        assertThat(report.get("classification").isNull()).as("class figures are for classifiers").isTrue();
        assertThat(report.get("studentParams").asLong()).isLessThanOrEqualTo(100_000);
        assertThat(report.get("studentBytes").asLong()).isLessThanOrEqualTo(1_500_000);
        assertThat(student).exists();

        // fresh scenes the student never saw
        Path fresh = dir.resolve("fresh");
        assertThat(run("generate", "--kind", "scenes", "--count", "24", "--seed", "987", "--size", "160", "--out",
                fresh.toString()).code()).isZero();
        CliTest.Result c = run("compare", "--teacher", "1", "--student", student.toString(), "--images",
                fresh.toString(), "--json");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode dense = Json.mapper().readTree(c.out()).get("dense");
        System.out.println("fresh scenes: " + dense);
        assertThat(dense.get("pooledIou").asDouble()).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void aGroupNamingNoTeacherClassIsSaidBeforeAnyWork() throws Exception {
        assertThat(run("teacher", "import", "--catalog", "ppocr-mobile-v2-cls").code()).isZero();
        CliTest.Result r = run("distill", "--teacher", "1", "--data", "generated:24", "--group", "cat=7",
                "--epochs", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("distillery: ").contains("7");
        // nothing was timed, generated or indexed first
        assertThat(r.err()).doesNotContain("timing").doesNotContain("Dataset");
        assertThat(dir.resolve("data").resolve("datasets")).satisfiesAnyOf(
                d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
    }

    @Test
    void withoutAPresetTheBiggestThatFitsTheLatencyBudgetHereIsTimedAndPicked() throws Exception {
        assertThat(run("teacher", "import", "--catalog", "ppocr-mobile-v2-cls").code()).isZero();
        CliTest.Result r = run("distill", "--teacher", "1", "--data", "generated:24", "--epochs", "1",
                "--latency-budget", "10", "--threads", "1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("No --preset: timing the 4 classifier presets on this CPU");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Preset (cls-[a-z]+): ").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        String picked = m.group(1);
        // every preset's line names its measured p95 against the budget
        for (String p : List.of("cls-tiny", "cls-mini", "cls-small", "cls-base")) {
            assertThat(r.err()).containsPattern(p + ": p95 [0-9.]+ ms on this CPU — (within|over) the 10 ms budget");
        }
        assertThat(Json.mapper().readTree(r.out()).get("preset").asText()).isEqualTo(picked);
    }

    @Test
    void aTrainingProcessKilledWithSigkillResumesFromItsCheckpoint() throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("teacher", "import", "--catalog", "ppocr-mobile-v2-cls").code()).isZero();
        int epochs = 40;
        List<String> args = List.of("--data-dir", data.toString(), "distill", "--teacher", "1", "--data",
                "generated:160", "--preset", "cls-tiny", "--epochs", Integer.toString(epochs), "--patience", "0",
                "--threads", "1");
        try (ChildJvm child = ChildJvm.start(Launcher.class, List.of("-Xmx512m"), Map.of(),
                args.toArray(String[]::new))) {
            child.awaitLine("epoch   3", 180);
            child.kill();
        }
        Path state = data.resolve("runs/1/checkpoint/state.json");
        assertThat(state).exists();
        int killedAfter = Json.mapper().readTree(Files.readString(state)).get("epoch").asInt();
        assertThat(killedAfter).isBetween(3, epochs - 1);

        CliTest.Result r = run("distill", "--resume", "1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Resumed after epoch " + killedAfter);
        JsonNode report = Json.mapper().readTree(r.out());
        assertThat(report.get("epochs").asInt()).isEqualTo(epochs);
        assertThat(report.get("valMetric").asDouble()).isGreaterThanOrEqualTo(0.7);
        // text direction, 0 or 180: a student at 70 % or more learnt more than the majority answer
        JsonNode cls = report.get("classification");
        assertThat(cls.get("perClass")).hasSize(2);
        assertThat(cls.get("perClass").get(0).get("class").asText()).isNotBlank();
        assertThat(cls.get("kappa").asDouble()).isGreaterThan(0.1);
        assertThat(cls.get("balancedAgreement").asDouble()).isBetween(0.0, 1.0);
        assertThat(cls.get("majorityBaseline").asDouble()).isLessThan(report.get("valMetric").asDouble());
        assertThat(cls.get("verdict").asText()).isEqualTo("PASSED");
        try (Database db = Database.open(DataDirectory.open(data).databaseBase())) {
            RunRow row = db.runs().find(1).orElseThrow();
            assertThat(row.status()).isEqualTo(RunRow.COMPLETED);
            // every epoch has its row: those before the kill and those after the resume
            assertThat(db.runs().epochs(1)).hasSize(epochs);
        }
    }
}
