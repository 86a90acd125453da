package dev.distillery.store;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The {@code teachers} table: one row per model in the library. Every write is its own committed
 * transaction. JSON columns are opaque strings to this class.
 */
public final class TeacherStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> SOURCES = Set.of(TeacherRow.SOURCE_FILE, TeacherRow.SOURCE_URL,
            TeacherRow.SOURCE_BUILTIN);
    /** SQLSTATE of a unique-constraint violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final TeacherDao dao;

    TeacherStore(TeacherDao dao) {
        this.dao = dao;
    }

    /**
     * Adds a teacher; its {@code id} is ignored and {@code importedAt} may be null (now).
     *
     * @return the new row's id
     * @throws DuplicateTeacherException when a row with the same SHA-256 exists
     */
    public long insert(TeacherRow row) {
        Objects.requireNonNull(row, "row");
        if (row.sha256() == null || !SHA256.matcher(row.sha256()).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + row.sha256());
        }
        if (!SOURCES.contains(row.source())) {
            throw new IllegalArgumentException("source must be one of " + SOURCES + ": " + row.source());
        }
        Objects.requireNonNull(row.name(), "name");
        Objects.requireNonNull(row.infoJson(), "infoJson");
        Objects.requireNonNull(row.profileJson(), "profileJson");
        // The column keeps microseconds; truncate so what is read back equals what was written.
        Instant at = (row.importedAt() == null ? Instant.now() : row.importedAt()).truncatedTo(ChronoUnit.MICROS);
        try {
            return dao.insert(row, at);
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new DuplicateTeacherException(row.sha256(), e);
            }
            throw e;
        }
    }

    public Optional<TeacherRow> findBySha(String sha256) {
        return dao.findBySha(sha256);
    }

    public Optional<TeacherRow> findById(long id) {
        return dao.findById(id);
    }

    /** All teachers, newest import first. */
    public List<TeacherRow> list() {
        return dao.list();
    }

    /**
     * Replaces the profile JSON and the columns derived from it.
     *
     * @return false when there is no such row
     */
    public boolean updateProfile(long id, String profileJson, String task, String labelsSource) {
        Objects.requireNonNull(profileJson, "profileJson");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(labelsSource, "labelsSource");
        return dao.updateProfile(id, profileJson, task, labelsSource) > 0;
    }

    /** Stores the latest benchmark (null clears it); false when there is no such row. */
    public boolean updateBench(long id, String benchJson) {
        return dao.updateBench(id, benchJson) > 0;
    }

    /** Stores the latest evaluation (null clears it); false when there is no such row. */
    public boolean updateEval(long id, String evalJson) {
        return dao.updateEval(id, evalJson) > 0;
    }

    /** Changes the display name; false when there is no such row. */
    public boolean rename(long id, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A teacher's name cannot be empty");
        }
        return dao.rename(id, name.strip()) > 0;
    }

    /** Removes the row (not the file); false when there was no such row. */
    public boolean delete(long id) {
        return dao.delete(id) > 0;
    }
}
