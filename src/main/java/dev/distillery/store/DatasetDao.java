package dev.distillery.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of the datasets and their items. */
@RegisterConstructorMapper(DatasetRow.class)
@RegisterConstructorMapper(DatasetItemRow.class)
interface DatasetDao {
    String COLUMNS = "id, name, created_at, item_count, train_count, val_count, skipped_unreadable, "
            + "skipped_duplicates, source_summary";
    String ITEM_COLUMNS = "dataset_id, content_sha256, path, origin, split, width, height";

    @SqlUpdate("INSERT INTO datasets (name, created_at, item_count, train_count, val_count, skipped_unreadable, "
            + "skipped_duplicates, source_summary) VALUES (:name, :at, :itemCount, :trainCount, :valCount, "
            + ":skippedUnreadable, :skippedDuplicates, :sourceSummary)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods DatasetRow row, @Bind("at") Instant createdAt);

    @SqlBatch("INSERT INTO dataset_items (" + ITEM_COLUMNS + ") VALUES (:id, :contentSha256, :path, :origin, "
            + ":split, :width, :height)")
    int[] insertItems(@Bind("id") long datasetId, @BindMethods List<DatasetItemRow> items);

    @SqlQuery("SELECT " + COLUMNS + " FROM datasets WHERE id = :id")
    Optional<DatasetRow> findById(@Bind("id") long id);

    @SqlQuery("SELECT " + COLUMNS + " FROM datasets ORDER BY created_at DESC, id DESC")
    List<DatasetRow> list();

    @SqlQuery("SELECT " + ITEM_COLUMNS + " FROM dataset_items WHERE dataset_id = :id ORDER BY id")
    List<DatasetItemRow> items(@Bind("id") long datasetId);

    @SqlQuery("SELECT " + ITEM_COLUMNS + " FROM dataset_items WHERE dataset_id = :id AND split = :split ORDER BY id")
    List<DatasetItemRow> items(@Bind("id") long datasetId, @Bind("split") String split);

    @SqlQuery("SELECT COUNT(*) FROM dataset_items WHERE dataset_id = :id")
    int countItems(@Bind("id") long datasetId);

    @SqlUpdate("UPDATE datasets SET name = :name WHERE id = :id")
    int rename(@Bind("id") long id, @Bind("name") String name);

    @SqlUpdate("DELETE FROM datasets WHERE id = :id")
    int delete(@Bind("id") long id);
}
