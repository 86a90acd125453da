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

class TeacherStoreTest {
    @TempDir
    Path dir;
    Database db;
    TeacherStore teachers;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("distillery"));
        teachers = db.teachers();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    static TeacherRow row(String sha, String name, Instant at) {
        return new TeacherRow(0, sha, name, name + ".onnx", 1234, TeacherRow.SOURCE_FILE, "/tmp/" + name + ".onnx",
                at, "CLASSIFICATION", "{\"irVersion\":8}", "{\"labels\":[\"a\",\"é\"]}", "metadata", null, null);
    }

    @Test
    void roundTripsEveryColumn() {
        Instant at = Instant.parse("2026-11-24T10:15:30.123456789Z");
        long id = teachers.insert(row(sha('a'), "résnet 50", at));
        TeacherRow read = teachers.findById(id).orElseThrow();
        assertThat(read).isEqualTo(row(sha('a'), "résnet 50", Instant.parse("2026-11-24T10:15:30.123456Z")).withId(id));
        assertThat(teachers.findBySha(sha('a'))).contains(read);
        assertThat(teachers.findBySha(sha('b'))).isEmpty();
        assertThat(teachers.findById(id + 1)).isEmpty();
    }

    @Test
    void missingImportTimeMeansNow() {
        Instant before = Instant.now().minusSeconds(1);
        long id = teachers.insert(row(sha('c'), "now", null));
        assertThat(teachers.findById(id).orElseThrow().importedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void listsNewestFirst() {
        long old = teachers.insert(row(sha('1'), "old", Instant.parse("2025-01-01T00:00:00Z")));
        long mid = teachers.insert(row(sha('2'), "mid", Instant.parse("2025-06-01T00:00:00Z")));
        long neu = teachers.insert(row(sha('3'), "new", Instant.parse("2026-01-01T00:00:00Z")));
        List<Long> ids = teachers.list().stream().map(TeacherRow::id).toList();
        assertThat(ids).containsExactly(neu, mid, old);
    }

    @Test
    void shaIsUnique() {
        teachers.insert(row(sha('d'), "first", null));
        assertThatThrownBy(() -> teachers.insert(row(sha('d'), "second", null)))
                .isInstanceOf(DuplicateTeacherException.class)
                .hasMessageContaining(sha('d'));
        assertThat(teachers.list()).extracting(TeacherRow::name).containsExactly("first");
    }

    @Test
    void rejectsMalformedShaAndSource() {
        assertThatThrownBy(() -> teachers.insert(row("ABC", "x", null))).isInstanceOf(IllegalArgumentException.class);
        TeacherRow badSource = new TeacherRow(0, sha('e'), "x", "x.onnx", 1, "ftp", "ref", null, "UNKNOWN", "{}", "{}",
                "none", null, null);
        assertThatThrownBy(() -> teachers.insert(badSource)).isInstanceOf(IllegalArgumentException.class);
        assertThat(teachers.list()).isEmpty();
    }

    @Test
    void updatesProfileBenchEvalAndName() {
        long id = teachers.insert(row(sha('f'), "model", null));
        assertThat(teachers.updateProfile(id, "{\"p\":2}", "DETECTION", "user")).isTrue();
        assertThat(teachers.updateBench(id, "{\"ms\":12.5}")).isTrue();
        assertThat(teachers.updateEval(id, "{\"top1\":0.7}")).isTrue();
        assertThat(teachers.rename(id, "  renamed ")).isTrue();
        TeacherRow r = teachers.findById(id).orElseThrow();
        assertThat(r.profileJson()).isEqualTo("{\"p\":2}");
        assertThat(r.task()).isEqualTo("DETECTION");
        assertThat(r.labelsSource()).isEqualTo("user");
        assertThat(r.benchJson()).isEqualTo("{\"ms\":12.5}");
        assertThat(r.evalJson()).isEqualTo("{\"top1\":0.7}");
        assertThat(r.name()).isEqualTo("renamed");
        assertThat(teachers.updateBench(id, null)).isTrue();
        assertThat(teachers.findById(id).orElseThrow().benchJson()).isNull();
        assertThat(teachers.updateBench(id + 99, "{}")).isFalse();
        assertThatThrownBy(() -> teachers.rename(id, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesOnlyThatRow() {
        long a = teachers.insert(row(sha('7'), "a", null));
        long b = teachers.insert(row(sha('8'), "b", null));
        assertThat(teachers.delete(a)).isTrue();
        assertThat(teachers.delete(a)).isFalse();
        assertThat(teachers.findById(a)).isEmpty();
        assertThat(teachers.findBySha(sha('7'))).isEmpty();
        assertThat(teachers.list()).extracting(TeacherRow::id).containsExactly(b);
        // the sha is free again
        teachers.insert(row(sha('7'), "again", null));
    }

    @Test
    void survivesReopen() {
        long id = teachers.insert(row(sha('9'), "kept", null));
        db.close();
        db = Database.open(dir.resolve("distillery"));
        assertThat(db.teachers().findById(id).orElseThrow().name()).isEqualTo("kept");
    }
}
