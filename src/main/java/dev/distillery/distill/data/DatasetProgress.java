package dev.distillery.distill.data;

/** Progress of a dataset build, reported on the building thread. */
@FunctionalInterface
public interface DatasetProgress {
    /** Does nothing. */
    DatasetProgress NONE = (done, total, phase) -> { };

    /**
     * @param done  units done in the current phase (files or frames)
     * @param total units in the phase, or -1 when unknown
     * @param phase what is happening, e.g. "Reading /photos" or "Frames of clip.mp4"
     */
    void update(long done, long total, String phase);
}
