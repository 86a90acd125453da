package dev.distillery.live;

import dev.distillery.model.Prediction;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What the live pipeline runs on each frame: a teacher, a student, or anything else that turns a BGR
 * image into a {@link Prediction}.
 *
 * <p><b>Thread-safety:</b> implementations need not be thread-safe. The {@link LivePipeline} calls one model
 * from exactly one worker thread; give each pipeline slot its own instance.
 */
public interface FrameModel extends AutoCloseable {
    /** Shown on screen and in reports, e.g. "mobilenetv2 (teacher)". */
    String name();

    /**
     * Predicts on one 8-bit, 3-channel BGR frame. The frame belongs to the caller and must not be kept or
     * modified.
     *
     * @throws RuntimeException when inference fails; the pipeline stops with the message
     */
    Prediction predict(Mat bgr);

    /** Releases the model's native resources; safe to call twice. */
    @Override
    void close();
}
