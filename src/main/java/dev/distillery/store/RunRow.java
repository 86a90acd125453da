package dev.distillery.store;

import java.time.Instant;

/**
 * One distillation run as stored.
 *
 * @param requestJson what was asked, as JSON (the distill package reads it); enough to restart the run
 * @param status      RUNNING, COMPLETED, CANCELLED, FAILED or INTERRUPTED
 * @param phase       what it is doing / did last, for people
 * @param bestMetric  best validation agreement (or IoU) so far; null before the first epoch
 * @param reportJson  the final report as JSON; null until exported
 * @param ownerPid    the process running it (to detect a run whose process died); null when not running
 */
public record RunRow(long id, String name, Instant createdAt, Instant updatedAt, String teacherSha256,
                     String teacherName, Long datasetId, String preset, String requestJson, String status, String phase,
                     int epochsDone, Double bestMetric, String runDir, String studentPath, String reportJson,
                     String error, Long ownerPid) {
    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String CANCELLED = "CANCELLED";
    public static final String FAILED = "FAILED";
    public static final String INTERRUPTED = "INTERRUPTED";
}
