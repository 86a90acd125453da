package dev.distillery.distill.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherProfile;
import dev.distillery.teacher.run.TeacherRunner;
import dev.distillery.testing.TinyModels;
import dev.distillery.vision.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelling real PNG files with the tiny colour classifier into the cache, with resume and skips. */
class TeacherLabellerTest {
    static final int IMAGES = 40;
    static final Preprocessing PRE = new Preprocessing(32, 32, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
            Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float");
    static final TeacherProfile PROFILE = new TeacherProfile(
            new TaskSpec(TaskKind.CLASSIFICATION, null, 3, false, List.of(), "logits"), PRE,
            List.of("red", "green", "blue"));
    static final String TEACHER = "0123456789abcdef".repeat(4);

    @TempDir
    static Path shared;
    static Path model;
    static List<TeacherLabeller.Item> items;

    @TempDir
    Path cacheRoot;

    @BeforeAll
    static void images() throws Exception {
        model = TinyModels.colourClassifier(shared.resolve("colours.onnx"));
        items = writeImages(shared.resolve("images"), IMAGES, 7);
    }

    /** PNGs of varied sizes filled with seeded noise around a varied base colour, so every output differs. */
    static List<TeacherLabeller.Item> writeImages(Path folder, int count, long seed) throws Exception {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        List<TeacherLabeller.Item> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve(String.format("img-%03d.png", i));
            try (Mat img = new Mat(20 + random.nextInt(60), 20 + random.nextInt(60), CV_8UC3,
                    new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256), 0));
                 Mat noise = new Mat(img.rows(), img.cols(), CV_8UC3)) {
                opencv_core.randu(noise, new Mat(new double[] {0}), new Mat(new double[] {40}));
                opencv_core.add(img, noise, img);
                opencv_imgcodecs.imwrite(file.toString(), img);
            }
            out.add(new TeacherLabeller.Item(file, sha256(file)));
        }
        return out;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    TeacherOutputCache openCache() {
        return TeacherOutputCache.open(cacheRoot, TEACHER, PRE, 3);
    }

    @Test
    void fillsTheCacheWithTheRunnersRawOutputs() {
        List<TeacherLabeller.Progress> progress = new ArrayList<>();
        try (OrtBatchInference ort = OrtBatchInference.open(model, PROFILE, 1);
             TeacherOutputCache cache = openCache();
             TeacherRunner runner = TeacherRunner.open(model, PROFILE, 1)) {
            TeacherLabeller.Report r = new TeacherLabeller(ort, cache, 8).label(items, 0, progress::add, () -> false);
            assertThat(r.total()).isEqualTo(IMAGES);
            assertThat(r.computed()).isEqualTo(IMAGES);
            assertThat(r.reused()).isZero();
            assertThat(r.unreadable()).isZero();
            assertThat(r.cancelled()).isFalse();
            assertThat(r.imagesPerSecond()).isPositive();
            assertThat(cache.size()).isEqualTo(IMAGES);
            List<float[]> distinct = new ArrayList<>();
            for (TeacherLabeller.Item item : items) {
                float[] expected;
                try (Mat bgr = Images.read(item.image())) {
                    expected = runner.rawOutput(bgr);
                }
                float[] cached = cache.get(item.sha(), 0).orElseThrow();
                assertThat(cached).hasSize(3).containsExactly(expected, within(1e-6f));
                distinct.add(cached);
            }
            assertThat(distinct.get(0)).isNotEqualTo(distinct.get(1));
            assertThat(progress).extracting(TeacherLabeller.Progress::done).containsExactly(8, 16, 24, 32, 40);
            assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(IMAGES));
            assertThat(progress.get(0).etaSeconds()).isFinite().isPositive();
            assertThat(progress.get(4).etaSeconds()).isZero();
        }
        // A rerun computes nothing.
        try (TeacherOutputCache cache = openCache()) {
            BatchInference mustNotRun = images -> {
                throw new AssertionError("nothing should be computed");
            };
            TeacherLabeller.Report r = new TeacherLabeller(mustNotRun, cache, 8).label(items);
            assertThat(r.computed()).isZero();
            assertThat(r.reused()).isEqualTo(IMAGES);
        }
    }

    @Test
    void aCancelledRunResumesWithOnlyTheRemainder() {
        AtomicInteger inferred = new AtomicInteger();
        try (OrtBatchInference ort = OrtBatchInference.open(model, PROFILE, 1)) {
            BatchInference counting = images -> {
                inferred.addAndGet(images.size());
                return ort.infer(images);
            };
            AtomicInteger polls = new AtomicInteger();
            try (TeacherOutputCache cache = openCache()) {
                TeacherLabeller.Report first = new TeacherLabeller(counting, cache, 6)
                        .commitInterval(java.time.Duration.ZERO)
                        .label(items, 0, p -> { }, () -> polls.incrementAndGet() > 1);
                assertThat(first.cancelled()).isTrue();
                assertThat(first.computed()).isEqualTo(6);
                assertThat(inferred).hasValue(6);
            }
            inferred.set(0);
            try (TeacherOutputCache cache = openCache()) {
                assertThat(cache.size()).isEqualTo(6);
                TeacherLabeller.Report second = new TeacherLabeller(counting, cache, 6).label(items);
                assertThat(second.cancelled()).isFalse();
                assertThat(second.reused()).isEqualTo(6);
                assertThat(second.computed()).isEqualTo(IMAGES - 6);
                assertThat(second.computed() + second.reused()).isEqualTo(second.total()).isEqualTo(IMAGES);
                assertThat(inferred).as("only the missing images reach the teacher").hasValue(IMAGES - 6);
                assertThat(cache.size()).isEqualTo(IMAGES);
            }
        }
    }

    @Test
    void unreadableImagesAreSkippedAndCounted() throws IOException {
        Path broken = cacheRoot.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String brokenSha = "ee".repeat(32);
        Path missing = cacheRoot.resolve("missing.png");
        List<TeacherLabeller.Item> withBad = new ArrayList<>(items.subList(0, 10));
        withBad.add(3, new TeacherLabeller.Item(broken, brokenSha));
        withBad.add(new TeacherLabeller.Item(missing, "dd".repeat(32)));
        try (OrtBatchInference ort = OrtBatchInference.open(model, PROFILE, 1);
             TeacherOutputCache cache = openCache();
             TeacherRunner runner = TeacherRunner.open(model, PROFILE, 1)) {
            TeacherLabeller.Report r = new TeacherLabeller(ort, cache, 4).label(withBad);
            assertThat(r.unreadable()).isEqualTo(2);
            assertThat(r.computed()).isEqualTo(10);
            assertThat(cache.size()).isEqualTo(10);
            assertThat(cache.contains(brokenSha, 0)).isFalse();
            // The outputs after the skipped image are not shifted onto the wrong keys.
            for (TeacherLabeller.Item item : items.subList(0, 10)) {
                try (Mat bgr = Images.read(item.image())) {
                    assertThat(cache.get(item.sha(), 0).orElseThrow())
                            .containsExactly(runner.rawOutput(bgr), within(1e-6f));
                }
            }
        }
    }

    @Test
    void perImageAdapterAgreesWithBatchedInference() {
        try (OrtBatchInference ort = OrtBatchInference.open(model, PROFILE, 1);
             TeacherRunner runner = TeacherRunner.open(model, PROFILE, 1)) {
            List<Mat> mats = new ArrayList<>();
            try {
                for (TeacherLabeller.Item item : items.subList(0, 5)) {
                    mats.add(Images.read(item.image()));
                }
                List<float[]> batched = ort.infer(mats);
                List<float[]> single = BatchInference.perImage(runner).infer(mats);
                assertThat(batched).hasSize(5);
                for (int i = 0; i < 5; i++) {
                    assertThat(batched.get(i)).containsExactly(single.get(i), within(1e-6f));
                }
            } finally {
                mats.forEach(Mat::close);
            }
        }
    }

    @Test
    void aFixedBatchModelIsFedPaddedChunks() throws Exception {
        // The colour classifier's graph with a batch axis fixed at 4; the labeller asks for batches of 6.
        Path fixed = new dev.distillery.onnx.OnnxBuilder("colours4").opset(13)
                .input("image", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 4, 3, 32, 32)
                .node("GlobalAveragePool", List.of("image"), List.of("gap"))
                .node("Flatten", List.of("gap"), List.of("logits")).attr("axis", 1L)
                .output("logits", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 4, 3)
                .write(cacheRoot.resolve("fixed.onnx"));
        List<TeacherLabeller.Item> some = items.subList(0, 11);
        try (OrtBatchInference ort = OrtBatchInference.open(fixed, PROFILE, 1);
             TeacherOutputCache cache = openCache();
             TeacherRunner runner = TeacherRunner.open(model, PROFILE, 1)) {
            assertThat(ort.fixedBatch()).isEqualTo(4);
            TeacherLabeller.Report r = new TeacherLabeller(ort, cache, 6).label(some);
            assertThat(r.computed()).isEqualTo(11);
            for (TeacherLabeller.Item item : some) {
                try (Mat bgr = Images.read(item.image())) {
                    assertThat(cache.get(item.sha(), 0).orElseThrow())
                            .containsExactly(runner.rawOutput(bgr), within(1e-5f));
                }
            }
        }
    }

    @Test
    void aUint8ModelGetsBytesAndAgreesWithTheRunner() throws Exception {
        // Same idea as the colour classifier, for a model that takes raw uint8 NHWC pixels: Cast → mean over H, W.
        Path bytesModel = new dev.distillery.onnx.OnnxBuilder("colours-u8").opset(13)
                .input("image", ai.onnx.proto.OnnxMl.TensorProto.DataType.UINT8, "N", 32, 32, 3)
                .node("Cast", List.of("image"), List.of("f")).attr("to", 1L)
                .node("ReduceMean", List.of("f"), List.of("logits")).attr("axes", 1L, 2L).attr("keepdims", 0L)
                .output("logits", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, "N", 3)
                .write(cacheRoot.resolve("u8.onnx"));
        Preprocessing u8 = new Preprocessing(32, 32, Layout.NHWC, ChannelOrder.RGB, 1, Preprocessing.ZERO,
                Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "uint8");
        TeacherProfile profile = new TeacherProfile(PROFILE.task(), u8, PROFILE.labels());
        List<TeacherLabeller.Item> some = items.subList(0, 9);
        try (OrtBatchInference ort = OrtBatchInference.open(bytesModel, profile, 1);
             TeacherOutputCache cache = TeacherOutputCache.open(cacheRoot, TEACHER, u8, 3);
             TeacherRunner runner = TeacherRunner.open(bytesModel, profile, 1)) {
            assertThat(new TeacherLabeller(ort, cache, 4).label(some).computed()).isEqualTo(9);
            for (TeacherLabeller.Item item : some) {
                try (Mat bgr = Images.read(item.image())) {
                    float[] expected = runner.rawOutput(bgr);
                    assertThat(expected[0]).as("real pixel means, not zeros").isPositive();
                    assertThat(cache.get(item.sha(), 0).orElseThrow()).containsExactly(expected, within(1e-4f));
                }
            }
        }
    }
}
