package dev.distillery.live;

import dev.distillery.model.Prediction;
import dev.distillery.vision.FrameSource;
import dev.distillery.vision.SourceException;
import dev.distillery.vision.SourceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The live test pipeline: source → model(s) → overlay, dropping frames instead of queueing them.
 *
 * <p><b>Threads.</b> A decode thread ({@code live-decode}) reads the {@link FrameSource} and puts each frame
 * into a single latest-frame slot; a frame nobody took before the next one arrives is released (counted as
 * dropped by the models that never saw it). Each model (one or two) runs on its own worker thread
 * ({@code live-model-0/1}), always taking the newest frame it has not processed yet, so a slow model never
 * slows the other model or the decoder. Frames are reference-counted native {@link Mat}s: at most one waiting
 * frame plus one per worker is alive at any time ({@link #framesInFlight()}).
 *
 * <p><b>Pacing.</b> With {@link Options#realTime()} a non-live source with a known fps (a file) is played at
 * its nominal fps and a live source (camera) is read continuously at its own rate; otherwise (headless, or a
 * source without an fps) the decoder reads as fast as the models want frames: it decodes the next frame when
 * a worker is waiting for one, or ahead when every running worker already has the current one (so a single
 * model never waits for decoding, and two models of similar speed see the same frames, which the agreement
 * rate needs). Looping is the source's business.
 *
 * <p><b>Synced.</b> With {@link #synced(boolean) synced} on (two models), both models see exactly the same
 * frames: a frame is replaced only once every running worker has taken it. A paced file or a camera keeps its
 * own clock, so frames decoded while the slower model is still busy are skipped for both; headless, the decoder
 * waits. Off, each model takes the newest frame at its own pace, which shows the speed gap but compares
 * different frames (agreement is then counted on the frames both happened to see).
 *
 * <p><b>Output.</b> Each worker renders its prediction over a copy of the frame with a {@link Renderer}
 * (unless {@link Options#render()} is off) and calls the {@link LiveListener}s on the worker thread with a
 * {@link LiveFrame}; the newest frame per model is also kept in a latest-wins slot ({@link #latest(int)}).
 * Listeners must be quick (see {@link LiveListener}).
 *
 * <p><b>Failure and shutdown.</b> A {@link SourceException} (or any failure of the source) or a model
 * failure stops the pipeline: listeners get {@link LiveListener#onError} once, then, when all threads
 * have ended, {@link LiveListener#onStopped} once; so does the end of a finite source and {@link #stop()}.
 * {@link #close()} stops, joins the threads (with a timeout) and releases every frame; it is idempotent (a
 * pipeline closed before {@link #start()} sends no events). The
 * pipeline does <em>not</em> close the source or the models: the caller owns them (close them after
 * {@link #close()}).
 *
 * <p><b>Thread-safety:</b> all public methods may be called from any thread (for example the FX thread), and
 * none of them blocks for long except {@link #close()} and {@link #awaitStopped}.
 */
public final class LivePipeline implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LivePipeline.class);
    private static final long JOIN_MILLIS = 5_000;

    /**
     * How the pipeline runs.
     *
     * @param realTime   pace a file to its fps (on screen); false reads as fast as the models go (headless)
     * @param render     draw overlays and produce ARGB images; false for benchmarks
     * @param frameLimit a worker stops after this many frames (0 = no limit); the pipeline stops when all have
     */
    public record Options(boolean realTime, boolean render, long frameLimit) {
        public Options {
            if (frameLimit < 0) {
                throw new IllegalArgumentException("frameLimit must be 0 (none) or positive, got " + frameLimit);
            }
        }

        /** For the screen: real-time playback with overlays, no limit. */
        public static Options display() {
            return new Options(true, true, 0);
        }

        /** For the CLI and benchmarks: as fast as possible, no rendering, {@code frames} frames per model. */
        public static Options headless(long frames) {
            return new Options(false, false, frames);
        }
    }

    /** A decoded frame shared by the slot and the workers; the Mat is released with the last reference. */
    private final class SharedFrame {
        final Mat mat;
        final long number;
        final AtomicInteger refs = new AtomicInteger(1);
        int takenBy;

        SharedFrame(Mat mat, long number) {
            this.mat = mat;
            this.number = number;
            inFlight.incrementAndGet();
        }

        void retain() {
            refs.incrementAndGet();
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                mat.close();
                inFlight.decrementAndGet();
            }
        }
    }

    /** A pending {@link #captureFrames} request; guarded by {@code lock}. */
    private record Capture(Path folder, int count, List<Path> written, CompletableFuture<List<Path>> done) {
    }

    private final FrameSource source;
    private final SourceInfo info;
    private final List<FrameModel> models;
    private final Options options;
    private final List<LiveListener> listeners = new CopyOnWriteArrayList<>();
    private final ModelMeter[] meters;
    private volatile Agreement agreement = new Agreement();
    private final AtomicReferenceArray<LiveFrame> views;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<String> error = new AtomicReference<>();
    private final AtomicReference<Recording> recording = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile List<Thread> threads = List.of();
    private final AtomicInteger aliveThreads = new AtomicInteger();

    private final Object lock = new Object();
    // Guarded by lock:
    private SharedFrame latest;
    private boolean sourceEnded;
    private boolean paused;
    private int runningWorkers;
    private boolean[] waiting;
    private long[] lastSeen;
    private long decoded;
    private Capture capture;

    private volatile boolean stopping;
    private volatile boolean synced;
    private volatile Consumer<Mat> frameTap;

    /**
     * @param source  where frames come from (not closed by the pipeline)
     * @param models  one or two models, each used by one worker thread only (not closed by the pipeline)
     * @param options pacing, rendering and frame limit
     */
    /**
     * How the two models' agreement is measured (a grouped student's classes, the map threshold); call before
     * {@link #start()}. Default: {@link Agreement.Setup#plain()}.
     */
    public LivePipeline agreementSetup(Agreement.Setup setup) {
        if (started.get()) {
            throw new IllegalStateException("Set the agreement before start()");
        }
        agreement = new Agreement(setup);
        return this;
    }

    public LivePipeline(FrameSource source, List<? extends FrameModel> models, Options options) {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
        if (models == null || models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("A live pipeline runs one or two models, got "
                    + (models == null ? 0 : models.size()));
        }
        this.models = List.copyOf(models);
        this.info = source.info();
        this.meters = new ModelMeter[this.models.size()];
        for (int i = 0; i < meters.length; i++) {
            meters[i] = new ModelMeter(this.models.get(i).name());
        }
        this.views = new AtomicReferenceArray<>(this.models.size());
    }

    /** Adds a listener; add listeners before {@link #start()} to see every event. */
    public void addListener(LiveListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LiveListener listener) {
        listeners.remove(listener);
    }

    /** What the source is. */
    public SourceInfo sourceInfo() {
        return info;
    }

    /**
     * Both models on the same frames (true) or each at its own pace (false, the default); may be switched while
     * running. Only matters with two models.
     */
    public LivePipeline synced(boolean on) {
        synchronized (lock) {
            synced = on;
            lock.notifyAll();
        }
        return this;
    }

    public boolean isSynced() {
        return synced;
    }

    /** Starts the decode and worker threads; a pipeline starts once. */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("The live pipeline is closed; create a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("The live pipeline is already started");
        }
        synchronized (lock) {
            runningWorkers = models.size();
            waiting = new boolean[models.size()];
            lastSeen = new long[models.size()];
            java.util.Arrays.fill(lastSeen, -1);
        }
        List<Thread> all = new ArrayList<>();
        all.add(new Thread(this::decodeLoop, "live-decode"));
        for (int i = 0; i < models.size(); i++) {
            int index = i;
            all.add(dev.distillery.core.NativeThreads.create(() -> workerLoop(index), "live-model-" + i));
        }
        aliveThreads.set(all.size());
        threads = List.copyOf(all);
        for (Thread t : all) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** Stops reading frames; processing frames resumes with {@link #resume()}. */
    public void pause() {
        synchronized (lock) {
            paused = true;
            lock.notifyAll();
        }
    }

    public void resume() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /** True between {@link #start()} and the end of all threads. */
    public boolean isRunning() {
        return started.get() && stopped.getCount() > 0;
    }

    /** Asks all threads to end; returns at once (see {@link #awaitStopped}, {@link #close()}). */
    public void stop() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits until all threads have ended; true when they did within the timeout. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** The failure that stopped the pipeline, or null. */
    public String error() {
        return error.get();
    }

    /** Native frames currently alive (waiting in the slot or being processed); stays at most models + 1. */
    public int framesInFlight() {
        return inFlight.get();
    }

    /** The newest result of a model (latest-wins), or null before its first frame. */
    public LiveFrame latest(int model) {
        return views.get(model);
    }

    /** A snapshot of the statistics. */
    public LiveStats stats() {
        long now = System.nanoTime();
        List<LiveStats.ModelStats> list = new ArrayList<>(meters.length);
        for (ModelMeter m : meters) {
            list.add(m.snapshot(now));
        }
        long d;
        synchronized (lock) {
            d = decoded;
        }
        return new LiveStats(list, d, models.size() == 2 ? agreement.rate() : Double.NaN,
                models.size() == 2 ? agreement.samples() : 0);
    }

    /** Per-model counters, for {@link LiveRun}. */
    ModelMeter meter(int model) {
        return meters[model];
    }

    /** Called on the decode thread with every decoded frame (which it must not keep); for {@link LiveRun}. */
    void frameTap(Consumer<Mat> tap) {
        this.frameTap = tap;
    }

    /**
     * Saves model 0's latest rendered view as a PNG.
     *
     * @throws LiveException when nothing was rendered yet or the file cannot be written
     */
    public Path snapshot(Path png) {
        return snapshot(0, png);
    }

    /** Saves a model's latest rendered view as a PNG (see {@link #snapshot(Path)}). */
    public Path snapshot(int model, Path png) {
        LiveFrame f = views.get(model);
        if (f == null || f.argb() == null) {
            throw new LiveException("No rendered frame of " + models.get(model).name()
                    + " yet: start the pipeline with rendering on and wait for a frame");
        }
        createParent(png);
        try (Mat bgr = Renderer.fromArgb(f.argb(), f.width(), f.height())) {
            if (!opencv_imgcodecs.imwrite(png.toString(), bgr)) {
                throw new LiveException("Cannot write the snapshot " + png + ": check the folder and the .png name");
            }
        }
        return png;
    }

    /**
     * Starts recording model 0's annotated view to an mp4 (H.264 if available, else MPEG-4) at the source's
     * fps (25 when unknown). Encoding runs on its own thread.
     *
     * @throws IllegalStateException when already recording or rendering is off
     */
    public void startRecording(Path mp4) {
        if (!options.render()) {
            throw new IllegalStateException("Recording needs rendering: use Options with render on");
        }
        createParent(mp4);
        Recording r = new Recording(mp4, info.fps());
        if (!recording.compareAndSet(null, r)) {
            r.finish();
            throw new IllegalStateException("Already recording: stop the current recording first");
        }
    }

    /**
     * Stops recording and closes the file.
     *
     * @return frames written, 0 when not recording
     * @throws LiveException when encoding failed
     */
    public long stopRecording() {
        Recording r = recording.getAndSet(null);
        return r == null ? 0 : r.finish();
    }

    public boolean isRecording() {
        return recording.get() != null;
    }

    /**
     * Saves the next {@code n} raw frames (as decoded, without overlay) as {@code frame_000123.png} into
     * {@code folder} (numbered by source frame), for building distillation datasets. Written on the decode
     * thread.
     *
     * @return completes with the files when all {@code n} are written; completes exceptionally with a
     *         {@link LiveException} when writing fails or the pipeline stops first
     * @throws IllegalStateException when a capture is already running
     */
    public CompletableFuture<List<Path>> captureFrames(Path folder, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Capture at least one frame, got " + n);
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new LiveException("Cannot create the capture folder " + folder + ": " + e.getMessage(), e);
        }
        CompletableFuture<List<Path>> done = new CompletableFuture<>();
        synchronized (lock) {
            if (capture != null) {
                throw new IllegalStateException("A capture is already running (" + capture.written().size() + " of "
                        + capture.count() + " frames)");
            }
            if (stopped.getCount() == 0 || stopping) {
                done.completeExceptionally(new LiveException("The live pipeline is stopped: nothing to capture"));
                return done;
            }
            capture = new Capture(folder, n, new ArrayList<>(n), done);
        }
        return done;
    }

    // ------------------------------------------------------------------ decode thread

    /** A frame index to jump to before the next grab, -1 for none (set by {@link #seek}). */
    private volatile long pendingSeek = -1;
    /** Index within its file of the newest decoded frame, -1 when the source has no positions. */
    private volatile long sourcePosition = -1;

    /**
     * Jumps a seekable source (a video file or an image folder) to a frame. The decode thread applies
     * it before its next grab, also while paused, so the chosen frame is shown at once.
     */
    public void seek(long frameIndex) {
        if (!info.seekable()) {
            throw new LiveException(info.description() + " cannot seek");
        }
        synchronized (lock) {
            pendingSeek = Math.max(0, frameIndex);
            lock.notifyAll();
        }
    }

    /** Index within its file of the newest decoded frame; -1 for cameras and synthetic scenes. */
    public long sourcePosition() {
        return sourcePosition;
    }

    /** Frames in the file (also when looping), -1 when unknown. */
    public long sourceLength() {
        return source instanceof dev.distillery.vision.VideoFileSource v ? v.containerFrameCount() : info.frameCount();
    }

    private void decodeLoop() {
        boolean sourceDone = false;
        try {
            boolean paced = options.realTime() && !info.live() && info.fps() > 0;
            long periodNanos = paced ? (long) (1e9 / info.fps()) : 0;
            long next = System.nanoTime();
            while (true) {
                synchronized (lock) {
                    boolean waitedForResume = false;
                    while (!stopping && ((paused && pendingSeek < 0) || !wanted())) {
                        waitedForResume |= paused;
                        lock.wait();
                    }
                    if (stopping) {
                        return;
                    }
                    if (waitedForResume) {
                        next = System.nanoTime();
                    }
                }
                long seekTo = pendingSeek;
                if (seekTo >= 0) {
                    pendingSeek = -1;
                    source.seek(seekTo);
                    next = System.nanoTime();
                }
                Mat mat = source.grab();
                if (source instanceof dev.distillery.vision.VideoFileSource v) {
                    sourcePosition = v.position() - 1;
                }
                if (mat == null) {
                    synchronized (lock) {
                        sourceEnded = true;
                        lock.notifyAll();
                    }
                    sourceDone = true; // the workers finish the last frame, then end
                    return;
                }
                if (mat.isNull() || mat.empty()) {
                    mat.close();
                    throw new SourceException(info.description() + " returned an empty frame");
                }
                long number;
                synchronized (lock) {
                    number = decoded++;
                }
                SharedFrame frame = new SharedFrame(mat, number);
                try {
                    Consumer<Mat> tap = frameTap;
                    if (tap != null) {
                        tap.accept(mat);
                    }
                    captureFrame(mat, number);
                    if (paced) {
                        next += periodNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } else if (wait < -periodNanos * 5) {
                            next = System.nanoTime(); // far behind (slow decode): do not burst to catch up
                        }
                    }
                } catch (RuntimeException | InterruptedException e) {
                    frame.release();
                    throw e;
                }
                publish(frame);
            }
        } catch (SourceException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail("The frame source " + info.description() + " failed: " + describe(e));
        } catch (Error e) {
            fail("The frame source " + info.description() + " failed: " + e);
            throw e;
        } finally {
            if (!sourceDone) {
                stop();
            }
            threadEnded();
        }
    }

    /** Whether the decoder should read the next frame now; caller holds the lock. */
    private boolean wanted() {
        if (options.realTime() && (info.live() || info.fps() > 0)) {
            return true; // a camera must be read at its own rate, a file is paced: newer frames replace older
        }
        if (latest == null || latest.takenBy >= runningWorkers) {
            return true;
        }
        if (synced) {
            return false; // the current frame is not yet taken by every model
        }
        for (int i = 0; i < waiting.length; i++) {
            if (waiting[i] && lastSeen[i] >= latest.number) {
                return true; // a worker is idle and has already seen the newest frame
            }
        }
        return false;
    }

    private void publish(SharedFrame frame) {
        SharedFrame old;
        synchronized (lock) {
            if (synced && latest != null && latest.takenBy < runningWorkers) {
                // a model has not taken the current frame yet: skip this one for both, so both see the same frames
                frame.release();
                return;
            }
            old = latest;
            latest = frame;
            lock.notifyAll();
        }
        if (old != null) {
            old.release();
        }
    }

    private void captureFrame(Mat mat, long number) {
        Capture c;
        synchronized (lock) {
            c = capture;
        }
        if (c == null) {
            return;
        }
        Path file = c.folder().resolve(String.format("frame_%06d.png", number));
        boolean ok;
        try {
            ok = opencv_imgcodecs.imwrite(file.toString(), mat);
        } catch (RuntimeException e) {
            ok = false;
        }
        synchronized (lock) {
            if (!ok) {
                capture = null;
                c.done().completeExceptionally(new LiveException("Cannot write the captured frame " + file
                        + ": check that the folder is writable and the disk is not full"));
                return;
            }
            c.written().add(file);
            if (c.written().size() == c.count()) {
                capture = null;
                c.done().complete(List.copyOf(c.written()));
            }
        }
    }

    // ------------------------------------------------------------------ workers

    /** The newest frame after {@code seen}, retained for the caller, or null when the worker should end. */
    private SharedFrame take(int worker, long seen) throws InterruptedException {
        synchronized (lock) {
            waiting[worker] = true;
            lastSeen[worker] = seen;
            // Tell the decoder once that this worker wants a frame. Notifying on every wake-up would make two
            // waiting workers wake each other forever and starve the decoder of the lock.
            boolean announced = false;
            try {
                while (true) {
                    if (stopping) {
                        return null;
                    }
                    if (latest != null && latest.number > seen) {
                        latest.retain();
                        latest.takenBy++;
                        lastSeen[worker] = latest.number;
                        lock.notifyAll();
                        return latest;
                    }
                    if (sourceEnded) {
                        return null;
                    }
                    if (!announced) {
                        announced = true;
                        lock.notifyAll(); // the decoder may be waiting for demand
                    }
                    lock.wait();
                }
            } finally {
                waiting[worker] = false;
            }
        }
    }

    private void workerLoop(int index) {
        FrameModel model = models.get(index);
        ModelMeter meter = meters[index];
        Renderer renderer = options.render() ? new Renderer() : null;
        long seen = -1;
        long done = 0;
        try {
            while (true) {
                SharedFrame frame = take(index, seen);
                if (frame == null) {
                    return;
                }
                if (frame.number - seen > 1) {
                    meter.dropped(frame.number - seen - 1);
                }
                seen = frame.number;
                Prediction prediction;
                long t0;
                long t1;
                int[] argb = null;
                int width = frame.mat.cols();
                int height = frame.mat.rows();
                try {
                    t0 = System.nanoTime();
                    prediction = model.predict(frame.mat);
                    t1 = System.nanoTime();
                    if (prediction == null) {
                        throw new IllegalStateException("it returned no prediction");
                    }
                } catch (RuntimeException | Error e) {
                    frame.release();
                    fail("Model " + model.name() + " failed on frame " + frame.number + ": " + describe(e));
                    if (e instanceof Error error) {
                        throw error;
                    }
                    return;
                }
                try {
                    if (renderer != null) {
                        Mat view = renderer.render(frame.mat, prediction);
                        argb = renderer.toArgb(view);
                        Recording r = recording.get();
                        if (index == 0 && r != null) {
                            r.offer(view);
                        }
                    }
                } catch (RuntimeException e) {
                    fail("Drawing the result of " + model.name() + " failed on frame " + frame.number + ": "
                            + describe(e));
                    return;
                } finally {
                    frame.release();
                }
                double latencyMs = (t1 - t0) / 1e6;
                meter.completed(t0, t1, latencyMs);
                if (models.size() == 2) {
                    agreement.record(index, seen, prediction);
                }
                LiveFrame out = new LiveFrame(index, seen, argb, width, height, prediction, latencyMs);
                views.set(index, out);
                for (LiveListener l : listeners) {
                    try {
                        l.onFrame(out);
                    } catch (RuntimeException e) {
                        LOG.warn("A live listener failed on a frame", e);
                    }
                }
                done++;
                if (options.frameLimit() > 0 && done >= options.frameLimit()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            fail("Model " + model.name() + " failed: " + e);
            throw e;
        } finally {
            if (renderer != null) {
                renderer.close();
            }
            synchronized (lock) {
                runningWorkers--;
                if (runningWorkers == 0) {
                    stopping = true;
                }
                lock.notifyAll();
            }
            threadEnded();
        }
    }

    // ------------------------------------------------------------------ shutdown

    private void fail(String message) {
        if (error.compareAndSet(null, message)) {
            LOG.warn("Live pipeline stopped: " + message);
            for (LiveListener l : listeners) {
                try {
                    l.onError(message);
                } catch (RuntimeException e) {
                    LOG.warn("A live listener failed on an error", e);
                }
            }
        }
        stop();
    }

    /** The last thread to end releases the remaining frame, ends recording and capture, and tells listeners. */
    private void threadEnded() {
        if (aliveThreads.decrementAndGet() != 0) {
            return;
        }
        Capture c;
        SharedFrame last;
        long d;
        synchronized (lock) {
            last = latest;
            latest = null;
            c = capture;
            capture = null;
            d = decoded;
        }
        if (last != null) {
            last.release();
        }
        if (c != null) {
            c.done().completeExceptionally(new LiveException("The live pipeline stopped after capturing "
                    + c.written().size() + " of " + c.count() + " frames"));
        }
        finishRecording();
        LOG.debug("Live pipeline stopped after " + d + " frames");
        stopped.countDown();
        for (LiveListener l : listeners) {
            try {
                l.onStopped();
            } catch (RuntimeException e) {
                LOG.warn("A live listener failed on stop", e);
            }
        }
    }

    /** Closes the mp4 of a recording still running (at stop and at close). */
    private void finishRecording() {
        Recording r = recording.getAndSet(null);
        if (r != null) {
            try {
                r.finish();
            } catch (LiveException e) {
                LOG.warn(e.getMessage());
            }
        }
    }

    /**
     * Stops the pipeline, joins its threads (up to 5 s each; a source blocked in {@code grab()} may need
     * closing to return) and releases all frames. Idempotent; safe to call from a listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop();
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.warn("Live thread " + t.getName() + " did not end within "
                        + JOIN_MILLIS + " ms");
            }
        }
        if (!started.get()) {
            stopped.countDown();
        }
        finishRecording();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new LiveException("Cannot create the folder " + parent + ": " + e.getMessage(), e);
            }
        }
    }
}
