package dev.distillery.model;

/**
 * A problem with a model, an image or a download, whose message says what is wrong and what to do;
 * shown to the user as it is.
 */
public class TeacherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TeacherException(String message) {
        super(message);
    }

    public TeacherException(String message, Throwable cause) {
        super(message, cause);
    }
}
