package dev.distillery.store;

import java.nio.file.Path;

/** The database file is open in another process. */
public class StoreLockedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreLockedException(Path file, Throwable cause) {
        super("The database " + file + " is in use by another process (another Distillery, or a tool that "
                + "opened it). Close that process first, or start Distillery with --data-dir <another folder>.", cause);
    }
}
