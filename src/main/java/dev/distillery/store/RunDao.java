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

/** SQL of distillation runs and their epochs. */
@RegisterConstructorMapper(RunRow.class)
@RegisterConstructorMapper(EpochRow.class)
interface RunDao {
    String COLUMNS = "id, name, created_at, updated_at, teacher_sha256, teacher_name, dataset_id, preset, "
            + "request_json, status, phase, epochs_done, best_metric, run_dir, student_path, report_json, error, "
            + "owner_pid";
    String EPOCH_COLUMNS = "run_id, epoch, train_loss, val_metric, val_accuracy, learning_rate, samples_per_second, "
            + "elapsed_seconds";

    @SqlUpdate("INSERT INTO distill_runs (name, created_at, updated_at, teacher_sha256, teacher_name, dataset_id, "
            + "preset, request_json, status, phase, run_dir, owner_pid) VALUES (:name, :at, :at, :teacherSha256, "
            + ":teacherName, :datasetId, :preset, :requestJson, 'RUNNING', :phase, :runDir, :ownerPid)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods RunRow row, @Bind("at") Instant at);

    @SqlUpdate("UPDATE distill_runs SET run_dir = :dir WHERE id = :id")
    int setRunDir(@Bind("id") long id, @Bind("dir") String dir);

    @SqlQuery("SELECT " + COLUMNS + " FROM distill_runs WHERE id = :id")
    Optional<RunRow> findById(@Bind("id") long id);

    @SqlQuery("SELECT " + COLUMNS + " FROM distill_runs ORDER BY created_at DESC, id DESC")
    List<RunRow> list();

    @SqlQuery("SELECT " + COLUMNS + " FROM distill_runs WHERE status = 'RUNNING'")
    List<RunRow> running();

    @SqlUpdate("UPDATE distill_runs SET status = :status, phase = :phase, error = :error, owner_pid = :pid, "
            + "updated_at = :at WHERE id = :id")
    int setStatus(@Bind("id") long id, @Bind("status") String status, @Bind("phase") String phase,
                  @Bind("error") String error, @Bind("pid") Long pid, @Bind("at") Instant at);

    @SqlUpdate("UPDATE distill_runs SET phase = :phase, updated_at = :at WHERE id = :id")
    int setPhase(@Bind("id") long id, @Bind("phase") String phase, @Bind("at") Instant at);

    @SqlUpdate("UPDATE distill_runs SET student_path = :path, report_json = :report, updated_at = :at WHERE id = :id")
    int setReport(@Bind("id") long id, @Bind("path") String studentPath, @Bind("report") String reportJson,
                  @Bind("at") Instant at);

    @SqlUpdate("MERGE INTO distill_epochs (" + EPOCH_COLUMNS + ") KEY (run_id, epoch) VALUES (:runId, :epoch, "
            + ":trainLoss, :valMetric, :valAccuracy, :learningRate, :samplesPerSecond, :elapsedSeconds)")
    int putEpoch(@BindMethods EpochRow row);

    @SqlUpdate("UPDATE distill_runs SET epochs_done = :epochs, best_metric = :best, updated_at = :at WHERE id = :id")
    int setProgress(@Bind("id") long id, @Bind("epochs") int epochs, @Bind("best") Double best,
                    @Bind("at") Instant at);

    @SqlQuery("SELECT " + EPOCH_COLUMNS + " FROM distill_epochs WHERE run_id = :id ORDER BY epoch")
    List<EpochRow> epochs(@Bind("id") long runId);

    @SqlUpdate("UPDATE distill_runs SET name = :name WHERE id = :id")
    int rename(@Bind("id") long id, @Bind("name") String name);

    @SqlUpdate("DELETE FROM distill_runs WHERE id = :id")
    int delete(@Bind("id") long id);
}
