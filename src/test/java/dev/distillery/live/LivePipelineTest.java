package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivePipelineTest {
    @TempDir
    Path dir;

    /** Records events and the most frames alive at once. */
    static final class Probe implements LiveListener {
        final AtomicReference<String> error = new AtomicReference<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger maxSourceAlive = new AtomicInteger();
        final AtomicInteger[] frames = {new AtomicInteger(), new AtomicInteger()};
        volatile LivePipeline pipeline;
        volatile ColourSource source;

        @Override
        public void onFrame(LiveFrame frame) {
            frames[frame.model()].incrementAndGet();
            if (pipeline != null) {
                maxInFlight.accumulateAndGet(pipeline.framesInFlight(), Math::max);
            }
            if (source != null) {
                maxSourceAlive.accumulateAndGet(source.alive(), Math::max);
            }
        }

        @Override
        public void onError(String message) {
            errors.incrementAndGet();
            error.set(message);
        }

        @Override
        public void onStopped() {
            stops.incrementAndGet();
            stopped.countDown();
        }
    }

    @AfterEach
    void noLiveThreadsLeft() {
        await().atMost(Duration.ofSeconds(5)).until(() -> liveThreads().isEmpty());
    }

    static List<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("live-")).toList();
    }

    /** Runs the models for about {@code millis} and returns frames completed per model. */
    static long[] runFor(List<FrameModel> models, long millis, Probe probe) throws Exception {
        ColourSource source = ColourSource.endless();
        LivePipeline p = new LivePipeline(source, models, new LivePipeline.Options(false, true, 0));
        try {
            probe.pipeline = p;
            probe.source = source;
            p.addListener(probe);
            p.start();
            Thread.sleep(millis);
            LiveStats stats = p.stats();
            long[] out = new long[models.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = stats.models().get(i).frames();
            }
            p.close();
            assertThat(p.framesInFlight()).isZero();
            assertThat(source.alive()).as("Mats not released").isZero();
            return out;
        } finally {
            p.close();
        }
    }

    @Test
    void aSlowModelDoesNotSlowTheFastOneAndFramesAreDroppedNotQueued() throws Exception {
        long alone = runFor(List.of(new SleepyModel("fast", 5)), 2000, new Probe())[0];
        Probe probe = new Probe();
        long[] both = runFor(List.of(new SleepyModel("fast", 5), new SleepyModel("slow", 100)), 2000, probe);
        long fast = both[0];
        long slow = both[1];
        // The slow model manages ~20 frames in 2 s, the fast one ~300 alone; generous bounds for a busy machine.
        assertThat(slow).isBetween(3L, 25L);
        assertThat(fast).as("fast %d vs slow %d", fast, slow).isGreaterThanOrEqualTo(5 * slow);
        assertThat((double) fast).as("fast with slow %d, alone %d", fast, alone).isGreaterThan(0.6 * alone);
        // Dropped, not queued: never more than the slot plus one frame per worker alive.
        assertThat(probe.maxInFlight.get()).isBetween(1, 3);
        assertThat(probe.maxSourceAlive.get()).isBetween(1, 3);
        assertThat(probe.stops.get()).isEqualTo(1);
        assertThat(probe.errors.get()).isZero();
    }

    @Test
    void twoInstantModelsRunToTheirLimitWithoutStalling() throws Exception {
        // Regression: two idle workers used to wake each other forever and starve the decoder of the lock.
        for (int round = 0; round < 5; round++) {
            ColourSource source = new ColourSource(64, 48, 0, -1, -1);
            try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("a", 0), new SleepyModel("b", 0)),
                    LivePipeline.Options.headless(300))) {
                p.start();
                assertThat(p.awaitStopped(20, TimeUnit.SECONDS)).as("round %d stalled", round).isTrue();
                assertThat(p.stats().models()).allSatisfy(m -> assertThat(m.frames()).isEqualTo(300));
                assertThat(p.stats().agreementSamples()).isPositive();
            }
            assertThat(source.alive()).isZero();
        }
    }

    /** Frame numbers each model showed, in order. */
    static final class Seen implements LiveListener {
        final List<List<Long>> frames = List.of(new java.util.concurrent.CopyOnWriteArrayList<>(),
                new java.util.concurrent.CopyOnWriteArrayList<>());

        @Override
        public void onFrame(LiveFrame frame) {
            frames.get(frame.model()).add(frame.frameNumber());
        }

        @Override
        public void onError(String message) {
        }

        @Override
        public void onStopped() {
        }
    }

    @Test
    void syncedModelsSeeTheSameFramesPacedOrNot() throws Exception {
        // a camera-like source (paced at 100 fps by the pipeline) and a headless one: in both, a fast and a slow
        // model must show exactly the same frame numbers, and agreement counts every one of them
        for (LivePipeline.Options options : List.of(LivePipeline.Options.display(), new LivePipeline.Options(false,
                true, 0))) {
            ColourSource source = new ColourSource(64, 48, options.realTime() ? 100 : 0, -1, -1);
            Seen seen = new Seen();
            try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("fast", 2),
                    new SleepyModel("slow", 30)), options).synced(true)) {
                p.addListener(seen);
                p.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> seen.frames.get(1).size() >= 20);
                p.stop();
                assertThat(p.awaitStopped(10, TimeUnit.SECONDS)).isTrue();
                List<Long> fast = seen.frames.get(0);
                List<Long> slow = seen.frames.get(1);
                int common = Math.min(fast.size(), slow.size());
                assertThat(fast.subList(0, common)).as("realTime %s", options.realTime())
                        .isEqualTo(slow.subList(0, common));
                assertThat(Math.abs(fast.size() - slow.size())).as("at most one frame apart").isLessThanOrEqualTo(1);
                assertThat(p.stats().agreementSamples()).isGreaterThanOrEqualTo(Math.min(common,
                        Agreement.WINDOW) - 1);
                if (options.realTime()) {
                    assertThat(fast.get(common - 1) + 1 - common).as("a paced source skips frames for both")
                            .isPositive();
                }
            }
            assertThat(source.alive()).isZero();
        }
    }

    @Test
    void ownPaceLetsTheFastModelSeeMoreFramesAndSyncCanBeSwitchedWhileRunning() throws Exception {
        ColourSource source = ColourSource.endless();
        Seen seen = new Seen();
        try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("fast", 2),
                new SleepyModel("slow", 30)), new LivePipeline.Options(false, true, 0))) {
            p.addListener(seen);
            p.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.frames.get(1).size() >= 10);
            assertThat(seen.frames.get(0).size()).as("own pace").isGreaterThan(3 * seen.frames.get(1).size());
            p.synced(true);
            int fastBefore = seen.frames.get(0).size();
            int slowBefore = seen.frames.get(1).size();
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.frames.get(1).size() >= slowBefore + 15);
            int fastGain = seen.frames.get(0).size() - fastBefore;
            int slowGain = seen.frames.get(1).size() - slowBefore;
            assertThat(fastGain).as("synced: the fast model waits for the slow one").isLessThanOrEqualTo(slowGain + 3);
            assertThat(p.isSynced()).isTrue();
        }
    }

    @Test
    void statsCountFpsLatencyAndDrops() throws Exception {
        ColourSource source = ColourSource.endless();
        try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("fast", 5),
                new SleepyModel("slow", 60)), LivePipeline.Options.display())) {
            p.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().models().get(1).frames() >= 15);
            LiveStats s = p.stats();
            LiveStats.ModelStats fast = s.models().get(0);
            LiveStats.ModelStats slow = s.models().get(1);
            assertThat(fast.name()).isEqualTo("fast");
            assertThat(fast.fps()).isGreaterThan(slow.fps() * 2);
            assertThat(slow.fps()).isBetween(3.0, 18.0);
            assertThat(slow.p50Ms()).isBetween(55.0, 200.0);
            assertThat(slow.p95Ms()).isGreaterThanOrEqualTo(slow.p50Ms());
            assertThat(fast.p50Ms()).isLessThan(slow.p50Ms());
            assertThat(slow.dropped()).isGreaterThan(0);
            assertThat(s.framesDecoded()).isGreaterThanOrEqualTo(slow.frames() + slow.dropped());
            // Both models say the frame's colour, so they agree on every common frame.
            assertThat(s.agreementSamples()).isPositive();
            assertThat(s.agreement()).isEqualTo(1.0);
            assertThat(p.latest(0).argb()).hasSize(160 * 120);
        }
    }

    @Test
    void realTimePlaybackPacesAFileToItsFps() throws Exception {
        ColourSource source = new ColourSource(64, 48, 50, -1, -1);
        try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("m", 0)),
                LivePipeline.Options.display())) {
            p.start();
            Thread.sleep(1000);
            long decoded = p.stats().framesDecoded();
            assertThat(decoded).isBetween(30L, 70L);
        }
    }

    @Test
    void pauseStopsFramesAndResumeRestartsThem() throws Exception {
        ColourSource source = ColourSource.endless();
        try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("m", 5)),
                LivePipeline.Options.display())) {
            p.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> p.stats().models().get(0).frames() > 5);
            p.pause();
            assertThat(p.isPaused()).isTrue();
            Thread.sleep(300);
            long frames = p.stats().models().get(0).frames();
            long grabs = source.grabs.get();
            Thread.sleep(500);
            assertThat(p.stats().models().get(0).frames()).isEqualTo(frames);
            assertThat(source.grabs.get()).isEqualTo(grabs);
            assertThat(p.isRunning()).isTrue();
            p.resume();
            await().atMost(Duration.ofSeconds(5)).until(() -> p.stats().models().get(0).frames() > frames + 5);
        }
        assertThat(source.alive()).isZero();
    }

    @Test
    void aSourceThatBreaksStopsThePipelineWithItsMessage() throws Exception {
        ColourSource source = new ColourSource(80, 60, 0, -1, 20);
        Probe probe = new Probe();
        LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("a", 1), new SleepyModel("b", 3)),
                LivePipeline.Options.display());
        p.addListener(probe);
        p.start();
        assertThat(probe.stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.error.get()).isEqualTo("Camera 0 was unplugged: reconnect it and press Start");
        assertThat(p.error()).isEqualTo(probe.error.get());
        assertThat(probe.errors.get()).isEqualTo(1);
        assertThat(p.isRunning()).isFalse();
        p.close();
        assertThat(liveThreads()).isEmpty();
        assertThat(p.framesInFlight()).isZero();
        assertThat(source.alive()).isZero();
        assertThat(probe.stops.get()).isEqualTo(1);
    }

    @Test
    void aFailingModelStopsThePipelineAndNamesTheModel() throws Exception {
        ColourSource source = ColourSource.endless();
        Probe probe = new Probe();
        try (LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("ok", 1),
                new SleepyModel("yolo-student", 1, 5)), LivePipeline.Options.display())) {
            p.addListener(probe);
            p.start();
            assertThat(probe.stopped.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(probe.error.get()).startsWith("Model yolo-student failed on frame ")
                .endsWith(": out of memory in layer 7");
        assertThat(source.alive()).isZero();
    }

    @Test
    void aFiniteSourceEndsThePipelineAfterItsLastFrame() throws Exception {
        ColourSource source = new ColourSource(32, 24, 0, 10, -1);
        Probe probe = new Probe();
        LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("m", 0)), LivePipeline.Options.display());
        p.addListener(probe);
        p.start();
        assertThat(p.awaitStopped(10, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.error.get()).isNull();
        assertThat(p.latest(0).frameNumber()).isEqualTo(9);
        assertThat(p.stats().framesDecoded()).isEqualTo(10);
        p.close();
        assertThat(source.alive()).isZero();
        assertThat(source.closed).as("the caller owns the source").isFalse();
    }

    @Test
    void closeIsIdempotentAndJoinsTheThreads() throws Exception {
        ColourSource source = ColourSource.endless();
        Probe probe = new Probe();
        LivePipeline p = new LivePipeline(source, List.of(new SleepyModel("a", 2), new SleepyModel("b", 50)),
                LivePipeline.Options.display());
        p.addListener(probe);
        p.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> p.stats().models().get(1).frames() > 1);
        assertThat(liveThreads()).contains("live-decode", "live-model-0", "live-model-1");
        p.close();
        assertThat(liveThreads()).isEmpty();
        p.close();
        assertThat(probe.stops.get()).isEqualTo(1);
        assertThat(probe.errors.get()).isZero();
        assertThat(source.alive()).isZero();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        new LivePipeline(source, List.of(new SleepyModel("never", 0)), LivePipeline.Options.display()).close();
    }

    @Test
    void rejectsZeroOrThreeModels() {
        ColourSource source = ColourSource.endless();
        assertThatThrownBy(() -> new LivePipeline(source, List.of(), LivePipeline.Options.display()))
                .hasMessageContaining("one or two models");
        SleepyModel m = new SleepyModel("m", 0);
        assertThatThrownBy(() -> new LivePipeline(source, List.of(m, m, m), LivePipeline.Options.display()))
                .hasMessageContaining("got 3");
    }

    @Test
    void snapshotWritesThePngOfTheLatestView() throws Exception {
        try (LivePipeline p = new LivePipeline(ColourSource.endless(), List.of(new SleepyModel("m", 2)),
                LivePipeline.Options.display())) {
            Path png = dir.resolve("shots/snap.png");
            assertThatThrownBy(() -> p.snapshot(png)).isInstanceOf(LiveException.class)
                    .hasMessageContaining("No rendered frame");
            p.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> p.latest(0) != null);
            assertThat(p.snapshot(png)).isEqualTo(png);
            try (Mat back = opencv_imgcodecs.imread(png.toString())) {
                assertThat(back.cols()).isEqualTo(160);
                assertThat(back.rows()).isEqualTo(120);
            }
        }
    }

    @Test
    void recordingWritesAPlayableMp4() throws Exception {
        Path mp4 = dir.resolve("rec.mp4");
        long written;
        try (LivePipeline p = new LivePipeline(new ColourSource(160, 120, 25, -1, -1),
                List.of(new SleepyModel("m", 5)), LivePipeline.Options.display())) {
            p.start();
            p.startRecording(mp4);
            assertThat(p.isRecording()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().models().get(0).frames() > 30);
            Thread.sleep(200);
            written = p.stopRecording();
            assertThat(p.isRecording()).isFalse();
        }
        assertThat(written).isGreaterThan(10);
        assertThat(Files.size(mp4)).isPositive();
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(160);
            assertThat(g.getVideoCodecName()).isIn("h264", "mpeg4");
            System.out.println("Recorded with " + g.getVideoCodecName());
            Frame f;
            while ((f = g.grabImage()) != null) {
                frames++;
            }
            g.stop();
        }
        assertThat((long) frames).isBetween(written / 2, written * 3);
    }

    @Test
    void aCaptureCutShortBySourceEndFailsWithTheCount() throws Exception {
        try (LivePipeline p = new LivePipeline(new ColourSource(32, 24, 0, 3, -1), List.of(new SleepyModel("m", 0)),
                LivePipeline.Options.display())) {
            var future = p.captureFrames(dir.resolve("short"), 10);
            p.start();
            assertThat(p.awaitStopped(10, TimeUnit.SECONDS)).isTrue();
            assertThat(future).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(
                    java.util.concurrent.ExecutionException.class).havingCause()
                    .withMessage("The live pipeline stopped after capturing 3 of 10 frames");
        }
    }

    @Test
    void captureFramesWritesTheNextRawFrames() throws Exception {
        Path folder = dir.resolve("dataset");
        try (LivePipeline p = new LivePipeline(ColourSource.endless(), List.of(new SleepyModel("m", 2)),
                LivePipeline.Options.display())) {
            p.start();
            List<Path> files = p.captureFrames(folder, 7).get(10, TimeUnit.SECONDS);
            assertThat(files).hasSize(7).allSatisfy(f -> assertThat(f).exists().hasParent(folder));
            try (Mat raw = opencv_imgcodecs.imread(files.get(0).toString())) {
                // Raw: a solid colour, no overlay drawn into it.
                double[] min = new double[1];
                double[] max = new double[1];
                try (Mat gray = new Mat()) {
                    org.bytedeco.opencv.global.opencv_imgproc.cvtColor(raw, gray,
                            org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
                    org.bytedeco.opencv.global.opencv_core.minMaxLoc(gray, min, max, null, null, null);
                }
                assertThat(max[0] - min[0]).isLessThan(1.0);
            }
        }
        try (var list = Files.list(folder)) {
            assertThat(list.count()).isEqualTo(7);
        }
    }
}
