package dev.distillery.distill.cache;

import dev.distillery.model.TeacherException;
import dev.distillery.vision.Images;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Fills a {@link TeacherOutputCache} with a teacher's raw outputs for a list of images, in batches.
 *
 * <p>Images already cached are reused, not recomputed, so running again after an interruption resumes:
 * only the missing images are computed. Unreadable images are skipped and counted. Cancellation is checked
 * between batches; every finished batch stays cached (results are committed with one fsync per
 * {@linkplain #commitInterval commit interval}, and always when the run ends, is cancelled or fails).
 * Outputs are stored under augmentation id {@code augId} (0 for the plain image).
 *
 * <p>Not thread-safe (the {@link BatchInference} is not); one labelling run at a time per instance.
 */
public final class TeacherLabeller {
    private static final Logger LOG = Logger.getLogger(TeacherLabeller.class.getName());

    /** One image to label: its file and the SHA-256 (hex) of its content. */
    public record Item(Path image, String sha) {
        public Item {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(sha, "sha");
        }
    }

    /**
     * Progress after a batch.
     *
     * @param done       images handled so far (computed, reused or unreadable)
     * @param total      images in the run
     * @param etaSeconds estimated seconds left from the compute rate so far; NaN before anything was computed
     */
    public record Progress(int done, int total, double etaSeconds) {
    }

    /**
     * What a run did.
     *
     * @param total      images asked for
     * @param computed   images run through the teacher and stored
     * @param reused     images already in the cache
     * @param unreadable images skipped because they could not be read or decoded
     * @param cancelled  true when the run stopped early; the rest is not labelled
     * @param seconds    wall time of the run
     */
    public record Report(int total, int computed, int reused, int unreadable, boolean cancelled, double seconds) {
        /** Images computed per second (0 when nothing was computed). */
        public double imagesPerSecond() {
            return computed == 0 || seconds <= 0 ? 0 : computed / seconds;
        }
    }

    private final BatchInference inference;
    private final TeacherOutputCache cache;
    private final int batchSize;
    private long commitIntervalNanos = DEFAULT_COMMIT_INTERVAL.toNanos();

    /** How often results are made durable by default (one fsync); see {@link #commitInterval}. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param inference produces raw outputs (owned by the caller)
     * @param cache     where outputs go (owned by the caller)
     * @param batchSize images per inference call, ≥ 1
     */
    public TeacherLabeller(BatchInference inference, TeacherOutputCache cache, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.inference = Objects.requireNonNull(inference, "inference");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.batchSize = batchSize;
    }

    /**
     * Sets how often computed outputs are made durable (one fsync each, see {@link TeacherOutputCache#commit}).
     * A crash loses at most this much work; {@link Duration#ZERO} commits after every batch. Outputs are always
     * committed when a run ends, is cancelled or fails.
     */
    public TeacherLabeller commitInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("The commit interval cannot be negative: " + interval);
        }
        this.commitIntervalNanos = interval.toNanos();
        return this;
    }

    /** Labels every item with augmentation id 0, without progress or cancellation. */
    public Report label(List<Item> items) {
        return label(items, 0, p -> { }, () -> false);
    }

    /**
     * Labels the items not yet cached.
     *
     * @param items     images and their content hashes
     * @param augId     augmentation id to store the outputs under (0 for none)
     * @param progress  called after each batch (on the calling thread)
     * @param cancelled polled before each batch; true stops the run
     * @throws TeacherException when the teacher itself fails (what was stored before stays cached)
     */
    public Report label(List<Item> items, int augId, Consumer<Progress> progress, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        int total = items.size();
        List<Item> todo = new ArrayList<>();
        for (Item item : items) {
            if (!cache.contains(item.sha(), augId)) {
                todo.add(item);
            }
        }
        int reused = total - todo.size();
        int computed = 0;
        int unreadable = 0;
        boolean stopped = false;
        long computeStart = System.nanoTime();
        long lastCommit = computeStart;
        try {
            for (int from = 0; from < todo.size(); from += batchSize) {
                if (cancelled.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                List<Item> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
                List<Mat> images = new ArrayList<>(batch.size());
                List<Item> read = new ArrayList<>(batch.size());
                try {
                    for (Item item : batch) {
                        try {
                            images.add(Images.read(item.image()));
                            read.add(item);
                        } catch (TeacherException e) {
                            unreadable++;
                            LOG.log(Level.WARNING, "Skipping an unreadable image: {0}", e.getMessage());
                        }
                    }
                    if (!images.isEmpty()) {
                        List<float[]> outputs = inference.infer(images);
                        if (outputs.size() != images.size()) {
                            throw new IllegalStateException("The teacher returned " + outputs.size()
                                    + " outputs for a batch of " + images.size() + " images");
                        }
                        List<TeacherOutputCache.Entry> entries = new ArrayList<>(read.size());
                        for (int i = 0; i < read.size(); i++) {
                            entries.add(new TeacherOutputCache.Entry(read.get(i).sha(), augId, outputs.get(i)));
                        }
                        cache.append(entries);
                        computed += read.size();
                        if (System.nanoTime() - lastCommit >= commitIntervalNanos) {
                            cache.commit();
                            lastCommit = System.nanoTime();
                        }
                    }
                } finally {
                    images.forEach(Mat::close);
                }
                int handled = from + batch.size();
                double elapsed = (System.nanoTime() - computeStart) / 1e9;
                double eta = handled == 0 ? Double.NaN : elapsed / handled * (todo.size() - handled);
                progress.accept(new Progress(reused + handled, total, eta));
            }
        } finally {
            cache.commit();
        }
        return new Report(total, computed, reused, unreadable, stopped, (System.nanoTime() - start) / 1e9);
    }
}
