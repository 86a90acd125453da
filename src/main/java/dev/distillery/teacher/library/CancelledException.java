package dev.distillery.teacher.library;

import java.util.concurrent.CancellationException;

/**
 * The user cancelled a download or import (or its thread was interrupted). Not an error: whatever
 * was partly written has been deleted and nothing was registered.
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(message);
    }
}
