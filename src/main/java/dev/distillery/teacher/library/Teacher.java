package dev.distillery.teacher.library;

import dev.distillery.model.ModelInfo;
import dev.distillery.model.TeacherProfile;
import java.time.Instant;

/**
 * A model in the library: what is stored about it, with its JSON already read.
 *
 * @param id           library id
 * @param sha256       SHA-256 of the file; the file is {@code <data>/models/<sha256>.onnx}
 * @param name         display name
 * @param fileName     the original file name
 * @param sizeBytes    file size
 * @param source       how it came in
 * @param sourceRef    the path, URL or class-path resource it came from
 * @param importedAt   when it was imported
 * @param info         what the file declares
 * @param profile      how to run it and read its answers
 * @param labelsSource where the labels came from
 * @param benchJson    the latest benchmark as JSON, or null
 * @param evalJson     the latest evaluation as JSON, or null
 */
public record Teacher(long id, String sha256, String name, String fileName, long sizeBytes, Source source,
                      String sourceRef, Instant importedAt, ModelInfo info, TeacherProfile profile,
                      String labelsSource, String benchJson, String evalJson) {

    /** How a teacher came into the library. */
    public enum Source {
        /** Imported from a file the user picked. */
        FILE("file"),
        /** Downloaded from a URL (usually a catalog entry). */
        URL("url"),
        /** Copied from a model shipped inside the app's jars. */
        BUILTIN("builtin");

        private final String code;

        Source(String code) {
            this.code = code;
        }

        /** The value stored in the database. */
        public String code() {
            return code;
        }

        static Source ofCode(String code) {
            for (Source s : values()) {
                if (s.code.equals(code)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unknown teacher source: " + code);
        }
    }
}
