package dev.distillery.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distillery.core.DataDirectory;
import dev.distillery.core.Int8Precision;
import dev.distillery.model.Prediction;
import dev.distillery.store.Database;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.eval.LabelSet;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.vision.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared int8 MobileNetV2 with ONNX Runtime's exact int8 mode on and off (issue 14). On an x86 CPU
 * without VNNI the two disagree (off: top-1 about 0.74, on: about 0.82); with VNNI they agree. What is
 * asserted holds on both kinds: the factory's auto choice reaches top-1 0.80. Skipped when ../shared/teachers
 * is absent (see {@code distillery.shared}).
 */
class QuantPrecisionTest {
    static final Path SHARED = Path.of(System.getProperty("distillery.shared", "../shared"));

    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        Int8Precision.useCommandLine(null);
    }

    @Test
    void sharedInt8MobileNetReachesTop1Over80WithTheAutoChoice() throws Exception {
        Path model = SHARED.resolve("teachers/mobilenetv2-12-int8_imagenet1k.onnx");
        assumeTrue(Files.isRegularFile(model), model + " not found: skipping the int8-precision teacher test");
        Path images = SHARED.resolve("images/imagenet_sample_1000");
        LabelSet labels = LabelSet.read(SHARED.resolve("labels/imagenet1k_index_wnid_name.tsv"));
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jpeg")).sorted().toList();
        }
        DataDirectory dir = DataDirectory.open(tmp.resolve("data"));
        try (Database db = Database.open(dir.databaseBase())) {
            TeacherService service = new TeacherService(dir, db, () -> 2);
            var t = service.importFile(model, null, null).teacher();
            Path file = service.fileOf(t);
            Int8Precision.useCommandLine(Int8Precision.Mode.ON);
            try (TeacherRunner on = TeacherRunner.open(file, t.profile(), 2)) {
                Int8Precision.useCommandLine(Int8Precision.Mode.OFF);
                try (TeacherRunner off = TeacherRunner.open(file, t.profile(), 2)) {
                    Int8Precision.useCommandLine(null);
                    try (TeacherRunner auto = TeacherRunner.open(file, t.profile(), 2)) {
                        run(List.of(on, off, auto), files, labels);
                    }
                }
            }
        }
    }

    private static void run(List<TeacherRunner> runners, List<Path> files, LabelSet labels) {
        int[] hits = new int[runners.size()];
        int differ = 0;
        int scored = 0;
        for (int i = 0; i < files.size(); i += 16) {
            List<Path> chunk = files.subList(i, Math.min(files.size(), i + 16));
            List<Mat> mats = new ArrayList<>();
            try {
                for (Path f : chunk) {
                    mats.add(Images.read(f));
                }
                List<List<Prediction>> preds = new ArrayList<>();
                for (TeacherRunner r : runners) {
                    preds.add(r.predictBatch(mats));
                }
                for (int k = 0; k < chunk.size(); k++) {
                    Optional<Integer> truth = labels.truthFor(chunk.get(k));
                    int[] top = new int[runners.size()];
                    for (int r = 0; r < runners.size(); r++) {
                        top[r] = ((Prediction.Classification) preds.get(r).get(k)).top().get(0).classIndex();
                    }
                    if (top[0] != top[1]) {
                        differ++;
                    }
                    if (truth.isPresent()) {
                        scored++;
                        for (int r = 0; r < runners.size(); r++) {
                            hits[r] += top[r] == truth.get() ? 1 : 0;
                        }
                    }
                }
            } finally {
                mats.forEach(Mat::close);
            }
        }
        double on = hits[0] / (double) scored;
        double off = hits[1] / (double) scored;
        double auto = hits[2] / (double) scored;
        System.out.printf(Locale.ROOT, "%s%nMobileNetV2 int8 on %d images: precision on top-1 %.3f, off top-1 %.3f, "
                        + "auto (%s) top-1 %.3f; top-1 answers that differ between on and off: %d%n",
                Int8Precision.describe(), scored, on, off, Int8Precision.current().text(), auto, differ);
        assertThat(scored).isEqualTo(1000);
        assertThat(auto).as("top-1 with the factory's auto choice").isGreaterThanOrEqualTo(0.80);
        assertThat(on).as("top-1 with precision on (exact on every CPU)").isGreaterThanOrEqualTo(0.80);
    }
}
