package dev.distillery.distill.cache;

import dev.distillery.model.TeacherProfile;
import dev.distillery.teacher.run.TeacherRunner;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Real ONNX Runtime batches for labelling: a {@link TeacherRunner} it owns, read through
 * {@link TeacherRunner#rawOutputBatch} (the runner's own preprocessing, batching and fixed-batch
 * padding, so the cache holds exactly what the runner would compute).
 */
public final class OrtBatchInference implements BatchInference {
    private final TeacherRunner runner;

    private OrtBatchInference(TeacherRunner runner) {
        this.runner = runner;
    }

    /** Opens the teacher; see {@link TeacherRunner#open} for the checks and messages. */
    public static OrtBatchInference open(Path model, TeacherProfile profile, int threads) {
        return new OrtBatchInference(TeacherRunner.open(model, profile, threads));
    }

    /** The batch size the model requires, 0 when any batch works. */
    public int fixedBatch() {
        return runner.fixedBatch();
    }

    @Override
    public List<float[]> infer(List<Mat> images) {
        return runner.rawOutputBatch(images);
    }

    @Override
    public void close() {
        runner.close();
    }
}
