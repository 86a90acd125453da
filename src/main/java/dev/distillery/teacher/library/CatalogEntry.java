package dev.distillery.teacher.library;

/**
 * A model the app offers to add with one click. Either built in (a resource inside the app's jars)
 * or downloaded from a public URL.
 *
 * @param id          stable identifier ("resnet50-v1-12")
 * @param name        display name
 * @param source      {@link #BUILTIN} or {@link #URL}
 * @param task        the task kind's name (CLASSIFICATION, DETECTION, DENSE, ...), a hint for the user
 * @param description one or two sentences for the user
 * @param licence     SPDX identifier or short licence name
 * @param url         https address of the file for {@link #URL} entries, else null
 * @param resource    class-path resource for {@link #BUILTIN} entries, else null
 * @param sizeBytes   the file's size, or null when not published
 * @param sha256      the file's SHA-256, or null when not published (then the importer computes it and
 *                    the UI says "checksum not published")
 * @param inputSize   the model's square input size in pixels, or null when dynamic or unknown
 * @param hints       preprocessing and labels the file does not carry, or null
 * @param notes       where the facts come from, caveats; may be null
 */
public record CatalogEntry(String id, String name, String source, String task, String description, String licence,
                           String url, String resource, Long sizeBytes, String sha256, Integer inputSize,
                           String notes, Hints hints) {
    /**
     * How to run the model when its file does not say (dynamic input sizes, no labels): applied to the profile
     * on first import; every value may be null.
     */
    public record Hints(Integer inputWidth, Integer inputHeight, java.util.List<Double> mean,
                        java.util.List<Double> std, String channelOrder, java.util.List<String> labels) {
    }

    public static final String BUILTIN = "builtin";
    public static final String URL = "url";

    public boolean isBuiltin() {
        return BUILTIN.equals(source);
    }

    /** Whether a checksum was published, i.e. the download can be verified. */
    public boolean hasChecksum() {
        return sha256 != null;
    }
}
