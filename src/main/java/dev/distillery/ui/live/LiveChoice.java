package dev.distillery.ui.live;

import dev.distillery.distill.StudentMetadata;
import dev.distillery.model.TeacherProfile;
import dev.distillery.onnx.OnnxModel;
import dev.distillery.onnx.OnnxModelReader;
import dev.distillery.onnx.ProfileInference;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.library.Teacher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model the Live screen can run: a teacher from the library, or a student a distillation run exported (students
 * stay students: they are read from their run, never imported as teachers).
 *
 * @param label       what the model lists show
 * @param file        the ONNX file
 * @param profile     how to feed it and read its output (a student's is inferred from its file, as compare does)
 * @param metadata    the file's ONNX metadata (a student's names its teacher and groups)
 * @param teacherSha  the library teacher's hash, or for a student the hash of the teacher it was distilled from
 * @param runId       the run that made a student; 0 for a teacher
 */
public record LiveChoice(String label, Path file, TeacherProfile profile, Map<String, String> metadata,
                         String teacherSha, long runId) {
    public LiveChoice {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(profile, "profile");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public boolean student() {
        return runId > 0;
    }

    /** The model's name without the list's decoration. */
    public String name() {
        return label;
    }

    @Override
    public String toString() {
        return student() ? "Student: " + label : label;
    }

    static LiveChoice of(Teacher t, Path file) {
        return new LiveChoice(t.name(), file, t.profile(), t.info().metadata(), t.sha256(), 0);
    }

    /** The student a finished run exported; null when its file is gone or cannot be read as a model. */
    static LiveChoice of(RunRow r) {
        if (r.studentPath() == null || !RunRow.COMPLETED.equals(r.status())) {
            return null;
        }
        Path file = Path.of(r.studentPath());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            OnnxModel m = OnnxModelReader.read(file);
            Map<String, String> meta = m.info().metadata();
            String teacher = meta.getOrDefault(StudentMetadata.TEACHER_SHA, r.teacherSha256());
            // runs named by default ("det-small from yolox…") read alike: the run number tells them apart
            return new LiveChoice(r.name() + " (" + r.preset() + ", run " + r.id() + ")", file, ProfileInference.infer(m), meta, teacher,
                    r.id());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Teachers first, each followed by the students distilled from it (newest first), then students whose teacher
     * is not in the library.
     */
    static List<LiveChoice> arrange(List<LiveChoice> teachers, List<LiveChoice> students) {
        List<LiveChoice> out = new ArrayList<>();
        List<LiveChoice> left = new ArrayList<>(students);
        left.sort(Comparator.comparingLong(LiveChoice::runId).reversed());
        for (LiveChoice t : teachers) {
            out.add(t);
            for (LiveChoice s : List.copyOf(left)) {
                if (t.teacherSha().equals(s.teacherSha())) {
                    out.add(s);
                    left.remove(s);
                }
            }
        }
        out.addAll(left);
        return out;
    }

    /** One line under the agreement saying what it counts, in the words of the metric library. */
    static String whatItMeasures(LiveChoice a, LiveChoice b) {
        dev.distillery.model.TaskKind ka = a.profile().task().kind();
        if (ka != b.profile().task().kind()) {
            return "";
        }
        return switch (ka) {
            case CLASSIFICATION -> (a.student() && StudentMetadata.grouped(a.metadata())
                    || b.student() && StudentMetadata.grouped(b.metadata())
                    ? "Frames on which the student's class equals the teacher's answer summed into the student's groups"
                    : "Frames on which both models give the same top class")
                    + ", over the frames both ran on: the agreement distillery compare reports.";
            case DENSE -> "Mean IoU of the two maps, each cut at the student's threshold, over the frames both ran on "
                    + "(compare's figure).";
            case DETECTION -> "F1 of the two models' boxes, matched by class at IoU ≥ 0.5, over the frames both ran on.";
            default -> "";
        };
    }
}
