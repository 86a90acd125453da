package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillery.model.Prediction;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherProfile;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveRunTest {
    @TempDir
    Path dir;

    static TeacherProfile colourProfile() {
        Preprocessing p = new Preprocessing(32, 32, Preprocessing.Layout.NCHW, Preprocessing.ChannelOrder.RGB,
                1 / 255.0, Preprocessing.ZERO, Preprocessing.ONE, Preprocessing.ResizeMode.STRETCH, 1, 0, 0, "float");
        return new TeacherProfile(new TaskSpec(TaskKind.CLASSIFICATION, null, 3, false, List.of(), "logits"), p,
                List.of("red", "green", "blue"));
    }

    static RunnerModel open(Path model, String name) {
        return new RunnerModel(name, TeacherRunner.open(model, colourProfile(), 1));
    }

    @Test
    void aRunnerModelClassifiesColours() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        ColourSource source = ColourSource.endless();
        try (RunnerModel m = open(model, "colours")) {
            for (int i = 0; i < 3; i++) {
                try (Mat frame = source.grab()) {
                    Prediction.Classification c = (Prediction.Classification) m.predict(frame);
                    assertThat(c.top().get(0).label()).isEqualTo(List.of("red", "green", "blue").get(i));
                }
            }
            assertThat(m.name()).isEqualTo("colours");
            assertThat(m.runner().profile().labels()).hasSize(3);
        }
    }

    @Test
    void aHeadlessRunOfTwoRealModelsReportsRatesAgreementAndJson() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        ColourSource source = new ColourSource(320, 240, 30, -1, -1);
        try (RunnerModel teacher = open(model, "teacher"); RunnerModel student = open(model, "student")) {
            LiveReport report = LiveRun.run(source, List.of(teacher, student), 60);
            assertThat(report.source()).isEqualTo("Colour test source");
            assertThat(report.models()).hasSize(2);
            for (LiveReport.ModelReport m : report.models()) {
                assertThat(m.frames()).isEqualTo(60);
                assertThat(m.fps()).isPositive();
                assertThat(m.p50Ms()).isPositive();
                assertThat(m.p95Ms()).isGreaterThanOrEqualTo(m.p50Ms());
                assertThat(m.bareMsPerFrame()).isPositive();
                assertThat(m.pipelineMsPerFrame()).isPositive();
                assertThat(m.overheadPercent()).isNotNull();
            }
            assertThat(report.models().get(0).name()).isEqualTo("teacher");
            // The same model twice agrees on every common frame.
            assertThat(report.agreementSamples()).isPositive();
            assertThat(report.agreement()).isEqualTo(1.0);
            assertThat(report.framesDecoded()).isGreaterThanOrEqualTo(60);

            JsonNode json = new ObjectMapper().readTree(report.toJson());
            assertThat(json.get("source").asText()).isEqualTo("Colour test source");
            assertThat(json.get("models").get(1).get("name").asText()).isEqualTo("student");
            assertThat(json.get("models").get(0).get("frames").asLong()).isEqualTo(60);
            assertThat(json.get("agreement").asDouble()).isEqualTo(1.0);
            assertThat(json.get("models").get(0).has("overheadPercent")).isTrue();
            System.out.println(report.toJson());
        }
    }

    /** A convolutional classifier of about the cost of a small real student (two 3×3 convs at 224×224). */
    static Path convClassifier(Path file) throws Exception {
        return dev.distillery.testing.TinyModels.convClassifier(file, 224, 32, 64, 7);
    }

    /**
     * The overhead figure is measured on a realistic model and is consistent with its parts. How small it is belongs
     * to {@code distillery bench live} (docs/benchmarks.md), not to a unit test: on a shared 2-core CI machine it
     * ranged past any fixed bound (38 % once, against a goal of 10 %).
     */
    @Test
    void theOverheadIsMeasuredOnARealisticModel() throws Exception {
        Path model = convClassifier(dir.resolve("conv.onnx"));
        Preprocessing p = colourProfile().preprocessing().withSize(224, 224);
        TeacherProfile profile = new TeacherProfile(colourProfile().task(), p, colourProfile().labels());
        try (RunnerModel m = new RunnerModel("conv", TeacherRunner.open(model, profile, 1))) {
            LiveReport report = LiveRun.run(new ColourSource(640, 480, 30, -1, -1), List.of(m), 60);
            System.out.println(report.toJson());
            LiveReport.ModelReport r = report.models().get(0);
            assertThat(r.frames()).isEqualTo(60);
            assertThat(r.bareMsPerFrame()).isPositive();
            assertThat(r.pipelineMsPerFrame()).isPositive();
            assertThat(r.overheadPercent()).isCloseTo(
                    (r.pipelineMsPerFrame() - r.bareMsPerFrame()) / r.bareMsPerFrame() * 100, within(1e-6));
        }
    }

    @Test
    void oneModelHasNoAgreementAndAShortSourceEndsTheRun() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        try (RunnerModel m = open(model, "only")) {
            LiveReport report = LiveRun.run(new ColourSource(64, 64, 0, 25, -1), List.of(m), 1000);
            assertThat(report.models().get(0).frames()).isBetween(2L, 25L);
            assertThat(report.framesDecoded()).isEqualTo(25);
            assertThat(report.agreement()).isNull();
            assertThat(report.toJson()).doesNotContain("\"agreement\"");
        }
    }

    @Test
    void aBrokenSourceFailsTheRunWithItsMessage() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colours.onnx"));
        try (RunnerModel m = open(model, "only")) {
            assertThatThrownBy(() -> LiveRun.run(new ColourSource(64, 64, 0, -1, 5), List.of(m), 100))
                    .isInstanceOf(LiveException.class).hasMessageContaining("unplugged");
        }
    }
}
