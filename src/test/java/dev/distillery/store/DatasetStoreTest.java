package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStoreTest {
    @TempDir
    Path dir;
    Database db;
    DatasetStore datasets;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("distillery"));
        datasets = db.datasets();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static DatasetItemRow item(char c, String split) {
        return new DatasetItemRow(0, String.valueOf(c).repeat(64), "/data/" + c + ".png", DatasetItemRow.ORIGIN_VIDEO,
                split, 32, 24);
    }

    @Test
    void roundTripKeepsEveryColumn() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        List<DatasetItemRow> items = List.of(item('a', "train"), item('b', "val"), item('c', "train"));
        long id = datasets.register(new DatasetRow(0, " street ", at, 3, 2, 1, 4, 5, "video /v.mp4 (3)"),
                newId -> items);
        DatasetRow row = datasets.findById(id).orElseThrow();
        assertThat(row).isEqualTo(new DatasetRow(id, "street", at, 3, 2, 1, 4, 5, "video /v.mp4 (3)"));
        assertThat(datasets.items(id)).extracting(DatasetItemRow::contentSha256)
                .containsExactly("a".repeat(64), "b".repeat(64), "c".repeat(64));
        assertThat(datasets.items(id).get(1)).isEqualTo(new DatasetItemRow(id, "b".repeat(64), "/data/b.png",
                "video", "val", 32, 24));
        assertThat(datasets.items(id, DatasetItemRow.SPLIT_VAL)).hasSize(1);
        assertThat(datasets.list()).extracting(DatasetRow::id).containsExactly(id);
        assertThat(datasets.rename(id, "renamed")).isTrue();
        assertThat(datasets.findById(id).orElseThrow().name()).isEqualTo("renamed");
    }

    @Test
    void deletingADatasetCascadesToItsItems() {
        long keep = datasets.register(new DatasetRow(0, "keep", null, 1, 1, 0, 0, 0, ""), id -> List.of(item('a', "train")));
        long gone = datasets.register(new DatasetRow(0, "gone", null, 2, 1, 1, 0, 0, ""),
                id -> List.of(item('a', "train"), item('b', "val")));
        assertThat(datasets.delete(gone)).isTrue();
        assertThat(datasets.findById(gone)).isEmpty();
        assertThat(datasets.countItems(gone)).isZero();
        int orphans = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dataset_items WHERE dataset_id = :id")
                .bind("id", gone).mapTo(Integer.class).one());
        assertThat(orphans).isZero();
        assertThat(datasets.countItems(keep)).isEqualTo(1);
        assertThat(datasets.delete(gone)).isFalse();
    }

    @Test
    void aFailureWhileRegisteringLeavesNothing() {
        assertThatThrownBy(() -> datasets.register(new DatasetRow(0, "dup", null, 2, 2, 0, 0, 0, ""),
                id -> List.of(item('a', "train"), item('a', "train"))))
                .hasMessageContaining("DATASET_ITEMS_CONTENT_UNIQUE");
        assertThatThrownBy(() -> datasets.register(new DatasetRow(0, "counts", null, 5, 5, 0, 0, 0, ""),
                id -> List.of(item('a', "train"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disagree");
        assertThatThrownBy(() -> datasets.register(new DatasetRow(0, "callback", null, 0, 0, 0, 0, 0, ""),
                id -> {
                    throw new IllegalStateException("moving frames failed");
                })).hasMessageContaining("moving frames failed");
        assertThat(datasets.list()).isEmpty();
    }

    @Test
    void invalidItemsAreRejected() {
        DatasetItemRow badOrigin = new DatasetItemRow(0, "a".repeat(64), "/x", "webcam", "train", 1, 1);
        assertThatThrownBy(() -> datasets.register(new DatasetRow(0, "x", null, 1, 1, 0, 0, 0, ""),
                id -> List.of(badOrigin))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin");
        DatasetItemRow badSha = new DatasetItemRow(0, "A".repeat(64), "/x", "folder", "train", 1, 1);
        assertThatThrownBy(() -> datasets.register(new DatasetRow(0, "x", null, 1, 1, 0, 0, 0, ""),
                id -> List.of(badSha))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentSha256");
        assertThat(datasets.list()).isEmpty();
    }
}
