package dev.distillery.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimizer that lets another one apply a gradient only when it is finite. Multi-threaded libtorch 2.7.1
 * (DJL 0.36) now and then hands back a backward pass whose gradients are NaN in every parameter although the loss
 * was finite: seen on an AVX-512 CPU with 2 intra-op threads, about once per few hundred steps, never with 1
 * thread. Applied, such a step turns every weight (and Adam's moments) into NaN and the run is lost; with its
 * gradient zeroed instead, it costs one batch. A NaN or infinite loss (a bad target) is dropped the same way. A run whose steps keep failing
 * stops with an error instead of training on nothing.
 */
final class FiniteSteps extends Optimizer {
    private static final Logger LOG = LoggerFactory.getLogger(FiniteSteps.class);
    static final int MAX_FAILED_IN_A_ROW = 20;

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
