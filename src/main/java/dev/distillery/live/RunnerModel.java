package dev.distillery.live;

import dev.distillery.model.Prediction;
import dev.distillery.teacher.run.TeacherRunner;
import java.util.Objects;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A {@link FrameModel} backed by a {@link TeacherRunner} (ONNX Runtime). A runner is not thread-safe, so an
 * adapter owns exactly one runner and is used by one pipeline worker; open one runner per worker.
 */
public final class RunnerModel implements FrameModel {
    private final String name;
    private final TeacherRunner runner;

    /**
     * @param name   display name
     * @param runner the runner to use; this adapter takes ownership and closes it in {@link #close()}
     */
    public RunnerModel(String name, TeacherRunner runner) {
        this.name = Objects.requireNonNull(name, "name");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prediction predict(Mat bgr) {
        return runner.predict(bgr);
    }

    /** The wrapped runner (for its profile and settings). */
    public TeacherRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        runner.close();
    }
}
