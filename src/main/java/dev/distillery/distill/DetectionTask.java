package dev.distillery.distill;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.distill.target.ClassGroups;
import dev.distillery.distill.target.Target;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import dev.distillery.onnx.OnnxBuilder;
import java.util.List;

/**
 * Boxes with classes: a one-stage anchor-free detector at stride 8 (centre heat-map plus distances to the box's
 * edges), exported in YOLOv8's columns [N, 4 + K, cells] and judged by mAP@0.5 against the teacher's boxes.
 */
final class DetectionTask extends TaskBehaviour {
    DetectionTask() {
        super("DETECTOR", TaskKind.DETECTION, "mAP@0.5", "detector", "det-");
    }

    @Override
    <R> R accept(StudentTask.Visitor<R> v) {
        return v.detection();
    }

    @Override
    public int outputs(ClassGroups groups, int teacherClasses) {
        // a detector has no "other": boxes of classes in no group are dropped
        return groups != null ? groups.groups().size() : Math.max(1, teacherClasses);
    }

    @Override
    void check(String name, List<Integer> channels, int width, int height) {
        int stride = 2;
        for (int i = 1; i < channels.size(); i++) {
            stride *= channels.get(i) > channels.get(i - 1) ? 2 : 1;
        }
        if (stride < StudentSpec.DETECTOR_STRIDE) {
            throw new IllegalArgumentException(name + ": a detector's encoder must reach stride "
                    + StudentSpec.DETECTOR_STRIDE + " (widen at least two stages)");
        }
        if (width % stride != 0 || height % stride != 0) {
            throw new IllegalArgumentException(name + ": detector input size " + width + "×" + height
                    + " must be a multiple of " + stride);
        }
    }

    @Override
    long[] outputShape(StudentSpec s) {
        return new long[] {s.outputs() + 4, s.gridHeight(), s.gridWidth()};
    }

    @Override
    long[] targetShape(StudentSpec s) {
        // the class maps and four distances, then the regression weight map
        return new long[] {s.outputs() + 5, s.gridHeight(), s.gridWidth()};
    }

    @Override
    void appendHead(StudentSpec s, List<StudentLayer> l, List<Integer> strides) {
        // back up to stride 8: per doubling, the widest stage at the next finer stride
        List<Integer> channels = s.channels();
        int i = channels.size() - 1;
        int in = channels.get(i);
        int stride = strides.get(i);
        while (stride > StudentSpec.DETECTOR_STRIDE) {
            stride /= 2;
            int j = i;
            while (strides.get(j) > stride) {
                j--;
            }
            int out = channels.get(j);
            StudentSpec.convBnRelu(l, new StudentLayer.Conv(in, out, 1, 1, 1, false));
            l.add(new StudentLayer.UpsampleNearest2x());
            StudentSpec.convBnRelu(l, new StudentLayer.Conv(out, out, 3, 1, out, false));
            in = out;
            i = j;
        }
        l.add(new StudentLayer.Conv(in, s.outputs() + 4, 3, 1, 1, true));
    }

    @Override
    Distiller.Settings trainingDefaults() {
        // up to 1000 epochs so that a time budget governs (docs/benchmarks.md, detection)
        return new Distiller.Settings(Distiller.Mode.CACHED, 16, 3e-3f, 1e-4f, 1f, 0f, 1000, 0, 0, true, 42, 2);
    }

    @Override
    ai.djl.training.loss.Loss loss(StudentSpec s, KdTrainer.Config c) {
        return new KdTrainer.DetectionLoss(s.outputs());
    }

    /**
     * The head starts sure that no cell holds a box centre (class logits −4.6, p ≈ 0.01, as CenterNet does) and
     * with distances of e¹ ≈ 2.7 strides: otherwise the first steps' focal loss over thousands of empty cells is
     * in the hundreds and swamps what the few centres teach.
     */
    @Override
    float[] headBias(StudentSpec s) {
        float[] b = new float[s.outputs() + 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = i < s.outputs() ? -4.6f : 1f;
        }
        return b;
    }

