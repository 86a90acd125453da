package dev.distillery.distill.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints labelling throughput against a bare ONNX Runtime loop ({@link LabellingBenchmark}; {@code distillery bench
 * label} writes the real teachers' figures to docs/benchmarks.md). No timing assertions: machines differ.
 */
class TeacherLabellerThroughputTest {
    static final int IMAGES = 480;
    static final int BATCH = 16;
    static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void tinyModelWorstCaseForOverhead() throws Exception {
        compare("colour classifier (about 3 kFLOP/image)",
                dev.distillery.testing.TinyModels.colourClassifier(dir.resolve("colours.onnx")), IMAGES);
    }

    @Test
    void convModelCloserToARealTeacher() throws Exception {
        compare("two 3×3 convolutions, 32 channels (about 20 MFLOP/image)", convModel(dir.resolve("conv.onnx")), 192);
    }

    static Path convModel(Path file) throws java.io.IOException {
        return dev.distillery.testing.TinyModels.convClassifier(file, 32, 32, 32, 3);
    }

    private void compare(String name, Path model, int count) throws Exception {
        List<TeacherLabeller.Item> items = TeacherLabellerTest.writeImages(dir.resolve("images"), count, 11);
        LabellingBenchmark.Result r = LabellingBenchmark.measure(model, TeacherLabellerTest.TEACHER,
                TeacherLabellerTest.PROFILE, items, BATCH, 1, ROUNDS, dir.resolve("scratch"));
        System.out.printf("Teacher labelling throughput, %s (%d images, batch %d, 1 thread, best of %d):%n"
                        + "  bare ONNX Runtime loop: %8.1f images/s%n"
                        + "  TeacherLabeller:        %8.1f images/s  (%.2f× bare)%n",
                name, count, BATCH, ROUNDS, r.bareImagesPerSecond(), r.labellerImagesPerSecond(), r.ratio());
        assertThat(r.bareImagesPerSecond()).isPositive();
        assertThat(r.labellerImagesPerSecond()).isPositive();
        // every labelling round cleaned up after itself
        assertThat(dir.resolve("scratch")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }
}
