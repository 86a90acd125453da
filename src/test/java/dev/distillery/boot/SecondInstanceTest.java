package dev.distillery.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.Launcher;
import dev.distillery.core.AlreadyRunningException;
import dev.distillery.core.DataDirectory;
import dev.distillery.store.Database;
import dev.distillery.store.StoreLockedException;
import dev.distillery.testing.ChildJvm;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second Distillery on the same data directory is told so, clearly, in every way it can start. */
class SecondInstanceTest {
    @TempDir
    Path dir;

    @Test
    void secondInstanceGetsAClearMessageAndTheFirstKeepsItsData() throws Exception {
        try (ChildJvm first = ChildJvm.start(HoldSessionChild.class, dir.toString())) {
            String ready = first.awaitLine("READY", 60);
            String pid = ready.substring("READY ".length()).trim();

            // In-process: the session refuses, naming the holder.
            assertThatThrownBy(() -> AppSession.open(dir, false))
                    .isInstanceOf(AlreadyRunningException.class)
                    .hasMessageContaining("process " + pid)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("--data-dir");

            // Even past the app lock, the database itself refuses with a readable reason.
            DataDirectory d = DataDirectory.open(dir);
            assertThatThrownBy(() -> Database.open(d.databaseBase()))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("in use by another process")
                    .hasMessageNotContaining("Exception");

            // The real launcher, as a user starts it (no display here). The holder is not a window, so nobody takes
            // the start over (boot.Handoff): after its wait, exit code 3 and a clear message, no request left behind.
            Map<String, String> env = new HashMap<>();
            env.put("DISPLAY", null);
            env.put("WAYLAND_DISPLAY", null);
            try (ChildJvm second = ChildJvm.start(Launcher.class, List.of("-Djava.awt.headless=true"), env,
                    "--data-dir", dir.toString())) {
                int code = second.waitFor(60);
                assertThat(code).as(second.output()).isEqualTo(3);
                assertThat(second.output())
                        .contains("(process " + pid + ") is using the data directory " + dir)
                        .contains("not a window that could take this start over")
                        .contains("--data-dir")
                        .doesNotContain("\tat ");
                try (var left = java.nio.file.Files.list(dir.resolve(Handoff.INBOX))) {
                    assertThat(left.toList()).as("the request withdrawn").isEmpty();
                }
            }
            assertThat(first.process().isAlive()).as("the first instance is untouched").isTrue();
        }
        // After the first one died (SIGKILL), the directory opens normally with its data.
        try (AppSession session = AppSession.open(dir, false)) {
            assertThat(session.settings().get("holder")).contains("child");
        }
    }
}
