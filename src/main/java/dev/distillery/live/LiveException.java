package dev.distillery.live;

/** The live pipeline cannot do what was asked; the message says why and what to do. */
public class LiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LiveException(String message) {
        super(message);
    }

    public LiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
