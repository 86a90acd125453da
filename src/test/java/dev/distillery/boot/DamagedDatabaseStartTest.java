package dev.distillery.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.Launcher;
import dev.distillery.core.DataDirectory;
import dev.distillery.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's start opens the database on another thread while the toolkit starts; a database that cannot open is
 * still reported as it was when it opened first: one clear line saying what to do, exit code 1, no stack trace.
 */
class DamagedDatabaseStartTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedDatabaseIsNamedWithWhatToDo() throws Exception {
        try (AppSession s = AppSession.open(dir, false)) {
            s.settings().put("k", "v");
        }
        Path file = Path.of(DataDirectory.open(dir).databaseBase() + ".mv.db");
        assertThat(file).exists();
        byte[] junk = new byte[20_000];
        new Random(1).nextBytes(junk);
        Files.write(file, junk);

        Map<String, String> env = new HashMap<>();
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        try (ChildJvm gui = ChildJvm.start(Launcher.class, List.of("-Djava.awt.headless=true"), env,
                "--data-dir", dir.toString())) {
            int code = gui.waitFor(60);
            assertThat(code).as(gui.output()).isEqualTo(1);
            assertThat(gui.output()).contains("is damaged").contains("Move it aside").doesNotContain("\tat ")
                    .doesNotContain("Exception in Application");
        }
        // the lock was released: the directory opens again (and fails the same way, with the same reason)
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> AppSession.open(dir, false)))
                .hasMessageContaining("is damaged");
    }
}
