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
import java.util.Locale;
import java.util.Optional;

/**
 * What a student learns from its teacher, in one vocabulary for every layer: the student's head (a
 * {@link dev.distillery.distill.StudentSpec}'s {@code kind}), the challenge a validator judges ({@code
 * Challenge.task}), the metadata word in an exported model and the figures shown for it. Each constant owns
 * what differs between tasks; code elsewhere asks the task instead of switching on it ({@code ArchitectureTest}
 * enforces it; code that needs one answer per task implements {@link Visitor}). The teacher's side keeps
 * {@link TaskKind}, which also names what cannot be distilled (embeddings, unknown outputs): {@link #forTeacher} is
 * the one bridge.
 *
 * <p>Adding a task: "A task" in {@code docs/architecture.md}, §10.
 */
public enum StudentTask {
    /** Class scores [N, K]: the student's argmax is judged against the teacher's (agreement). */
    CLASSIFICATION(new ClassificationTask()),
    /** A per-pixel map [N, 1, H, W]: judged by the IoU of the two maps above a threshold. */
    DENSE(new DenseMapTask()),
    /** Boxes with classes (YOLOv8's columns [N, 4 + K, cells]): judged by mAP@0.5 against the teacher's boxes. */
    DETECTION(new DetectionTask());

    private final TaskBehaviour behaviour;

    StudentTask(TaskBehaviour behaviour) {
        this.behaviour = behaviour;
    }

    /**
     * Code outside the task that must do something different per task (a compare plan, a screen's section)
     * implements one method per task: a new task then fails to compile everywhere it needs an answer, where a
     * switch would quietly fall through to its default.
     */
    public interface Visitor<R> {
        R classification();

        R denseMap();

        R detection();
    }

    /** Calls {@code v}'s method for this task. */
    public <R> R accept(Visitor<R> v) {
        return behaviour.accept(v);
    }

    /**
     * The student's outputs (class scores, maps or box classes) for class {@code groups} (null: none) of a teacher
     * with {@code teacherClasses} classes.
     */
    public int outputs(ClassGroups groups, int teacherClasses) {
        return behaviour.outputs(groups, teacherClasses);
    }

    /** The stride of an encoder block from {@code in} to {@code out} channels: 2 when the width grows, else 1. */
    int blockStride(int in, int out) {
        return behaviour.blockStride(in, out);
    }

    /** Whether the head may stop at 1/{@code stride} resolution (dense maps only; see {@link StudentSpec}). */
    boolean allowsHeadStride(int stride) {
        return behaviour.allowsHeadStride(stride);
    }

    /** Checks a student's channels and input size for this task's head (a spec being built). */
    void check(String name, List<Integer> channels, int width, int height) {
        behaviour.check(name, channels, width, height);
    }

    /** Output shape of one sample as trained. */
    long[] outputShape(StudentSpec s) {
        return behaviour.outputShape(s);
    }

    /** Shape of one training target: the output's unless the task trains more (a detector's regression weights). */
    long[] targetShape(StudentSpec s) {
        return behaviour.targetShape(s);
    }

    /** Appends the head to the encoder's layers {@code l} (whose stages reached {@code strides}). */
    void appendHead(StudentSpec s, List<StudentLayer> l, List<Integer> strides) {
        behaviour.appendHead(s, l, strides);
    }

    /** Batch size, learning rate, epochs, patience… a run of this task starts from. */
    Distiller.Settings trainingDefaults() {
        return behaviour.trainingDefaults();
    }

    /** The training loss of a student of this task. */
    ai.djl.training.loss.Loss loss(StudentSpec s, KdTrainer.Config c) {
        return behaviour.loss(s, c);
    }

    /** The head's starting bias (the last parameter), or null to keep the initializer's. */
    float[] headBias(StudentSpec s) {
        return behaviour.headBias(s);
    }

    /** Images validated per forward pass. */
    int validationChunk() {
        return behaviour.validationChunk();
    }

    /** Refuses a teacher (or class groups) this task cannot learn from, saying what to do. */
    void checkTeacher(TeacherProfile teacher, List<String> groups) {
        behaviour.checkTeacher(teacher, groups);
    }

    /**
     * What the student is trained to answer, from the teacher's outputs: class scores over the groups, a map, or
     * boxes of the groups seen through the student's {@code student} preprocessing.
     */
    Target target(TeacherProfile teacher, List<String> groups, Preprocessing student) {
        return behaviour.target(teacher, groups, student);
    }

    /** The name of the last layer's output in the exported graph, before {@link #exportTail}. */
    String rawOutputName() {
        return behaviour.rawOutputName();
    }

    /** Writes what follows the last layer in the exported graph ({@code raw}) and declares the model's output. */
    void exportTail(OnnxBuilder b, StudentSpec s, String raw) {
        behaviour.exportTail(b, s, raw);
    }

