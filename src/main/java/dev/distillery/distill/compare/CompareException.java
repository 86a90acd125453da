package dev.distillery.distill.compare;

/**
 * A comparison that cannot be made, in one sentence a user can act on. {@link #mismatch()} tells a student
 * that does not fit its teacher (class counts, groups, task) from anything else (no images, I/O).
 */
public final class CompareException extends RuntimeException {
    private final boolean mismatch;

    public CompareException(String message, boolean mismatch) {
        super(message);
        this.mismatch = mismatch;
    }

    /** True when the student and the teacher do not fit together (a usage problem, not a failure). */
    public boolean mismatch() {
        return mismatch;
    }
}
