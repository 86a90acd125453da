package dev.distillery.model;

import java.util.List;

/** Everything needed to run a teacher and read its answers; inferred, then edited and stored. */
public record TeacherProfile(TaskSpec task, Preprocessing preprocessing, List<String> labels) {
    public TeacherProfile {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** The label for class {@code i}, or "class i" when the model has no labels. */
    public String label(int i) {
        return i >= 0 && i < labels.size() ? labels.get(i) : "class " + i;
    }
}
