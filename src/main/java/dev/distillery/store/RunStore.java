package dev.distillery.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code distill_runs} and {@code distill_epochs} tables. Every write commits at once (the database runs
 * with WRITE_DELAY=0), so a run killed mid-training keeps every finished epoch's row.
 */
public final class RunStore {
    private final Jdbi jdbi;

    RunStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private RunDao dao() {
        return jdbi.onDemand(RunDao.class);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Registers a new RUNNING run owned by this process; {@code runDir} may contain "{id}", replaced by the new
     * id.
     */
    public long create(String name, String teacherSha256, String teacherName, Long datasetId, String preset,
                       String requestJson, String runDir) {
        Objects.requireNonNull(requestJson, "requestJson");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A run needs a name");
        }
        return jdbi.inTransaction(h -> {
            RunDao d = h.attach(RunDao.class);
            RunRow row = new RunRow(0, name.strip(), null, null, teacherSha256, teacherName, datasetId, preset,
                    requestJson, RunRow.RUNNING, "Starting", 0, null, runDir, null, null, null,
                    ProcessHandle.current().pid());
            long id = d.insert(row, now());
            d.setRunDir(id, runDir.replace("{id}", Long.toString(id)));
            return id;
        });
    }

    public Optional<RunRow> find(long id) {
        return dao().findById(id);
    }

    /** Newest first. */
    public List<RunRow> list() {
        return dao().list();
    }

    public List<EpochRow> epochs(long runId) {
        return dao().epochs(runId);
    }

    /** Marks the run RUNNING in this process (a start or a resume). */
    public void markRunning(long id, String phase) {
        dao().setStatus(id, RunRow.RUNNING, phase, null, ProcessHandle.current().pid(), now());
    }

    /** Ends the run (COMPLETED, CANCELLED, FAILED) with a phase text and, for failures, the error. */
    public void finish(long id, String status, String phase, String error) {
        if (RunRow.RUNNING.equals(status)) {
            throw new IllegalArgumentException("finish needs a final status");
        }
        dao().setStatus(id, status, phase, error == null ? null : truncate(error, 4000), null, now());
    }

    public void phase(long id, String phase) {
        dao().setPhase(id, truncate(phase, 400), now());
    }

    /** Stores an epoch's metrics and the run's progress, in one transaction. */
    public void epoch(EpochRow row, int epochsDone, Double bestMetric) {
        jdbi.useTransaction(h -> {
            RunDao d = h.attach(RunDao.class);
            d.putEpoch(row);
            d.setProgress(row.runId(), epochsDone, bestMetric, now());
        });
    }

    public void report(long id, String studentPath, String reportJson) {
        dao().setReport(id, studentPath, reportJson, now());
    }

    public boolean rename(long id, String name) {
        return dao().rename(id, name.strip()) == 1;
    }

    /** Deletes the run and its epochs (its folder is the caller's business). */
    public boolean delete(long id) {
        return dao().delete(id) == 1;
    }

    /**
     * Marks RUNNING runs whose owner process is gone as INTERRUPTED (called at start-up).
     *
     * @param alive whether a process id is still running (ProcessHandle in production)
     * @return the runs marked
     */
    public List<RunRow> markInterrupted(LongPredicate alive) {
        List<RunRow> marked = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (RunRow r : dao().running()) {
            Long pid = r.ownerPid();
            if (pid == null || (pid != self && !alive.test(pid))) {
                dao().setStatus(r.id(), RunRow.INTERRUPTED, "Interrupted at epoch " + r.epochsDone()
                        + "; resume to continue from the last checkpoint", null, null, now());
                marked.add(r);
            }
        }
        return marked;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
