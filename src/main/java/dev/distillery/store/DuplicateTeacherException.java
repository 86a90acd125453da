package dev.distillery.store;

/** A teacher with the same SHA-256 is already in the table (the model file is content-addressed). */
public class DuplicateTeacherException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String sha256;

    public DuplicateTeacherException(String sha256, Throwable cause) {
        super("A teacher with SHA-256 " + sha256 + " is already in the library.", cause);
        this.sha256 = sha256;
    }

    public String sha256() {
        return sha256;
    }
}
