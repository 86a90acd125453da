package dev.distillery.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimizer that lets another one apply a gradient only when it is finite. libtorch 2.7.1 (DJL 0.36) on this
 * AVX-512 CPU now and then hands the optimizer a parameter's gradient that is NaN although the loss was finite.
 * Measured with dense-fast on random data, 80 steps per fresh JVM: 0–7 such steps on an idle machine, at 1 and at
 * 2 intra-op threads, and 15–38 while another build loaded both cores. Every gradient was finite right after the
 * backward pass; one parameter's (a BatchNorm scale, a depthwise kernel) was all NaN by the time the optimizer
 * reached it. None in six runs with glibc's {@code MALLOC_PERTURB_} set. Root cause not found.
 *
 * <p>Applied, such a step turns every weight (and Adam's moments) into NaN and the run is lost; with its gradient
 * zeroed instead, it costs one batch. A NaN or infinite loss (a bad target) is dropped the same way. Bursts come
 * and go: twice in CI, inside the test JVM after many other tests, 20 steps in a row failed at the start of a
 * run, and a new trainer started at once failed 20 in a row again. So only {@link #MAX_FAILED_IN_A_ROW} failed
 * steps in a row stop the run with an error: a real divergence (every step NaN) still ends within that many steps.
 */
final class FiniteSteps extends Optimizer {
    private static final Logger LOG = LoggerFactory.getLogger(FiniteSteps.class);
    static final int MAX_FAILED_IN_A_ROW = 200;
    /** A burst at least this long is logged when it ends (what CI logs say about the bursts). */
    private static final int BURST = 5;

    private final Optimizer inner;
    private boolean failedThisStep;
    private int skipped;
    private int inARow;

    FiniteSteps(Optimizer inner) {
        super(new Builder());
        this.inner = inner;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (!failedThisStep) {
            float sum;
            try (NDArray s = grad.sum()) {
                sum = s.getFloat();
            }
            // parameters are updated one after another: the ones before this one in the step were already updated,
            // which is harmless (their gradients were finite); the rest of the step is dropped
            failedThisStep = !Float.isFinite(sum);
        }
        if (failedThisStep) {
            // the step goes on with a zero gradient (NaN · 0 is NaN, so zeros are copied over it): the inner
            // update still clears the gradient for the next step, as it always does, and Adam's moments only decay
            try (NDArray zeros = grad.zerosLike()) {
                zeros.copyTo(grad);
            }
        }
        inner.update(parameterId, weight, grad);
    }

    void beginStep() {
        failedThisStep = false;
    }

    void endStep(float loss) {
        if (!failedThisStep) {
            if (inARow >= BURST) {
                LOG.warn("{} training steps in a row had non-finite gradients; this one was finite again", inARow);
            }
            inARow = 0;
            return;
        }
        skipped++;
        inARow++;
        if (skipped == 1 || skipped % 100 == 0) {
            LOG.warn("Dropped {} training step(s) whose gradients were not finite (loss {})", skipped, loss);
        }
        if (inARow >= MAX_FAILED_IN_A_ROW) {
            throw new IllegalStateException("Training diverged: " + inARow + " steps in a row gave non-finite "
                    + "gradients. Try a lower learning rate or another seed.");
        }
    }

    int skippedSteps() {
        return skipped;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
