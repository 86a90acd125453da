package dev.distillery.ui.distill;

import dev.distillery.distill.DistillService;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.RunControl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.util.Duration;

/**
 * One run training in this window: the background task, its pause/cancel control, and what the training thread
 * reports. The Distiller calls back on its own thread as often as it likes; those calls only write into buffers,
 * and a timeline on the FX thread copies the newest state out four times a second ({@link #revisionProperty()}
 * then changes, and run pages redraw). A session outlives the run page that shows it: leaving the screen or
 * selecting another run does not stop training.
 */
final class RunSession {
    /** How often the FX thread looks at what training reported. */
    static final Duration TICK = Duration.millis(250);
    /** Points kept per step chart; when full, the series is thinned out evenly (every other point). */
    static final int MAX_STEP_POINTS = 300;

    /** The newest preparation phase: text, 0..1 or −1 (indeterminate), seconds left or NaN. */
    record Phase(String text, double fraction, double etaSeconds) {
    }

    /** What a run page draws, copied on the FX thread. */
    record Snapshot(Phase phase, Distiller.StepInfo step, List<Distiller.EpochInfo> epochs, List<double[]> learningRate,
                    boolean training) {
    }

    final long runId;
    final RunControl control = new RunControl();
    private final AtomicReference<Phase> phase = new AtomicReference<>(new Phase("Starting", -1, Double.NaN));
    private final AtomicReference<Distiller.StepInfo> step = new AtomicReference<>();
    /** Which came last, a phase or a training step (so the page shows the right progress). */
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private volatile long phaseSeq;
    private volatile long stepSeq;
    private final List<Distiller.EpochInfo> epochs = new ArrayList<>();
    private final PointBuffer learningRate = new PointBuffer(MAX_STEP_POINTS);
    private final IntegerProperty revision = new SimpleIntegerProperty(this, "revision");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final ObjectProperty<Snapshot> snapshot = new SimpleObjectProperty<>(this, "snapshot");
    private final Timeline ticker;
    private Task<DistillService.Result> task;

    RunSession(long runId) {
        this.runId = runId;
        ticker = new Timeline(new KeyFrame(TICK, e -> publish()));
        ticker.setCycleCount(Timeline.INDEFINITE);
    }

    /** The listener handed to the service; it is called on the training thread. */
    Distiller.Listener listener() {
        return new Distiller.Listener() {
            @Override
            public void phase(String text, double fraction, double etaSeconds) {
                phase.set(new Phase(text, fraction, etaSeconds));
                phaseSeq = sequence.incrementAndGet();
            }

            @Override
            public void step(Distiller.StepInfo s) {
                step.set(s);
                stepSeq = sequence.incrementAndGet();
                learningRate.add(s.step(), s.learningRate());
            }

            @Override
            public void epoch(Distiller.EpochInfo e) {
                synchronized (epochs) {
                    epochs.add(e);
                }
            }
        };
    }

    /** Starts following the task (FX thread); the caller submits it. */
    void follow(Task<DistillService.Result> t) {
        task = t;
        ticker.play();
    }

    /** The last copy, taken when training ends. */
    void stopFollowing() {
        ticker.stop();
        publish();
    }

    Task<DistillService.Result> task() {
        return task;
    }

    boolean isRunning() {
        return task != null && !task.isDone();
    }

    void pause() {
        control.pause();
        paused.set(true);
        publish();
    }

    void resume() {
        control.resume();
        paused.set(false);
        publish();
    }

    void cancel() {
        control.cancel();
    }

    BooleanProperty pausedProperty() {
        return paused;
    }

    /** Changes at most four times a second while the run trains. */
    IntegerProperty revisionProperty() {
        return revision;
    }

    Snapshot snapshot() {
        return snapshot.get();
    }

    private void publish() {
        List<Distiller.EpochInfo> e;
        synchronized (epochs) {
            e = List.copyOf(epochs);
        }
        snapshot.set(new Snapshot(phase.get(), step.get(), e, learningRate.points(), stepSeq > phaseSeq));
        revision.set(revision.get() + 1);
    }

    /** (x, y) points from one writer thread, at most {@code max}: when full, every other old point goes. */
    static final class PointBuffer {
        private final int max;
        private final List<double[]> points = new ArrayList<>();
        private int stride = 1;
        private long seen;

        PointBuffer(int max) {
            this.max = Math.max(4, max);
        }

        synchronized void add(double x, double y) {
            if (!Double.isFinite(y)) {
                return;
            }
            if (seen++ % stride != 0) {
                return;
            }
            points.add(new double[] {x, y});
            if (points.size() > max) {
                List<double[]> thinned = new ArrayList<>(max / 2 + 1);
                for (int i = 0; i < points.size(); i += 2) {
                    thinned.add(points.get(i));
                }
                points.clear();
                points.addAll(thinned);
                stride *= 2;
            }
        }

        synchronized List<double[]> points() {
            return List.copyOf(points);
        }
    }
}
