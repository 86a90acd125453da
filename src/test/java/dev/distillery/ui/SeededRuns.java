package dev.distillery.ui;

import dev.distillery.store.EpochRow;
import dev.distillery.store.RunRow;
import dev.distillery.store.RunStore;
import java.nio.file.Path;

/** Finished distillation runs written straight into a run store, for screens that list or chart them. */
final class SeededRuns {
    private SeededRuns() {
    }

    /**
     * A COMPLETED run with {@code epochs} stored epochs (loss falling, metric rising) and, when {@code student} is
     * not null, that file as its exported student.
     */
    static long completed(RunStore runs, Path dir, String name, int epochs, Path student) {
        long id = runs.create(name, "c".repeat(64), "teacher-of-" + name, null, "cls-tiny", "{}",
                dir.resolve("runs/{id}").toString());
        for (int e = 1; e <= epochs; e++) {
            runs.epoch(new EpochRow(id, e, 2.0 / e, 0.5 + e * 0.05, null, 0.01 / e, 500, e * 3.0), e, 0.5 + e * 0.05);
        }
        if (student != null) {
            runs.report(id, student.toString(), "{}");
        }
        runs.finish(id, RunRow.COMPLETED, "Done", null);
        return id;
    }
}
