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
 * Class scores [N, K] over the teacher's classes or class groups (plus "other"): the student's argmax is judged
 * against the teacher's (agreement; the best epoch is picked on balanced agreement).
 */
final class ClassificationTask extends TaskBehaviour {
    ClassificationTask() {
        super("CLASSIFIER", TaskKind.CLASSIFICATION, "agreement", "classifier", "cls-");
    }

    @Override
    <R> R accept(StudentTask.Visitor<R> v) {
        return v.classification();
    }

    @Override
    public int outputs(ClassGroups groups, int teacherClasses) {
        // one per group, plus "other" when some teacher classes are in no group; without groups, the teacher's
        return groups != null ? groups.size() : Math.max(2, teacherClasses);
    }

    @Override
    long[] outputShape(StudentSpec s) {
        return new long[] {s.outputs()};
    }

    @Override
    void appendHead(StudentSpec s, List<StudentLayer> l, List<Integer> strides) {
        l.add(new StudentLayer.GlobalAvgPool());
        l.add(new StudentLayer.Dense(s.channels().get(s.channels().size() - 1), s.outputs()));
    }

    @Override
    Distiller.Settings trainingDefaults() {
        return new Distiller.Settings(Distiller.Mode.CACHED, 32, 4e-3f, 1e-4f, 2f, 0f, 200, 0, 6, true, 42, 2);
    }

    @Override
    ai.djl.training.loss.Loss loss(StudentSpec s, KdTrainer.Config c) {
        return new KdTrainer.DistillationLoss(c.temperature(), c.ceWeight());
    }

    @Override
    int validationChunk() {
        return 64;
    }

    @Override
    public double quality(StudentComparison.Result r, List<String> classes) {
        if (r.classification() == null) {
            throw new IllegalStateException("the model is not a classifier");
        }
        return r.classification().agreement();
    }

    @Override
    public String checkOutput(TensorSpec out, List<String> classes) {
        int k = classes.size();
        if (out.rank() != 2 || !fits(out, 0, 1) || !fits(out, 1, k)) {
            return "wrong I/O: output " + out.shapeText() + ", the challenge wants [1, " + k + "] class scores";
        }
        return null;
    }

    @Override
    public String torchReferenceKind() {
        return "classifier";
    }

    @Override
    public boolean targetsAreLogits() {
        return true;
    }

    /** A non-square teacher input keeps its aspect ratio (e.g. text lines). */
    @Override
    boolean keepsTeacherAspect() {
        return true;
    }

    @Override
    public boolean picksOnBalancedAgreement() {
        return true;
    }

    @Override
    public String challengeText(List<String> classes, double mapThreshold) {
        return "classification over " + dev.distillery.core.Plural.of(classes.size(), "class");
    }

    @Override
    Target target(TeacherProfile teacher, List<String> groups, Preprocessing student) {
        return new Target.Classes(classGroups(teacher, groups), teacher.task().outputIsProbability());
    }

    @Override
    String rawOutputName() {
        return OnnxExporter.OUTPUT;
    }

    @Override
    void exportTail(OnnxBuilder b, StudentSpec s, String raw) {
        b.output(OnnxExporter.OUTPUT, TensorProto.DataType.FLOAT, "N", s.outputs());
    }
}
