package dev.distillery.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of the teacher library. */
@RegisterConstructorMapper(TeacherRow.class)
interface TeacherDao {
    String COLUMNS = "id, sha256, name, file_name, size_bytes, source, source_ref, imported_at, task, info_json, "
            + "profile_json, labels_source, bench_json, eval_json";

    @SqlUpdate("INSERT INTO teachers (sha256, name, file_name, size_bytes, source, source_ref, imported_at, task, "
            + "info_json, profile_json, labels_source, bench_json, eval_json) VALUES (:sha256, :name, :fileName, "
            + ":sizeBytes, :source, :sourceRef, :at, :task, :infoJson, :profileJson, :labelsSource, :benchJson, "
            + ":evalJson)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods TeacherRow row, @Bind("at") Instant importedAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM teachers WHERE sha256 = :sha")
    Optional<TeacherRow> findBySha(@Bind("sha") String sha256);

    @SqlQuery("SELECT " + COLUMNS + " FROM teachers WHERE id = :id")
    Optional<TeacherRow> findById(@Bind("id") long id);

    @SqlQuery("SELECT " + COLUMNS + " FROM teachers ORDER BY imported_at DESC, id DESC")
    List<TeacherRow> list();

    @SqlUpdate("UPDATE teachers SET profile_json = :json, task = :task, labels_source = :labelsSource WHERE id = :id")
    int updateProfile(@Bind("id") long id, @Bind("json") String profileJson, @Bind("task") String task,
                      @Bind("labelsSource") String labelsSource);

    @SqlUpdate("UPDATE teachers SET bench_json = :json WHERE id = :id")
    int updateBench(@Bind("id") long id, @Bind("json") String json);

    @SqlUpdate("UPDATE teachers SET eval_json = :json WHERE id = :id")
    int updateEval(@Bind("id") long id, @Bind("json") String json);

    @SqlUpdate("UPDATE teachers SET name = :name WHERE id = :id")
    int rename(@Bind("id") long id, @Bind("name") String name);

    @SqlUpdate("DELETE FROM teachers WHERE id = :id")
    int delete(@Bind("id") long id);
}