    /** What the exported model gives for the DJL block's raw outputs ({@link OnnxExporter#exportedForm}). */
    float[] exportedForm(StudentSpec s, float[] raw) {
        return behaviour.exportedForm(s, raw);
    }

    /**
     * The validators' quality term of a student compared with its teacher on this epoch's images ({@code classes}:
     * the challenge's).
     *
     * @throws IllegalStateException saying why the student cannot be judged for this challenge
     */
    public double quality(StudentComparison.Result r, List<String> classes) {
        return behaviour.quality(r, classes);
    }

    /** Null when a submitted model's single output fits a challenge of this task over {@code classes}, else why not. */
    public String checkOutput(TensorSpec out, List<String> classes) {
        return behaviour.checkOutput(out, classes);
    }

    /** The PyTorch reference's name for this kind of student ({@code bench train}), or null when it has none. */
    public String torchReferenceKind() {
        return behaviour.torchReferenceKind();
    }

    /** Whether training targets are logits (class scores) rather than probabilities in [0, 1]. */
    public boolean targetsAreLogits() {
        return behaviour.targetsAreLogits();
    }

    /**
     * The share of its teacher's p50 here a student of this task gets as latency budget when no challenge sets one
     * (detectors are judged against their teacher); NaN: use the challenge's.
     */
    public double teacherLatencyShare() {
        return behaviour.teacherLatencyShare();
    }

    /** The class groups ({@code NAME=SPEC}) a challenge of this task over {@code classes} asks a student for. */
    public List<String> groupsOf(List<String> classes) {
        return behaviour.groupsOf(classes);
    }

    /** Whether the best epoch is picked on balanced agreement (class scores), shown beside the plain figure. */
    public boolean picksOnBalancedAgreement() {
        return behaviour.picksOnBalancedAgreement();
    }

    /** Whether teacher classes in no group are dropped (a detector's boxes) rather than gathered as "other". */
    public boolean dropsUngroupedClasses() {
        return behaviour.dropsUngroupedClasses();
    }

    /** What a challenge of this task asks, in words, for the challenge card. */
    public String challengeText(List<String> classes, double mapThreshold) {
        return behaviour.challengeText(classes, mapThreshold);
    }

    /** Turns an exported model's outputs back, in place, into the form validation compares (the block's). */
    void toTrainedForm(float[] exported) {
        behaviour.toTrainedForm(exported);
    }

    /** Whether the student's input keeps the teacher's aspect ratio rather than the preset's square. */
    boolean keepsTeacherAspect() {
        return behaviour.keepsTeacherAspect();
    }

    /** The largest difference between the DJL block's and the exported model's outputs that parity checks. */
    double parityDiff(StudentSpec s, float[] expected, float[] actual) {
        return behaviour.parityDiff(s, expected, actual);
    }

    /** The largest {@link #parityDiff} an export may have. */
    double parityTolerance() {
        return behaviour.parityTolerance();
    }

    /** The first letters of this task's preset names ("cls-", "dense-", "det-"). */
    public String presetPrefix() {
        return behaviour.presetPrefix();
    }

    /** The word stored in an exported student's metadata ({@code distillery.kind}) and in compare's JSON. */
    public String metadataName() {
        return behaviour.metadataName();
    }

    /** The kind of teacher this task distils. */
    public TaskKind teacherKind() {
        return behaviour.teacherKind();
    }

    /** The name of the quality figure (validation, compare, the run page, the validators). */
    public String metricName() {
        return behaviour.metricName();
    }

    /** The quality figure as a finished run's report names it (the dense maps' IoU with its threshold). */
    public String reportMetricName() {
        return behaviour.reportMetricName();
    }

    /** The student as a noun in sentences: "classifier", "dense-map student", "detector". */
    public String word() {
        return behaviour.word();
    }

    /** The task a teacher of this kind is distilled into; empty for what cannot be distilled. */
    public static Optional<StudentTask> forTeacher(TaskKind kind) {
        for (StudentTask t : values()) {
            if (t.teacherKind() == kind) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The task a teacher of this kind is distilled into; what cannot be distilled (an embedding, unknown outputs)
     * falls back to {@link #CLASSIFICATION}, which the trainer then refuses with its own reason.
     */
    public static StudentTask ofTeacher(TaskKind kind) {
        return forTeacher(kind).orElse(CLASSIFICATION);
    }

    /** The task named by a metadata word ({@link #metadataName}) or by its own name, case-insensitive; else empty. */
    public static Optional<StudentTask> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (StudentTask t : values()) {
            if (t.metadataName().equals(n) || t.name().equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Every task, in declaration order. */
    public static List<StudentTask> all() {
        return List.of(values());
    }
}