    @Override
    String rawOutputName() {
        return "det_raw";
    }

    @Override
    void checkTeacher(TeacherProfile teacher, List<String> groups) {
        if (teacher.task().detectionLayout() == null || teacher.task().numClasses() < 1) {
            throw new IllegalArgumentException("The teacher's detection output layout is not recognised; set its "
                    + "layout (YOLOX grid, YOLOv5 rows or YOLOv8 columns) and classes on the Teachers screen");
        }
    }

    /** The student letterboxes as the teacher does, at its own size; boxes map through the original image. */
    @Override
    Target target(TeacherProfile teacher, List<String> groups, Preprocessing student) {
        return new Target.Boxes(classGroups(teacher, groups), teacher.task(), teacher.preprocessing(), student,
                dev.distillery.teacher.run.DetectionDecoder.DEFAULT_SCORE_THRESHOLD);
    }

    /** Decoded in the graph to YOLOv8's columns [N, 4 + K, cells]; NMS stays in the app. */
    @Override
    void exportTail(OnnxBuilder b, StudentSpec s, String raw) {
        OnnxExporter.detectorTail(b, s, raw);
        b.output(OnnxExporter.OUTPUT, TensorProto.DataType.FLOAT, "N", 4 + s.outputs(), s.boxGrid().cells());
    }

    @Override
    float[] exportedForm(StudentSpec s, float[] raw) {
        var grid = s.boxGrid();
        int per = (s.outputs() + 4) * grid.cells();
        int n = raw.length / per;
        float[] out = new float[raw.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(grid.decode(raw, i * per), 0, out, i * per, per);
        }
        return out;
    }

    /** mAP@0.5 of the student's boxes of the challenge's classes, in its order, against the teacher's. */
    @Override
    public double quality(StudentComparison.Result r, List<String> classes) {
        if (r.detection() == null) {
            throw new IllegalStateException("the model is not a detector");
        }
        List<String> want = classes.stream().map(g -> g.contains("=") ? g.substring(0, g.indexOf('=')).strip()
                : g.strip()).toList();
        if (!r.detection().classes().equals(want)) {
            throw new IllegalStateException("the model finds " + r.detection().classes() + ", the challenge asks for "
                    + want);
        }
        if (!Double.isFinite(r.detection().map50())) {
            throw new IllegalStateException("the teacher found no " + String.join(", ", want) + " in this epoch's "
                    + r.compared() + " frames: the validator's pool must show them");
        }
        return r.detection().map50();
    }

    @Override
    public String checkOutput(TensorSpec out, List<String> classes) {
        int k = classes.size();
        if (out.rank() != 3 || !fits(out, 0, 1) || !fits(out, 1, 4 + k)) {
            return "wrong I/O: output " + out.shapeText() + ", the challenge wants boxes in YOLOv8's layout [1, "
                    + (4 + k) + ", N] (4 box values and " + k + " class scores)";
        }
        return null;
    }

    @Override
    public double teacherLatencyShare() {
        return DistillService.DETECTOR_LATENCY_SHARE;
    }

    @Override
    public List<String> groupsOf(List<String> classes) {
        return classes;
    }

    @Override
    public boolean dropsUngroupedClasses() {
        return true;
    }

    @Override
    public String challengeText(List<String> classes, double mapThreshold) {
        return "detection of " + String.join(", ", classes) + " (" + metricName() + ")";
    }

    /** Boxes are in pixels (up to the input size): compared relative to their size. */
    @Override
    double parityDiff(StudentSpec s, float[] expected, float[] actual) {
        return OnnxExporter.detectorDiff(s, expected, actual);
    }

    @Override
    double parityTolerance() {
        return OnnxExporter.DETECTOR_PARITY_TOLERANCE;
    }
}
