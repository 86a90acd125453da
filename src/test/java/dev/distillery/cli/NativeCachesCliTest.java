package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.DataDirectory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The entry point sets the native caches under the data directory the command line resolves to. */
class NativeCachesCliTest {
    private static final String[] KEYS = {"DJL_CACHE_DIR", "org.bytedeco.javacpp.cachedir", "javafx.cachedir"};

    @TempDir
    Path dir;

    /** Parses and "runs" {@code args} through the strategy, with a do-nothing command behind it. */
    private static Properties resolve(Map<String, String> env, String... args) {
        Properties props = new Properties();
        CommandLine cl = DistilleryCommand.commandLine();
        cl.setExecutionStrategy(DistilleryCommand.withNativeCaches(env, props, parsed -> 0));
        assertThat(cl.execute(args)).isZero();
        return props;
    }

    private static void assertUnder(Properties props, Path data) {
        assertThat(props.getProperty("DJL_CACHE_DIR")).isEqualTo(data.resolve("natives/djl").toString());
        assertThat(props.getProperty("org.bytedeco.javacpp.cachedir"))
                .isEqualTo(data.resolve("natives/javacpp").toString());
        assertThat(props.getProperty("javafx.cachedir")).isEqualTo(data.resolve("natives/openjfx").toString());
    }

    @Test
    void theDataDirOptionBeforeOrAfterTheCommand() {
        Path data = dir.resolve("opt");
        assertUnder(resolve(Map.of(), "--data-dir", data.toString(), "info"), data);
        assertUnder(resolve(Map.of(), "devnet", "--data-dir", data.toString()), data);
    }

    @Test
    void distilleryHomeWhenNoOptionAndTheOptionOverIt() {
        Path env = dir.resolve("env");
        Map<String, String> vars = new HashMap<>(Map.of(DataDirectory.ENV_HOME, env.toString()));
        assertUnder(resolve(vars, "info"), env);
        Path opt = dir.resolve("opt");
        assertUnder(resolve(vars, "--data-dir", opt.toString(), "info"), opt);
    }

    @Test
    void theDefaultDataDirectory() {
        Path home = Path.of(System.getProperty("user.home"), ".distillery");
        assertUnder(resolve(Map.of(), "gui"), home);
    }

    @Test
    void theEntryPointSetsTheSystemProperties() {
        Map<String, String> before = new HashMap<>();
        for (String k : KEYS) {
            before.put(k, System.getProperty(k));
        }
        Path data = dir.resolve("entry");
        try {
            for (String k : KEYS) {
                System.clearProperty(k);
            }
            // --version runs nothing that loads a native library, so the JVM's own caches are untouched.
            assertThat(DistilleryCommand.execute("--data-dir", data.toString(), "--version")).isZero();
            if (System.getenv("DJL_CACHE_DIR") == null) {
                assertThat(System.getProperty("DJL_CACHE_DIR")).isEqualTo(data.resolve("natives/djl").toString());
            }
            assertThat(System.getProperty("org.bytedeco.javacpp.cachedir"))
                    .isEqualTo(data.resolve("natives/javacpp").toString());
            assertThat(System.getProperty("javafx.cachedir")).isEqualTo(data.resolve("natives/openjfx").toString());
        } finally {
            for (String k : KEYS) {
                if (before.get(k) == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, before.get(k));
                }
            }
        }
    }
}
