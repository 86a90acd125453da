package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.ChildJvm;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process SIGKILLed right after commits loses none of the committed rows. */
class KillAfterCommitTest {
    @TempDir
    Path dir;

    @Test
    void rowsCommittedBeforeSigkillSurvive() throws Exception {
        Path base = dir.resolve("distillery");
        int lastReported;
        try (ChildJvm child = ChildJvm.start(CommitLoopChild.class, base.toString())) {
            child.awaitLine("OPEN", 60);
            // Kill while the child is still committing at full speed: the row it reported last was
            // committed microseconds before the SIGKILL.
            String line = child.awaitLine("COMMITTED 300", 60);
            child.kill();
            assertThat(child.process().exitValue()).as("killed, not exited").isNotZero();
            lastReported = Integer.parseInt(line.substring("COMMITTED ".length()));
            // The pump may have read further lines before the kill; take the highest.
            for (String l : child.output().split("\n")) {
                if (l.startsWith("COMMITTED ")) {
                    lastReported = Math.max(lastReported, Integer.parseInt(l.substring(10).trim()));
                }
            }
        }
        try (Database db = Database.open(base)) {
            Map<String, String> rows = db.settings().all();
            for (int i = 0; i <= lastReported; i++) {
                assertThat(rows).as("row %d of %d reported committed", i, lastReported)
                        .containsEntry("row." + i, "value-" + i);
            }
        }
    }
}
