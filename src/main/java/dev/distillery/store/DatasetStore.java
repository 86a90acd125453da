package dev.distillery.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code datasets} and {@code dataset_items} tables. A dataset and all its items are written in one
 * transaction, so a dataset is either fully registered or not at all; deleting a dataset deletes its items
 * (the files are the caller's business).
 */
public final class DatasetStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> ORIGINS = Set.of(DatasetItemRow.ORIGIN_FOLDER, DatasetItemRow.ORIGIN_VIDEO,
            DatasetItemRow.ORIGIN_CAPTURE, DatasetItemRow.ORIGIN_GENERATED);
    private static final Set<String> SPLITS = Set.of(DatasetItemRow.SPLIT_TRAIN, DatasetItemRow.SPLIT_VAL);

    private final Jdbi jdbi;

    DatasetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Registers a dataset and its items in one transaction. {@code items} is called inside the transaction
     * with the new dataset's id (so item paths may contain it, e.g. a frames folder named after the id); when
     * it throws, or an item is invalid, nothing is registered.
     *
     * @param header the dataset; {@code id} is ignored, {@code createdAt} may be null (now); its counts must
     *               agree with the items
     * @param items  the items for the new id ({@code datasetId} of each is ignored)
     * @return the new dataset's id
     * @throws IllegalArgumentException when a row is invalid or the counts disagree with the items
     */
    public long register(DatasetRow header, LongFunction<List<DatasetItemRow>> items) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(items, "items");
        if (header.name() == null || header.name().isBlank()) {
            throw new IllegalArgumentException("A dataset's name cannot be empty");
        }
        Objects.requireNonNull(header.sourceSummary(), "sourceSummary");
        Instant at = (header.createdAt() == null ? Instant.now() : header.createdAt()).truncatedTo(ChronoUnit.MICROS);
        DatasetRow clean = new DatasetRow(0, header.name().strip(), at, header.itemCount(), header.trainCount(),
                header.valCount(), header.skippedUnreadable(), header.skippedDuplicates(), header.sourceSummary());
        return jdbi.inTransaction(h -> {
            DatasetDao dao = h.attach(DatasetDao.class);
            long id = dao.insert(clean, at);
            List<DatasetItemRow> rows = List.copyOf(items.apply(id));
            validate(clean, rows);
            if (!rows.isEmpty()) {
                dao.insertItems(id, rows);
            }
            return id;
        });
    }

    private static void validate(DatasetRow header, List<DatasetItemRow> rows) {
        int val = 0;
        for (DatasetItemRow r : rows) {
            if (r.contentSha256() == null || !SHA256.matcher(r.contentSha256()).matches()) {
                throw new IllegalArgumentException("contentSha256 must be 64 lower-case hex digits: "
                        + r.contentSha256());
            }
            if (!ORIGINS.contains(r.origin())) {
                throw new IllegalArgumentException("origin must be one of " + ORIGINS + ": " + r.origin());
            }
            if (!SPLITS.contains(r.split())) {
                throw new IllegalArgumentException("split must be one of " + SPLITS + ": " + r.split());
            }
            Objects.requireNonNull(r.path(), "path");
            if (DatasetItemRow.SPLIT_VAL.equals(r.split())) {
                val++;
            }
        }
        if (header.itemCount() != rows.size() || header.valCount() != val
                || header.trainCount() != rows.size() - val) {
            throw new IllegalArgumentException("The dataset's counts (" + header.itemCount() + " items, "
                    + header.trainCount() + " train, " + header.valCount() + " val) disagree with its "
                    + rows.size() + " items (" + val + " val)");
        }
    }

    public Optional<DatasetRow> findById(long id) {
        return jdbi.onDemand(DatasetDao.class).findById(id);
    }

    /** All datasets, newest first. */
    public List<DatasetRow> list() {
        return jdbi.onDemand(DatasetDao.class).list();
    }

    /** The items of a dataset in the order they were added; empty when there is no such dataset. */
    public List<DatasetItemRow> items(long datasetId) {
        return jdbi.onDemand(DatasetDao.class).items(datasetId);
    }

    /** The items of one split ({@link DatasetItemRow#SPLIT_TRAIN} or {@link DatasetItemRow#SPLIT_VAL}). */
    public List<DatasetItemRow> items(long datasetId, String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be one of " + SPLITS + ": " + split);
        }
        return jdbi.onDemand(DatasetDao.class).items(datasetId, split);
    }

    /** Number of items stored for a dataset. */
    public int countItems(long datasetId) {
        return jdbi.onDemand(DatasetDao.class).countItems(datasetId);
    }

    /** Changes the display name; false when there is no such dataset. */
    public boolean rename(long id, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A dataset's name cannot be empty");
        }
        return jdbi.onDemand(DatasetDao.class).rename(id, name.strip()) > 0;
    }

    /** Removes the dataset and (by cascade) its items, not their files; false when there was no such dataset. */
    public boolean delete(long id) {
        return jdbi.onDemand(DatasetDao.class).delete(id) > 0;
    }
}
