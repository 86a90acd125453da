package dev.distillery.model;

/** What a vision model answers, inferred from its outputs and editable by the user. */
public enum TaskKind {
    /** [N, C] class scores. */
    CLASSIFICATION("Classification"),
    /** Boxes with classes; see {@link DetectionLayout}. */
    DETECTION("Detection"),
    /** [N, 1, H, W] per-pixel map (e.g. text probability). */
    DENSE("Dense map"),
    /** [N, D] feature vector. */
    EMBEDDING("Embedding"),
    UNKNOWN("Unknown");

    private final String title;

    TaskKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
