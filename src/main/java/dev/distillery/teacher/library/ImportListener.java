package dev.distillery.teacher.library;

/**
 * Follows an import: which stage it is in, and the byte progress of the download or copy. Called on
 * the importing thread.
 */
public interface ImportListener extends DownloadListener {
    /** A listener that ignores everything. */
    ImportListener NONE = new ImportListener() {
    };

    /** The stages of an import, in order; {@link #DOWNLOADING} only for URLs. */
    enum Stage {
        DOWNLOADING("Downloading"),
        COPYING("Copying into the library"),
        VALIDATING("Checking the model"),
        REGISTERING("Adding to the library");

        private final String title;

        Stage(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** A new stage begins. */
    default void stage(Stage stage) {
    }

    @Override
    default void progress(long bytesDone, long totalBytes, double bytesPerSecond) {
    }
}
