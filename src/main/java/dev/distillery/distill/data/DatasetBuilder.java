package dev.distillery.distill.data;

import dev.distillery.model.TeacherException;
import dev.distillery.store.DatasetItemRow;
import dev.distillery.store.DatasetRow;
import dev.distillery.store.DatasetStore;
import dev.distillery.vision.Images;
import dev.distillery.vision.SourceException;
import dev.distillery.vision.VideoFileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a dataset from image folders, videos, capture folders and generated scenes, and registers it in the
 * database.
 *
 * <p>Sources are added first and read by {@link #build}: image folders recursively (jpg, jpeg, png, bmp, webp,
 * in path order), videos every k-th frame with near-duplicate frames dropped (a {@linkplain DifferenceHash
 * difference hash} within {@link #nearDuplicateBits(int)} bits of the last kept frame). Extracted and generated
 * frames are written as PNG to {@code <datasets>/<id>/frames/}; folder images are referenced where they are.
 * Unreadable files are skipped and counted, never fatal. Items with the same content (SHA-256 of the file's
 * bytes, or of the PNG bytes for frames) are kept once.
 *
 * <p>The train/validation split: frames of one scene (a video, or a folder whose images in name order look like
 * consecutive frames: median neighbour distance at most {@value #FRAME_DISTANCE} bits, at least
 * {@value #MIN_SEQUENCE} of them) give validation {@value #VALIDATION_RUNS} runs of consecutive frames, each at the
 * end of a third of the sequence ({@link #sequenceSplit}). A hash split would put every validation frame between two
 * near-identical training frames, so validation would read as high as training and could not tell which epoch
 * generalises to later frames. Everything else splits by content hash alone ({@link #isValidation}), so the same
 * image is in the same split in every dataset, however many items are added.
 *
 * <p>A build checks the cancel flag between items; a cancelled build throws {@link CancellationException},
 * registers nothing and removes the frames it wrote. Not thread-safe: one thread builds.
 */
public final class DatasetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetBuilder.class);
    /** Image file extensions picked up in folders (lower case, without the dot). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    private record Source(String origin, Path path, int step, TextSceneGenerator generator, int count,
                          boolean lines) {
        Source(String origin, Path path, int step, TextSceneGenerator generator, int count) {
            this(origin, path, step, generator, count, false);
        }
    }

    /**
     * @param sequence which ordered run of images it came from (a video, or one folder's images in name order); -1
     *                 for generated scenes, which have no order
     * @param look     its {@link DifferenceHash}
     */
    private record Item(String sha, Path path, String origin, int width, int height, int sequence, long look) {
    }

    /** Fewest images an ordered run needs before it is split by position rather than by hash. */
    static final int MIN_SEQUENCE = 20;
    /** Largest median difference-hash distance (of 64 bits) between neighbours for images to count as frames. */
    static final int FRAME_DISTANCE = 10;
    /** How many runs of consecutive frames a sequence gives to validation. */
    static final int VALIDATION_RUNS = 3;

    private final DatasetStore store;
    private final Path datasetsRoot;
    private final List<Source> sources = new ArrayList<>();
    private int valPercent = 10;
    private int nearDuplicateBits = 2;
    private DatasetProgress progress = DatasetProgress.NONE;
    private BooleanSupplier cancelled = () -> false;

    /**
     * @param store        where the dataset is registered
     * @param datasetsRoot the data directory's {@code datasets/} folder (created when missing)
     */
    public DatasetBuilder(DatasetStore store, Path datasetsRoot) {
        this.store = Objects.requireNonNull(store, "store");
        this.datasetsRoot = datasetsRoot.toAbsolutePath().normalize();
    }

    /** Adds a folder of images, searched recursively (origin "folder"). */
    public DatasetBuilder addFolder(Path folder) {
        sources.add(new Source(DatasetItemRow.ORIGIN_FOLDER, requireFolder(folder), 0, null, 0));
        return this;
    }

    /** Adds a folder of webcam captures, searched recursively (origin "capture"). */
    public DatasetBuilder addCaptures(Path folder) {
        sources.add(new Source(DatasetItemRow.ORIGIN_CAPTURE, requireFolder(folder), 0, null, 0));
        return this;
    }

    /**
     * Adds every {@code step}-th frame of a video (frames 0, step, 2·step, …), dropping near-duplicates.
     *
     * @throws IllegalArgumentException when step &lt; 1
     */
    public DatasetBuilder addVideo(Path video, int step) {
        if (step < 1) {
            throw new IllegalArgumentException("The frame step must be at least 1 (every frame): " + step);
        }
        sources.add(new Source(DatasetItemRow.ORIGIN_VIDEO, video.toAbsolutePath().normalize(), step, null, 0));
        return this;
    }

    /** Adds scenes 0..count-1 of a generator (origin "generated"), written as PNG into the dataset's folder. */
    public DatasetBuilder addGenerated(TextSceneGenerator generator, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("The number of generated scenes cannot be negative: " + count);
        }
        sources.add(new Source(DatasetItemRow.ORIGIN_GENERATED, null, 0, Objects.requireNonNull(generator), count));
        return this;
    }

    /**
     * Adds text lines 0..count-1 of a generator (origin "generated"), every odd one upside down: data for a
     * text-direction teacher. The teacher labels them; the orientation is not stored.
     */
    public DatasetBuilder addGeneratedLines(TextSceneGenerator generator, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("The number of generated lines cannot be negative: " + count);
        }
        sources.add(new Source(DatasetItemRow.ORIGIN_GENERATED, null, 0, Objects.requireNonNull(generator), count,
                true));
        return this;
    }

    /** Percentage (0..100) of items that go to the validation split; default 10. */
    public DatasetBuilder valPercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("The validation percentage must be 0..100: " + percent);
        }
        this.valPercent = percent;
        return this;
    }

    /**
     * Video frames whose difference hash is at most this many bits (of 64) from the last kept frame are
     * dropped as near-duplicates; default 2 (sensor noise on a still scene; a moving subject changes more bits
     * and is kept: camera frames were being thrown away at 4), 0 drops only frames that look identical, -1 keeps all.
     */
    public DatasetBuilder nearDuplicateBits(int bits) {
        if (bits < -1 || bits > 64) {
            throw new IllegalArgumentException("The near-duplicate threshold must be -1..64 bits: " + bits);
        }
        this.nearDuplicateBits = bits;
        return this;
    }

    /** Receives progress during {@link #build}. */
    public DatasetBuilder progress(DatasetProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Polled between items; when it says true the build stops and leaves nothing behind. */
    public DatasetBuilder cancelWhen(BooleanSupplier flag) {
        this.cancelled = Objects.requireNonNull(flag, "flag");
        return this;
    }

    /**
     * True when an item with this content hash belongs to the validation split: the first 8 bytes of the hash,
     * as an unsigned number, modulo 100 is below {@code valPercent}.
     */
    public static boolean isValidation(String sha256Hex, int valPercent) {
        long head = Long.parseUnsignedLong(sha256Hex.substring(0, 16), 16);
        return Long.remainderUnsigned(head, 100) < valPercent;
    }

    /**
     * Which of {@code n} frames in order go to validation: {@value #VALIDATION_RUNS} runs (fewer when short) of
     * consecutive frames, {@code percent} of them in all, each ending where a third of the sequence ends.
     */
    static boolean[] sequenceSplit(int n, int percent) {
        boolean[] val = new boolean[n];
        int total = (int) Math.round(n * percent / 100.0);
        if (total == 0) {
            return val;
        }
        int runs = Math.max(1, Math.min(VALIDATION_RUNS, total / 3));
        for (int r = 0; r < runs; r++) {
            int length = total / runs + (r < total % runs ? 1 : 0);
            int end = (int) ((long) (r + 1) * n / runs); // exclusive
            for (int i = Math.max(0, end - length); i < end; i++) {
                val[i] = true;
            }
        }
        return val;
    }

    /** Whether images in this order look like frames of one scene (see the class comment). */
    static boolean looksLikeFrames(long[] looks) {
        if (looks.length < MIN_SEQUENCE) {
            return false;
        }
        int[] d = new int[looks.length - 1];
        for (int i = 1; i < looks.length; i++) {
            d[i - 1] = DifferenceHash.distance(looks[i - 1], looks[i]);
        }
        java.util.Arrays.sort(d);
        return d[d.length / 2] <= FRAME_DISTANCE;
    }

    /** The validation items' hashes: by position in frame sequences, by hash for the rest; notes the first. */
    private static Set<String> validation(List<Item> items, int percent, List<String> summary) {
        Map<Integer, List<Item>> sequences = new java.util.LinkedHashMap<>();
        for (Item it : items) {
            sequences.computeIfAbsent(it.sequence, k -> new ArrayList<>()).add(it);
        }
        Set<String> val = new HashSet<>();
        int framed = 0;
        for (Map.Entry<Integer, List<Item>> e : sequences.entrySet()) {
            List<Item> seq = e.getValue();
            long[] looks = seq.stream().mapToLong(Item::look).toArray();
            if (e.getKey() >= 0 && looksLikeFrames(looks)) {
                boolean[] split = sequenceSplit(seq.size(), percent);
                for (int i = 0; i < seq.size(); i++) {
                    if (split[i]) {
                        val.add(seq.get(i).sha);
                    }
                }
                framed++;
            } else {
                for (Item it : seq) {
                    if (isValidation(it.sha, percent)) {
                        val.add(it.sha);
                    }
                }
            }
        }
        if (framed > 0) {
            summary.add("validation on runs of consecutive frames in " + framed + " sequence" + (framed == 1 ? "" : "s"));
        }
        return val;
    }

    /**
     * Reads all sources and registers the dataset.
     *
     * @throws CancellationException when cancelled (nothing registered, no frames left on disk)
     * @throws IllegalStateException when no source was added or no readable image was found
     * @throws UncheckedIOException  when the frames cannot be written
     */
    public Dataset build(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A dataset needs a name");
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException("Add at least one image folder, video or capture folder first");
        }
        Path staging = datasetsRoot.resolve(".building-" + UUID.randomUUID());
        Path stagingFrames = staging.resolve("frames");
        Path[] moved = new Path[1];
        boolean registered = false;
        try {
            Files.createDirectories(stagingFrames);
            Run run = new Run(stagingFrames);
            List<String> summary = new ArrayList<>();
            for (Source s : sources) {
                int before = run.items.size();
                String what = switch (s.origin) {
                    case DatasetItemRow.ORIGIN_VIDEO -> {
                        run.video(s.path, s.step);
                        yield "video " + s.path;
                    }
                    case DatasetItemRow.ORIGIN_GENERATED -> {
                        run.generated(s.generator, s.count, s.lines);
                        yield s.lines ? "generated text lines" : "generated scenes";
                    }
                    default -> {
                        run.folder(s.path, s.origin);
                        yield s.origin + " " + s.path;
                    }
                };
                summary.add(what + ": " + (run.items.size() - before) + " items");
            }
            checkCancelled();
            if (run.items.isEmpty()) {
                throw new IllegalStateException("No readable image was found in the sources (" + run.unreadable
                        + " unreadable, " + run.duplicates + " duplicates)");
            }
            progress.update(0, 1, "Saving dataset " + name.strip());
            Set<String> validation = validation(run.items, valPercent, summary);
            int val = validation.size();
            int n = run.items.size();
            Instant now = Instant.now();
            DatasetRow header = new DatasetRow(0, name, now, n, n - val, val, run.unreadable, run.duplicates,
                    String.join("; ", summary));
            long id = store.register(header, newId -> {
                Path target = datasetsRoot.resolve(Long.toString(newId));
                moveFolder(staging, target);
                moved[0] = target;
                List<DatasetItemRow> rows = new ArrayList<>(n);
                for (Item it : run.items) {
                    Path p = it.path.startsWith(staging) ? target.resolve(staging.relativize(it.path)) : it.path;
                    rows.add(new DatasetItemRow(newId, it.sha, p.toString(), it.origin,
                            validation.contains(it.sha) ? DatasetItemRow.SPLIT_VAL : DatasetItemRow.SPLIT_TRAIN,
                            it.width, it.height));
                }
                return rows;
            });
            registered = true;
            progress.update(1, 1, "Saving dataset " + name.strip());
            DatasetRow saved = store.findById(id).orElse(header);
            LOG.info("Dataset {} '{}' built: {} items ({} val), {} unreadable, {} duplicates", id, saved.name(), n,
                    val, run.unreadable, run.duplicates);
            return new Dataset(id, saved.name(), saved.createdAt(), n, n - val, val, run.unreadable, run.duplicates,
                    moved[0], header.sourceSummary());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the dataset's frames under " + datasetsRoot + ": "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
            if (!registered) {
                // the frames may have been moved to <id>/ before the transaction failed and rolled back
                deleteQuietly(moved[0]);
            }
        }
    }

    private static void moveFolder(Path from, Path to) {
        try {
            if (Files.exists(to)) {
                throw new IllegalStateException("The dataset folder " + to + " already exists; move it aside");
            }
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move the dataset's frames to " + to + ": " + e.getMessage(), e);
        }
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("The dataset build was cancelled");
        }
    }

    private static Path requireFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Cannot add " + folder + ": "
                    + (Files.exists(folder) ? "it is a file, not a folder" : "the folder does not exist"));
        }
        return folder.toAbsolutePath().normalize();
    }

    static boolean isImageName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteQuietly(Path root) {
        dev.distillery.core.Folders.deleteTree(root);
    }

    /** The state of one build. */
    private final class Run {
        final Path frames;
        final List<Item> items = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        int nextSequence;
        int unreadable;
        int duplicates;

        Run(Path frames) {
            this.frames = frames;
        }

        void folder(Path folder, String origin) throws IOException {
            String phase = "Reading " + folder;
            progress.update(0, -1, phase);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(Files::isRegularFile).filter(DatasetBuilder::isImageName).sorted().toList();
            }
            long done = 0;
            Map<Path, Integer> sequenceOf = new HashMap<>();
            for (Path file : files) {
                checkCancelled();
                addImageFile(file, origin, sequenceOf.computeIfAbsent(file.getParent(), k -> nextSequence++));
                progress.update(++done, files.size(), phase);
            }
        }

        private void addImageFile(Path file, String origin, int sequence) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                LOG.info("Skipping unreadable {}: {}", file, e.getMessage());
                unreadable++;
                return;
            }
            String sha = sha256(bytes);
            if (seen.contains(sha)) {
                duplicates++;
                return;
            }
            try (Mat image = Images.read(file)) {
                seen.add(sha);
                items.add(new Item(sha, file, origin, image.cols(), image.rows(), sequence, DifferenceHash.of(image)));
            } catch (TeacherException e) {
                LOG.info("Skipping {}", e.getMessage());
                unreadable++;
            }
        }

        void video(Path file, int step) {
            String phase = "Frames of " + file.getFileName();
            VideoFileSource video;
            try {
                video = new VideoFileSource(file);
            } catch (SourceException e) {
                LOG.info("Skipping video: {}", e.getMessage());
                unreadable++;
                return;
            }
            int sequence = nextSequence++;
            try (video) {
                long total = video.containerFrameCount();
                progress.update(0, total, phase);
                long index = 0;
                Long lastKept = null;
                while (true) {
                    checkCancelled();
                    Mat frame;
                    try {
                        frame = video.grab();
                    } catch (SourceException e) {
                        LOG.info("Video cut short: {}", e.getMessage());
                        unreadable++;
                        break;
                    }
                    if (frame == null) {
                        break;
                    }
                    try (frame) {
                        if (index % step == 0) {
                            long hash = DifferenceHash.of(frame);
                            if (nearDuplicateBits >= 0 && lastKept != null
                                    && DifferenceHash.distance(hash, lastKept) <= nearDuplicateBits) {
                                duplicates++;
                            } else if (addFrame(frame, DatasetItemRow.ORIGIN_VIDEO, sequence, hash)) {
                                lastKept = hash;
                            }
                        }
                    }
                    index++;
                    progress.update(index, total, phase);
                }
            }
        }

        void generated(TextSceneGenerator generator, int count, boolean lines) {
            String phase = lines ? "Generating text lines" : "Generating scenes";
            for (int i = 0; i < count; i++) {
                checkCancelled();
                try (Mat scene = lines ? generator.line(i, i % 2 == 1) : generator.scene(i)) {
                    addFrame(scene, DatasetItemRow.ORIGIN_GENERATED, -1, 0);
                }
                progress.update(i + 1, count, phase);
            }
        }

        /** Encodes a frame as PNG and keeps it unless its content is already there; true when kept. */
        private boolean addFrame(Mat frame, String origin, int sequence, long look) {
            byte[] png;
            try (BytePointer buf = new BytePointer()) {
                if (!opencv_imgcodecs.imencode(".png", frame, buf)) {
                    throw new IllegalStateException("OpenCV could not encode a frame as PNG");
                }
                png = new byte[(int) buf.limit()];
                buf.get(png);
            }
            String sha = sha256(png);
            if (!seen.add(sha)) {
                duplicates++;
                return false;
            }
            Path out = frames.resolve(sha + ".png");
            try {
                Files.write(out, png);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write frame " + out + ": " + e.getMessage(), e);
            }
            items.add(new Item(sha, out, origin, frame.cols(), frame.rows(), sequence, look));
            return true;
        }
    }
}
