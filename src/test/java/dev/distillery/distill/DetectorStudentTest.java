package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import dev.distillery.distill.target.BoxGrid;
import dev.distillery.metrics.BoxMatching;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.TaskKind;
import dev.distillery.onnx.OnnxModel;
import dev.distillery.onnx.ProfileInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detector students: the zoo's sizes, the grid target and decode, and an export the app reads as a detector. */
class DetectorStudentTest {
    @TempDir
    Path dir;

    @Test
    void zooSpansFiftyThousandToAMillionParametersAtInputs256To416() {
        List<StudentSpec> det = StudentZoo.presets().stream().filter(s -> s.kind() == StudentTask.DETECTION)
                .toList();
        assertThat(det).hasSizeGreaterThanOrEqualTo(3);
        for (StudentSpec s : det) {
            assertThat(s.parameterCount()).as(s.summary()).isBetween(40_000L, 1_200_000L);
            assertThat(s.inputWidth()).isBetween(256, 640);
            assertThat(s.outputShape()).containsExactly(5, s.inputHeight() / 8, s.inputWidth() / 8);
            assertThat(s.flops()).isPositive();
        }
        assertThat(det.get(0).parameterCount()).isLessThan(det.get(det.size() - 1).parameterCount());
    }

    @Test
    void targetPeaksAtTheBoxCentreAndDecodesBackToTheBox() {
        BoxGrid g = new BoxGrid(2, 8, 8, 8);
        BoxMatching.Box box = new BoxMatching.Box(10, 12, 42, 50, 1, 1f);
        float[] t = g.rasterize(List.of(box));
        int n = g.cells();
        int centre = (31 / 8) * 8 + 26 / 8; // centre (26, 31) → cell (3, 3)
        assertThat(t[n + centre]).isEqualTo(1f); // class 1's heat
        assertThat(t[centre]).isZero(); // class 0 has no box
        assertThat(t[6 * n + centre]).isEqualTo(1f); // regression weight
        // raw maps holding the target's log-distances and a high logit decode to the box itself
        float[] raw = new float[6 * n];
        raw[n + centre] = 8f;
        for (int i = 0; i < 4; i++) {
            raw[(2 + i) * n + centre] = t[(2 + i) * n + centre];
        }
        float[] cols = g.decode(raw, 0);
        assertThat(cols[centre]).isCloseTo(26f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(cols[n + centre]).isCloseTo(31f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(cols[2 * n + centre]).isCloseTo(32f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(cols[3 * n + centre]).isCloseTo(38f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(cols[5 * n + centre]).isGreaterThan(0.99f);
        assertThat(cols[4 * n + centre]).isEqualTo(0.5f);
    }

    @Test
    void smallerBoxOwnsASharedCellAndTinyBoxesAreDropped() {
        BoxGrid g = new BoxGrid(1, 8, 8, 8);
        float[] t = g.rasterize(List.of(new BoxMatching.Box(0, 0, 64, 64, 0, 1f),
                new BoxMatching.Box(24, 24, 40, 40, 0, 1f), new BoxMatching.Box(50, 50, 51, 51, 0, 1f)));
        int n = g.cells();
        int k = 4 * 8 + 4; // cell (4, 4), centre (36, 36): inside both, the small one's centre cell
        assertThat(t[k]).isEqualTo(1f);
        assertThat(Math.exp(t[n + k]) * 8).isCloseTo(12, org.assertj.core.data.Offset.offset(1e-3)); // 36 − 24
    }

    @Test
    void exportedDetectorReadsAsYolov8ColumnsAndMatchesDjl() throws Exception {
        StudentSpec spec = StudentZoo.preset("det-tiny").withOutputs(2);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            SequentialBlock b = StudentBuilder.build(spec);
            b.initialize(m, DataType.FLOAT32, StudentBuilder.inputShape(spec, 2));
            NDArray samples = m.randomUniform(0f, 1f, StudentBuilder.inputShape(spec, 2));
            Path file = dir.resolve("det.onnx");
            OnnxExporter.ExportResult r = OnnxExporter.export(spec, b, List.of("person", "ball"), Map.of(), samples,
                    file);
            assertThat(r.maxAbsDiff()).isLessThanOrEqualTo(OnnxExporter.DETECTOR_PARITY_TOLERANCE);
            assertThat(Files.size(file)).isLessThan(2_000_000L);
            OnnxModel info = dev.distillery.onnx.OnnxModelReader.read(file);
            var profile = ProfileInference.infer(info);
            assertThat(profile.task().kind()).isEqualTo(TaskKind.DETECTION);
            assertThat(profile.task().detectionLayout()).isEqualTo(DetectionLayout.COLUMNS);
            assertThat(profile.task().numClasses()).isEqualTo(2);
            assertThat(profile.labels()).containsExactly("person", "ball");
        }
    }
}
