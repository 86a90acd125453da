package dev.distillery.teacher.library;

import dev.distillery.model.ModelInfo;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import java.nio.file.Path;

/**
 * Decides whether a file may enter the library, and what it is: parses it, vets it, infers its task
 * and preprocessing. {@link ModelLibrary} calls it on a private copy before registering anything.
 */
@FunctionalInterface
public interface ModelValidator {
    /**
     * @param candidateFile a private copy of the file (its name does not end in ".onnx")
     * @return what the file is
     * @throws TeacherException with a message for the user when the file is rejected
     */
    Validated validate(Path candidateFile) throws TeacherException;

    /**
     * A file that passed.
     *
     * @param info         what it declares
     * @param profile      the inferred profile
     * @param labelsSource where the profile's labels came from ("metadata", "none", ...)
     */
    record Validated(ModelInfo info, TeacherProfile profile, String labelsSource) {
        public Validated {
            if (info == null || profile == null) {
                throw new IllegalArgumentException("A validated model needs its info and profile");
            }
            if (labelsSource == null || labelsSource.isBlank()) {
                labelsSource = profile.labels().isEmpty() ? "none" : "model";
            }
        }

        /** With the labels' source taken from whether there are labels at all. */
        public Validated(ModelInfo info, TeacherProfile profile) {
            this(info, profile, null);
        }
    }
}
