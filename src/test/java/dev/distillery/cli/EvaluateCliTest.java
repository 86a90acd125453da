package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import dev.distillery.distill.StudentMetadata;
import dev.distillery.network.score.Challenge;
import dev.distillery.onnx.OnnxBuilder;
import dev.distillery.teacher.library.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery evaluate} against the devnet's default challenge (PP-OCRv4 det teacher from the catalog). */
class EvaluateCliTest {
    @TempDir
    Path dir;

    CliTest.Result run(String... args) {
        return CliTest.runIn(dir.resolve("data"), args);
    }

    /** A 320×320 dense student: a 1×1 convolution mixing the three channels (untrained, 4 parameters). */
    Path student() throws Exception {
        return new OnnxBuilder("student").opset(13)
                .input("input", TensorProto.DataType.FLOAT, 1, 3, 320, 320)
                .initializer("K", new float[] {-2f, -2f, -2f}, 1, 3, 1, 1)
                .initializer("B", new float[] {1.5f}, 1)
                .node("Conv", List.of("input", "K", "B"), List.of("logits"))
                .metadata(StudentMetadata.KIND, "DENSE").metadata(StudentMetadata.MAP_THRESHOLD, "0.3")
                .output("logits", TensorProto.DataType.FLOAT, 1, 1, 320, 320).write(dir.resolve("student.onnx"));
    }

    @Test
    void aSmallStudentIsScoredAndTheTeacherItselfFailsTheSizeCap() throws Exception {
        CliTest.Result r = run("evaluate", "--model", student().toString(), "--images", "6", "--json");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.get("scored").asBoolean()).isTrue();
        assertThat(j.get("reason").isNull()).isTrue();
        double q = j.get("quality").asDouble();
        assertThat(q).isBetween(0.0, 1.0);
        assertThat(j.get("sizeBytes").asLong()).isEqualTo(Files.size(dir.resolve("student.onnx")));
        assertThat(j.get("sizeTerm").asDouble()).isEqualTo(1.0);
        assertThat(j.get("p95Ms").asDouble()).isPositive();
        assertThat(j.get("score").asDouble()).isCloseTo(0.8 * q + 0.1 * j.get("speedTerm").asDouble() + 0.1,
                within(1e-9));
        assertThat(j.get("latencyBudgetMs").asDouble()).isEqualTo(10.0);
        assertThat(j.get("machine").asText()).startsWith("CPU: ").contains("int8 precision ");
        assertThat(j.get("int8Precision").isBoolean()).isTrue();

        // the catalog teacher was imported: evaluated as a student it is refused (4.75 MB > 1.5 MB)
        Path teacher;
        try (Stream<Path> s = Files.list(dir.resolve("data/models"))) {
            teacher = s.filter(p -> p.getFileName().toString().startsWith(Challenge.DEVNET_TEACHER_SHA256))
                    .findFirst().orElseThrow();
        }
        CliTest.Result t = run("evaluate", "--model", teacher.toString(), "--images", "2");
        assertThat(t.code()).as(t.err()).isEqualTo(EvaluateCommand.EXIT_REJECTED);
        assertThat(t.out().strip()).startsWith("rejected: over the size cap").doesNotContain("\n");
    }

    @Test
    void hostileFilesAreRejectedWithOneLineAndExitFour() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {8, 1, 0x12, 0x7f, 0x7f, 0x7f, 1, 2, 3});
        CliTest.Result r = run("evaluate", "--model", garbage.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(EvaluateCommand.EXIT_REJECTED);
        assertThat(r.out().strip()).startsWith("rejected: invalid model").doesNotContain("\n");

        Path wrong = new OnnxBuilder("wrong").opset(13)
                .input("input", TensorProto.DataType.FLOAT, 1, 3, 64, 64)
                .initializer("K", new float[] {1, 1, 1}, 1, 3, 1, 1)
                .node("Conv", List.of("input", "K"), List.of("logits"))
                .output("logits", TensorProto.DataType.FLOAT, 1, 1, 64, 64).write(dir.resolve("wrong.onnx"));
        CliTest.Result w = run("evaluate", "--model", wrong.toString(), "--json");
        assertThat(w.code()).isEqualTo(EvaluateCommand.EXIT_REJECTED);
        JsonNode j = Json.mapper().readTree(w.out());
        assertThat(j.get("scored").asBoolean()).isFalse();
        assertThat(j.get("score").asDouble()).isZero();
        assertThat(j.get("reason").asText()).startsWith("wrong I/O").contains("[1, 3, 320, 320]");

        CliTest.Result missing = run("evaluate", "--model", dir.resolve("nope.onnx").toString());
        assertThat(missing.code()).isEqualTo(DistilleryCommand.EXIT_USAGE);
        Path badChallenge = Files.writeString(dir.resolve("c.json"), "{not json");
        CliTest.Result bc = run("evaluate", "--model", wrong.toString(), "--challenge", badChallenge.toString());
        assertThat(bc.code()).isEqualTo(DistilleryCommand.EXIT_USAGE);
        assertThat(bc.err()).contains("Cannot read the challenge");
    }

    @Test
    void aChallengeFileIsHonoured() throws Exception {
        Path c = Files.writeString(dir.resolve("c.json"), Challenge.devnetDefault().withLatencyBudget(1e-6, 0).toJson());
        CliTest.Result r = run("evaluate", "--model", student().toString(), "--challenge", c.toString(), "--images", "2");
        assertThat(r.code()).as(r.err()).isEqualTo(EvaluateCommand.EXIT_REJECTED);
        assertThat(r.out().strip()).startsWith("rejected: over the latency budget");
    }
}
