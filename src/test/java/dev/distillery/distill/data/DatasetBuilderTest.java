package dev.distillery.distill.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.distillery.store.Database;
import dev.distillery.store.DatasetItemRow;
import dev.distillery.store.DatasetStore;
import dev.distillery.vision.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuilderTest {
    @TempDir
    Path dir;
    Database db;
    DatasetStore store;
    Path datasets;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("distillery"));
        store = db.datasets();
        datasets = Files.createDirectories(dir.resolve("datasets"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    DatasetBuilder builder() {
        return new DatasetBuilder(store, datasets);
    }

    /** A w×h image of random pixels (distinct for distinct seeds). */
    static Mat noise(long seed, int w, int h) {
        SplittableRandom r = new SplittableRandom(seed);
        Mat m = new Mat(h, w, CV_8UC3);
        try (UByteIndexer px = m.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        px.put(y, x, c, r.nextInt(256));
                    }
                }
            }
        }
        return m;
    }

    static Path writeImage(Path file, Mat image) throws Exception {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        try (BytePointer buf = new BytePointer(); image) {
            assertThat(opencv_imgcodecs.imencode(name.substring(name.lastIndexOf('.')), image, buf)).isTrue();
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            Files.write(file, bytes);
        }
        return file;
    }

    /** Frame content for test videos: a coarse random pattern per scene, optionally with faint pixel noise. */
    static Mat blobs(long scene, long noiseSeed) {
        Mat out = new Mat();
        try (Mat small = noise(scene * 7919 + 1, 8, 6); Size size = new Size(160, 120)) {
            opencv_imgproc.resize(small, out, size, 0, 0, opencv_imgproc.INTER_LINEAR);
        }
        if (noiseSeed >= 0) {
            SplittableRandom r = new SplittableRandom(noiseSeed);
            try (UByteIndexer px = out.createIndexer()) {
                for (int y = 0; y < 120; y++) {
                    for (int x = 0; x < 160; x++) {
                        int c = r.nextInt(3);
                        px.put(y, x, c, Math.max(0, Math.min(255, px.get(y, x, c) + r.nextInt(-4, 5))));
                    }
                }
            }
        }
        return out;
    }

    /** 60 frames, frame i showing scene i/2; the second copy of each scene carries faint noise. */
    Path pairedVideo() throws Exception {
        return TestVideos.write(dir.resolve("pairs.avi"), "avi", "mjpeg", 60,
                i -> blobs(i / 2, i % 2 == 1 ? i : -1));
    }

    @Test
    void foldersAreReadRecursivelyWithExactCounts() throws Exception {
        Path root = dir.resolve("photos");
        writeImage(root.resolve("a.png"), noise(1, 40, 30));
        writeImage(root.resolve("sub/b.jpg"), noise(2, 20, 10));
        writeImage(root.resolve("sub/deeper/c.bmp"), noise(3, 12, 34));
        Files.copy(root.resolve("a.png"), root.resolve("sub/deeper/copy of a.PNG"));
        Files.write(root.resolve("sub/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5});
        Files.writeString(root.resolve("notes.txt"), "not an image");
        List<String> phases = new ArrayList<>();

        Dataset ds = builder().addFolder(root).progress((done, total, phase) -> phases.add(phase)).build("photos");

        assertThat(ds.itemCount()).isEqualTo(3);
        assertThat(ds.skippedUnreadable()).isEqualTo(1);
        assertThat(ds.skippedDuplicates()).isEqualTo(1);
        assertThat(ds.trainCount() + ds.valCount()).isEqualTo(3);
        assertThat(ds.folder()).isEqualTo(datasets.resolve(Long.toString(ds.id())));
        List<DatasetItemRow> items = store.items(ds.id());
        assertThat(items).extracting(DatasetItemRow::origin).containsOnly("folder");
        assertThat(items).extracting(i -> Path.of(i.path()).getFileName().toString())
                .containsExactlyInAnyOrder("a.png", "b.jpg", "c.bmp");
        assertThat(items).allSatisfy(i -> assertThat(Path.of(i.path())).isAbsolute().exists());
        assertThat(items).filteredOn(i -> i.path().endsWith("c.bmp")).singleElement()
                .satisfies(i -> assertThat(i.width() + "x" + i.height()).isEqualTo("12x34"));
        assertThat(items.get(0).contentSha256())
                .isEqualTo(DatasetBuilder.sha256(Files.readAllBytes(Path.of(items.get(0).path()))));
        var row = store.findById(ds.id()).orElseThrow();
        assertThat(row.skippedUnreadable()).isEqualTo(1);
        assertThat(row.skippedDuplicates()).isEqualTo(1);
        assertThat(row.sourceSummary()).contains(root.toString()).contains("3 items");
        assertThat(phases).contains("Reading " + root);
        try (Stream<Path> left = Files.list(datasets)) {
            assertThat(left).as("no staging folder is left").containsExactly(ds.folder());
        }
    }

    @Test
    void videoKeepsOnlyDistinctFrames() throws Exception {
        Path video = pairedVideo();

        Dataset ds = builder().addVideo(video, 1).build("clip");

        assertThat(ds.itemCount()).as("one frame per scene").isEqualTo(30);
        assertThat(ds.skippedDuplicates()).isEqualTo(30);
        List<DatasetItemRow> items = store.items(ds.id());
        assertThat(items).allSatisfy(i -> {
            assertThat(i.origin()).isEqualTo("video");
            assertThat(Path.of(i.path())).exists().hasParent(ds.folder().resolve("frames"));
            assertThat(i.width()).isEqualTo(160);
            assertThat(i.height()).isEqualTo(120);
        });

        Dataset all = builder().addVideo(video, 1).nearDuplicateBits(-1).build("clip, every frame");
        assertThat(all.itemCount()).as("the noisy copies are different files, so only the hash removes them")
                .isEqualTo(60);

        Dataset third = builder().addVideo(video, 3).build("every third");
        assertThat(third.itemCount()).as("frames 0, 3, …, 57 show 20 different scenes").isEqualTo(20);
    }

    @Test
    void differenceHashSeparatesNearCopiesFromOtherScenes() {
        try (Mat a = blobs(1, -1); Mat aNoisy = blobs(1, 99); Mat b = blobs(2, -1)) {
            long ha = DifferenceHash.of(a);
            assertThat(DifferenceHash.distance(ha, DifferenceHash.of(aNoisy))).isLessThanOrEqualTo(2);
            assertThat(DifferenceHash.distance(ha, DifferenceHash.of(b))).isGreaterThan(12);
        }
    }

    @Test
    void splitIsStableWhenItemsAreAddedAndNearTheRequestedShare() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        for (int i = 0; i < 100; i++) {
            writeImage(first.resolve("img" + i + ".png"), noise(1000 + i, 8, 8));
            writeImage(second.resolve("img" + i + ".png"), noise(5000 + i, 8, 8));
        }
        Dataset small = builder().valPercent(20).addFolder(first).build("small");
        Dataset big = builder().valPercent(20).addFolder(second).addFolder(first).build("big");

        Map<String, String> before = store.items(small.id()).stream()
                .collect(Collectors.toMap(DatasetItemRow::contentSha256, DatasetItemRow::split));
        Map<String, String> after = store.items(big.id()).stream()
                .collect(Collectors.toMap(DatasetItemRow::contentSha256, DatasetItemRow::split));
        assertThat(big.itemCount()).isEqualTo(200);
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after.values().stream().filter("val"::equals).count()).isEqualTo(big.valCount())
                .isBetween(25L, 55L);
        assertThat(after).allSatisfy((sha, split) ->
                assertThat(split).isEqualTo(DatasetBuilder.isValidation(sha, 20) ? "val" : "train"));
        assertThat(before.values()).contains("train", "val");
    }

    @Test
    void sequenceSplitGivesRunsOfConsecutiveFramesAtTheEndOfEachThird() {
        boolean[] v = DatasetBuilder.sequenceSplit(500, 10);
        int count = 0;
        int runs = 0;
        for (int i = 0; i < v.length; i++) {
            count += v[i] ? 1 : 0;
            runs += v[i] && (i == 0 || !v[i - 1]) ? 1 : 0;
        }
        assertThat(count).isEqualTo(50);
        assertThat(runs).isEqualTo(3);
        assertThat(v[165]).isTrue();
        assertThat(v[166]).isFalse();
        assertThat(v[332]).isTrue();
        assertThat(v[499]).isTrue();
        assertThat(v[0]).isFalse();
        assertThat(DatasetBuilder.sequenceSplit(7, 10)).containsExactly(false, false, false, false, false, false, true);
        assertThat(DatasetBuilder.sequenceSplit(4, 10)).containsOnly(false);
    }

    @Test
    void framesOfOneSceneValidateOnRunsOfConsecutiveFramesNotOnHashes() throws Exception {
        Path frames = dir.resolve("frames");
        // a camera panning slowly over one scene: neighbours differ by a few pixels
        try (Mat small = noise(42, 24, 6); Mat wide = new Mat(); Size size = new Size(520, 120)) {
            opencv_imgproc.resize(small, wide, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            for (int i = 0; i < 60; i++) {
                try (org.bytedeco.opencv.opencv_core.Rect r = new org.bytedeco.opencv.opencv_core.Rect(i * 2, 0, 160, 120);
                     Mat view = new Mat(wide, r).clone()) {
                    writeImage(frames.resolve(String.format(Locale.ROOT, "f%03d.png", i)), view);
                }
            }
        }
        Dataset d = builder().valPercent(10).addFolder(frames).build("pan");

        List<DatasetItemRow> rows = store.items(d.id()).stream()
                .sorted(java.util.Comparator.comparing(DatasetItemRow::path)).toList();
        assertThat(rows).hasSize(60);
        boolean[] expected = DatasetBuilder.sequenceSplit(60, 10);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).split()).as("frame " + i).isEqualTo(expected[i] ? "val" : "train");
        }
        assertThat(d.valCount()).isEqualTo(6);
        assertThat(d.sourceSummary()).contains("validation on runs of consecutive frames in 1 sequence");
    }

    @Test
    void splitRuleIsDefinedByTheHashAlone() {
        String sha = "0000000000000017" + "f".repeat(48); // 0x17 = 23
        assertThat(DatasetBuilder.isValidation(sha, 23)).isFalse();
        assertThat(DatasetBuilder.isValidation(sha, 24)).isTrue();
        String big = "ffffffffffffffff" + "0".repeat(48); // 2^64-1 mod 100 = 15
        assertThat(DatasetBuilder.isValidation(big, 15)).isFalse();
        assertThat(DatasetBuilder.isValidation(big, 16)).isTrue();
    }

    @Test
    void cancelledBuildLeavesNothing() throws Exception {
        Path video = pairedVideo();
        AtomicInteger polls = new AtomicInteger();

        assertThatThrownBy(() -> builder().addVideo(video, 1).cancelWhen(() -> polls.incrementAndGet() > 20)
                .build("cancelled"))
                .isInstanceOf(CancellationException.class);

        assertThat(polls.get()).isGreaterThan(20);
        assertThat(store.list()).isEmpty();
        try (Stream<Path> left = Files.list(datasets)) {
            assertThat(left).as("no frames folder left").isEmpty();
        }
    }

    @Test
    void unreadableVideoIsCountedNotFatalAndGeneratedScenesAreAdded() throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.mp4"), "not a video");
        Dataset ds = builder().addVideo(fake, 1).addGenerated(new TextSceneGenerator(5, 64, 64), 4).build("mixed");
        assertThat(ds.skippedUnreadable()).isEqualTo(1);
        assertThat(ds.itemCount()).isEqualTo(4);
        assertThat(store.items(ds.id())).extracting(DatasetItemRow::origin).containsOnly("generated");
    }

    @Test
    void nothingReadableIsAClearError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> builder().addFolder(empty).build("empty"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No readable image");
        assertThatThrownBy(() -> builder().addFolder(dir.resolve("missing")))
                .hasMessageContaining("does not exist");
        assertThat(store.list()).isEmpty();
    }
}
