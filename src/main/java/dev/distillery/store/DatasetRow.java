package dev.distillery.store;

import java.time.Instant;

/**
 * One row of the {@code datasets} table, as stored.
 *
 * @param id                database id; ignored by {@link DatasetStore#register}
 * @param name              display name
 * @param createdAt         when the dataset was built; null on insert means now
 * @param itemCount         number of items (train + val)
 * @param trainCount        items in the training split
 * @param valCount          items in the validation split
 * @param skippedUnreadable files that could not be read or decoded
 * @param skippedDuplicates items left out as exact copies (same content hash) or near-duplicate video frames
 * @param sourceSummary     human-readable list of the sources, e.g. "folder /a (120), video /b.mp4 (40)"
 */
public record DatasetRow(long id, String name, Instant createdAt, int itemCount, int trainCount, int valCount,
                         int skippedUnreadable, int skippedDuplicates, String sourceSummary) {
}
