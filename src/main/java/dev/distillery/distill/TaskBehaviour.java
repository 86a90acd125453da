package dev.distillery.distill;

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
 * What one task of {@link StudentTask} does, with the defaults most tasks share: one subclass per task
 * ({@link ClassificationTask}, {@link DenseMapTask}, {@link DetectionTask}). Each method is documented on
 * {@link StudentTask}'s method of the same name, which calls it.
 */
abstract class TaskBehaviour {
    private final String metadataName;
    private final TaskKind teacherKind;
    private final String metricName;
    private final String word;
    private final String presetPrefix;

    TaskBehaviour(String metadataName, TaskKind teacherKind, String metricName, String word, String presetPrefix) {
        this.metadataName = metadataName;
        this.teacherKind = teacherKind;
        this.metricName = metricName;
        this.word = word;
        this.presetPrefix = presetPrefix;
    }

    abstract <R> R accept(StudentTask.Visitor<R> v);

    String metadataName() {
        return metadataName;
    }

    TaskKind teacherKind() {
        return teacherKind;
    }

    String metricName() {
        return metricName;
    }

    String reportMetricName() {
        return metricName;
    }

    String word() {
        return word;
    }

    String presetPrefix() {
        return presetPrefix;
    }

    public abstract int outputs(ClassGroups groups, int teacherClasses);

    int blockStride(int in, int out) {
        return out > in ? 2 : 1;
    }

    boolean allowsHeadStride(int stride) {
        return stride == 1;
    }

    void check(String name, List<Integer> channels, int width, int height) {
    }

    abstract long[] outputShape(StudentSpec s);

    long[] targetShape(StudentSpec s) {
        return outputShape(s);
    }

    abstract void appendHead(StudentSpec s, List<StudentLayer> l, List<Integer> strides);

    abstract Distiller.Settings trainingDefaults();

    abstract ai.djl.training.loss.Loss loss(StudentSpec s, KdTrainer.Config c);

    float[] headBias(StudentSpec s) {
        return null;
    }

    int validationChunk() {
        return 8;
    }

    void checkTeacher(TeacherProfile teacher, List<String> groups) {
    }

    abstract Target target(TeacherProfile teacher, List<String> groups, Preprocessing student);

    abstract String rawOutputName();

    abstract void exportTail(OnnxBuilder b, StudentSpec s, String raw);

    float[] exportedForm(StudentSpec s, float[] raw) {
        return raw;
    }

    public abstract double quality(StudentComparison.Result r, List<String> classes);

    public abstract String checkOutput(TensorSpec out, List<String> classes);

    public String torchReferenceKind() {
        return null;
    }

    public boolean targetsAreLogits() {
        return false;
    }

    public double teacherLatencyShare() {
        return Double.NaN;
    }

    public List<String> groupsOf(List<String> classes) {
        return List.of();
    }

    public boolean picksOnBalancedAgreement() {
        return false;
    }

    public boolean dropsUngroupedClasses() {
        return false;
    }

    public abstract String challengeText(List<String> classes, double mapThreshold);

    /** The teacher's classes as {@code groups} gather them ({@code NAME=SPEC}); none given: each class its own. */
    static ClassGroups classGroups(TeacherProfile teacher, List<String> groups) {
        int classes = teacher.task().numClasses();
        return groups.isEmpty() ? ClassGroups.identity(teacher.labels(), classes)
                : ClassGroups.parse(groups, teacher.labels(), classes);
    }

    static boolean fits(TensorSpec t, int axis, long value) {
        return t.isDynamic(axis) || t.dim(axis) == value;
    }

    void toTrainedForm(float[] exported) {
    }

    boolean keepsTeacherAspect() {
        return false;
    }

    double parityDiff(StudentSpec s, float[] expected, float[] actual) {
        return OnnxExporter.maxAbsDiff(expected, actual);
    }

    double parityTolerance() {
        return OnnxExporter.PARITY_TOLERANCE;
    }
}
