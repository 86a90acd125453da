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
 * A per-pixel map [N, 1, H, W] (e.g. text probability): an encoder–decoder student, judged by the IoU of the two
 * maps above a threshold.
 */
final class DenseMapTask extends TaskBehaviour {
    DenseMapTask() {
        super("DENSE", TaskKind.DENSE, "IoU", "dense-map student", "dense-");
    }

    @Override
    <R> R accept(StudentTask.Visitor<R> v) {
        return v.denseMap();
    }

    @Override
    public int outputs(ClassGroups groups, int teacherClasses) {
        return 1;
    }

    @Override
    int blockStride(int in, int out) {
        return 2; // every encoder stage halves the resolution; the decoder climbs back one stage at a time
    }

    @Override
    boolean allowsHeadStride(int stride) {
        return stride == 1 || stride == 2;
    }

    @Override
    void check(String name, List<Integer> channels, int width, int height) {
        int multiple = 1 << channels.size();
        if (width % multiple != 0 || height % multiple != 0) {
            throw new IllegalArgumentException(name + ": dense input size " + width + "×" + height
                    + " must be a multiple of " + multiple);
        }
    }

    @Override
    long[] outputShape(StudentSpec s) {
        return new long[] {s.outputs(), s.inputHeight(), s.inputWidth()};
    }

    @Override
    void appendHead(StudentSpec s, List<StudentLayer> l, List<Integer> strides) {
        List<Integer> channels = s.channels();
        for (int i = channels.size() - 1; i >= 0; i--) {
            int in = channels.get(i);
            int out = i > 0 ? channels.get(i - 1) : StudentSpec.DENSE_HEAD_CHANNELS;
            StudentSpec.convBnRelu(l, new StudentLayer.Conv(in, out, 1, 1, 1, false));
            if (i > 0 || s.headStride() == 1) {
                l.add(new StudentLayer.UpsampleNearest2x());
            }
            StudentSpec.convBnRelu(l, new StudentLayer.Conv(out, out, 3, 1, out, false));
        }
        l.add(new StudentLayer.Conv(StudentSpec.DENSE_HEAD_CHANNELS, s.outputs(), 3, 1, 1, true));
        if (s.headStride() == 2) {
            l.add(new StudentLayer.UpsampleNearest2x());
        }
    }

    @Override
    Distiller.Settings trainingDefaults() {
        return new Distiller.Settings(Distiller.Mode.CACHED, 8, 4e-3f, 1e-4f, 1f, 0f, 200, 0, 0, true, 42, 2);
    }

    @Override
    ai.djl.training.loss.Loss loss(StudentSpec s, KdTrainer.Config c) {
        return new KdTrainer.BceWithLogitsLoss();
    }

    @Override
    String rawOutputName() {
        return "map_logits";
    }

    @Override
    void checkTeacher(TeacherProfile teacher, List<String> groups) {
        if (!groups.isEmpty()) {
            throw new IllegalArgumentException("Class groups apply to classifier and detector teachers; this "
                    + "teacher makes maps");
        }
    }

    @Override
    Target target(TeacherProfile teacher, List<String> groups, Preprocessing student) {
        return new Target.Map(teacher.task().outputIsProbability(), DistillService.MAP_THRESHOLD);
    }

    /** A dense student ends in Sigmoid: its output is a probability map, like the teacher's. */
    @Override
    void exportTail(OnnxBuilder b, StudentSpec s, String raw) {
        b.node("Sigmoid", List.of(raw), List.of(OnnxExporter.OUTPUT));
        b.output(OnnxExporter.OUTPUT, TensorProto.DataType.FLOAT, "N", s.outputs(), s.inputHeight(),
                s.inputWidth());
    }

    @Override
    float[] exportedForm(StudentSpec s, float[] raw) {
        float[] p = raw.clone();
        OnnxExporter.sigmoidInPlace(p);
        return p;
    }

    @Override
    public double quality(StudentComparison.Result r, List<String> classes) {
        if (r.dense() == null) {
            throw new IllegalStateException("the model is not a dense map");
        }
        return r.dense().pooledIou();
    }

    @Override
    public String checkOutput(TensorSpec out, List<String> classes) {
        if (out.rank() != 4 || !fits(out, 0, 1) || !fits(out, 1, 1)) {
            return "wrong I/O: output " + out.shapeText() + ", the challenge wants a one-channel map [1, 1, H, W]";
        }
        return null;
    }

    @Override
    public String torchReferenceKind() {
        return "dense";
    }

    @Override
    public String challengeText(List<String> classes, double mapThreshold) {
        return "dense map (IoU@" + mapThreshold + ")";
    }

    @Override
    public String reportMetricName() {
        return metricName() + "@" + DistillService.MAP_THRESHOLD;
    }

    /** Probabilities → logits, clamped away from 0 and 1. */
    @Override
    void toTrainedForm(float[] exported) {
        for (int i = 0; i < exported.length; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, exported[i]));
            exported[i] = (float) Math.log(p / (1 - p));
        }
    }
}
