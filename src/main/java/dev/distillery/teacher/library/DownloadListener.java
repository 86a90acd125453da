package dev.distillery.teacher.library;

/**
 * Progress of a transfer (download or copy). Called on the transferring thread, at most about ten
 * times a second plus once at the end, so implementations may hand the values to the UI directly.
 */
@FunctionalInterface
public interface DownloadListener {
    /** A listener that ignores progress. */
    DownloadListener NONE = (done, total, rate) -> { };

    /**
     * @param bytesDone      bytes of the file received so far (after a restart this goes back to 0)
     * @param totalBytes     the file's size, or -1 when the server did not say
     * @param bytesPerSecond average speed of this transfer so far
     */
    void progress(long bytesDone, long totalBytes, double bytesPerSecond);
}
