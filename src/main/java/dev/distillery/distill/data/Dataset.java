package dev.distillery.distill.data;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A registered dataset, as {@link DatasetBuilder#build} returns it.
 *
 * @param id                database id
 * @param name              display name
 * @param createdAt         when it was built
 * @param itemCount         images in the dataset (train + val)
 * @param trainCount        images in the training split
 * @param valCount          images in the validation split
 * @param skippedUnreadable files (or videos) that could not be read
 * @param skippedDuplicates images left out because their content was already in the dataset, plus video frames
 *                          left out as near-duplicates of the previous kept frame
 * @param folder            {@code <data>/datasets/<id>}, which holds extracted and generated frames
 * @param sourceSummary     the sources in words, e.g. "folder /photos: 120 images; video /a.mp4: 40 frames"
 */
public record Dataset(long id, String name, Instant createdAt, int itemCount, int trainCount, int valCount,
                      int skippedUnreadable, int skippedDuplicates, Path folder, String sourceSummary) {
}
