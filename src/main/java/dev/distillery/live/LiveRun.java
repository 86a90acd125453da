package dev.distillery.live;

import dev.distillery.vision.FrameSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A headless live run for the CLI: the {@link LivePipeline} as fast as possible, without rendering, until
 * each model has processed {@code N} frames (or the source ends), then the same models called directly in a
 * plain loop on frames of the run, to report the pipeline's overhead over bare inference.
 *
 * <p>With two models both run at once in the pipeline but one at a time in the bare loop, so on a machine
 * with few cores their pipeline time also contains CPU contention between the models, not only overhead.
 *
 * <p><b>Thread-safety:</b> a run uses the given source and models exclusively until it returns.
 */
public final class LiveRun {
    /** Frames of the run kept (cloned) for the bare-inference comparison. */
    static final int SAMPLE_FRAMES = 16;
    private static final int WARMUP = 2;

    private LiveRun() {
    }

    /**
     * Runs the pipeline and the bare comparison. The source and the models stay open (the caller owns them).
     *
     * @param frames frames per model, at least 2
     * @throws LiveException with the pipeline's message when the source or a model fails
     */
    public static LiveReport run(FrameSource source, List<? extends FrameModel> models, int frames) {
        return run(source, models, frames, Agreement.Setup.plain());
    }

    /** As above, measuring the two models' agreement as {@code setup} says (a grouped student, a map threshold). */
    public static LiveReport run(FrameSource source, List<? extends FrameModel> models, int frames,
                                 Agreement.Setup setup) {
        if (frames < 2) {
            throw new IllegalArgumentException("A live run needs at least 2 frames per model, got " + frames);
        }
        List<Mat> sample = new ArrayList<>();
        LivePipeline pipeline = new LivePipeline(source, models, LivePipeline.Options.headless(frames))
                .agreementSetup(setup);
        try {
            pipeline.frameTap(m -> {
                if (sample.size() < SAMPLE_FRAMES) {
                    sample.add(m.clone());
                }
            });
            long t0 = System.nanoTime();
            pipeline.start();
            try {
                pipeline.awaitStopped(Long.MAX_VALUE, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LiveException("The live run was interrupted", e);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            pipeline.close();
            if (pipeline.error() != null) {
                throw new LiveException(pipeline.error());
            }
            LiveStats stats = pipeline.stats();
            List<LiveReport.ModelReport> reports = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                ModelMeter meter = pipeline.meter(i);
                LiveStats.ModelStats s = stats.models().get(i);
                double pipelineMs = meter.wallMsPerFrame();
                double bareMs = sample.isEmpty() ? Double.NaN : bareMsPerFrame(models.get(i), sample,
                        (int) Math.max(WARMUP + 1, Math.min(frames, s.frames())));
                double overhead = (pipelineMs - bareMs) / bareMs * 100;
                reports.add(new LiveReport.ModelReport(s.name(), s.frames(), meter.overallFps(),
                        LiveReport.finite(s.p50Ms()), LiveReport.finite(s.p95Ms()), s.dropped(),
                        LiveReport.finite(pipelineMs), LiveReport.finite(bareMs), LiveReport.finite(overhead)));
            }
            return new LiveReport(source.info().description(), stats.framesDecoded(), wall, reports,
                    LiveReport.finite(stats.agreement()), stats.agreementSamples());
        } finally {
            pipeline.close();
            for (Mat m : sample) {
                m.close();
            }
        }
    }

    /** Mean time per predict in a plain loop over the sample frames, after a warm-up, in ms. */
    static double bareMsPerFrame(FrameModel model, List<Mat> frames, int count) {
        for (int i = 0; i < WARMUP; i++) {
            model.predict(frames.get(i % frames.size()));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            model.predict(frames.get(i % frames.size()));
        }
        return (System.nanoTime() - t0) / 1e6 / count;
    }
}
