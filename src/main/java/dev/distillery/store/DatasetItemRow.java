package dev.distillery.store;

/**
 * One row of the {@code dataset_items} table: an image of a dataset.
 *
 * @param datasetId     the dataset; ignored by {@link DatasetStore#register} (it sets the new id)
 * @param contentSha256 SHA-256 of the image file's bytes, 64 lower-case hex digits; unique per dataset
 * @param path          absolute path of the image file
 * @param origin        {@link #ORIGIN_FOLDER}, {@link #ORIGIN_VIDEO}, {@link #ORIGIN_CAPTURE} or {@link #ORIGIN_GENERATED}
 * @param split         {@link #SPLIT_TRAIN} or {@link #SPLIT_VAL}
 * @param width         image width in pixels
 * @param height        image height in pixels
 */
public record DatasetItemRow(long datasetId, String contentSha256, String path, String origin, String split,
                             int width, int height) {
    public static final String ORIGIN_FOLDER = "folder";
    public static final String ORIGIN_VIDEO = "video";
    public static final String ORIGIN_CAPTURE = "capture";
    public static final String ORIGIN_GENERATED = "generated";
    public static final String SPLIT_TRAIN = "train";
    public static final String SPLIT_VAL = "val";
}
