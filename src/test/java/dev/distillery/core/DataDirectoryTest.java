package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void optionWinsOverEnvironmentWhichWinsOverHome() {
        Path opt = tmp.resolve("opt");
        Map<String, String> env = Map.of(DataDirectory.ENV_HOME, tmp.resolve("env").toString());
        assertThat(DataDirectory.locate(Optional.of(opt), env, "/home/u")).isEqualTo(opt);
        assertThat(DataDirectory.locate(Optional.empty(), env, "/home/u")).isEqualTo(tmp.resolve("env"));
        assertThat(DataDirectory.locate(Optional.empty(), Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.distillery"));
        assertThat(DataDirectory.locate(Optional.empty(), Map.of(DataDirectory.ENV_HOME, "  "), "/home/u"))
                .as("a blank variable counts as unset").isEqualTo(Path.of("/home/u/.distillery"));
    }

    @Test
    void openCreatesTheLayout() {
        DataDirectory d = DataDirectory.open(tmp.resolve("a/b/data"));
        for (String sub : DataDirectory.LAYOUT) {
            assertThat(d.root().resolve(sub)).isDirectory();
        }
        assertThat(d.logs()).isEqualTo(d.root().resolve("logs"));
        assertThat(d.databaseFile().getFileName().toString()).isEqualTo("distillery.mv.db");
    }

    @Test
    void aFileInTheWayIsExplained() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> DataDirectory.open(file))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("is a file")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void anUncreatableFolderIsExplained() throws Exception {
        Path file = Files.writeString(tmp.resolve("blocker"), "x");
        assertThatThrownBy(() -> DataDirectory.open(file.resolve("inside")))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("Cannot create the data directory");
    }
}
