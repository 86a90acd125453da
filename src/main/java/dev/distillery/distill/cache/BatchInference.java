package dev.distillery.distill.cache;

import dev.distillery.teacher.run.TeacherRunner;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns a batch of images into the teacher's raw per-image outputs, in the order of the images.
 * {@link OrtBatchInference} owns a runner and runs real batches; {@link #perImage(TeacherRunner)} adapts an
 * existing {@link TeacherRunner} one image at a time (a reference the tests compare batches with).
 */
public interface BatchInference extends AutoCloseable {
    /** Raw outputs, one array per image, in order. */
    List<float[]> infer(List<Mat> images);

    @Override
    default void close() {
    }

    /**
     * Uses {@link TeacherRunner#rawOutput} per image: unbatched; the runner stays owned by the caller.
     */
    static BatchInference perImage(TeacherRunner runner) {
        return images -> {
            List<float[]> out = new ArrayList<>(images.size());
            for (Mat m : images) {
                out.add(runner.rawOutput(m));
            }
            return out;
        };
    }
}
