package dev.distillery.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The folder that holds everything the app keeps: the H2 database, the model library, datasets,
 * caches, training runs, wallets and logs.
 *
 * <p>Resolved in this order: the {@code --data-dir} option, the {@code DISTILLERY_HOME} environment
 * variable, then {@code ~/.distillery}.
 */
public final class DataDirectory {
    public static final String ENV_HOME = "DISTILLERY_HOME";
    public static final String DEFAULT_FOLDER = ".distillery";

    /** Sub-folders created on first use. */
    public static final List<String> LAYOUT = List.of("models", "datasets", "cache", "runs", "wallets", "logs");

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** Where the data directory is, without touching the disk. */
    public static Path locate(Optional<Path> option, Map<String, String> env, String userHome) {
        if (option.isPresent()) {
            return option.get().toAbsolutePath().normalize();
        }
        String fromEnv = env.get(ENV_HOME);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.trim()).toAbsolutePath().normalize();
        }
        return Path.of(userHome, DEFAULT_FOLDER).toAbsolutePath().normalize();
    }

    /** Resolves from the option, the process environment and the user's home. */
    public static Path locate(Optional<Path> option) {
        return locate(option, System.getenv(), System.getProperty("user.home"));
    }

    /**
     * Opens (creating when needed) the data directory and its layout.
     *
     * @throws DataDirectoryException with a message a user can act on when it cannot be used
     */
    public static DataDirectory open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DataDirectoryException("The data directory " + dir + " is a file, not a folder. "
                    + "Choose another location with --data-dir or " + ENV_HOME + ".");
        }
        try {
            Files.createDirectories(dir);
            for (String sub : LAYOUT) {
                Files.createDirectories(dir.resolve(sub));
            }
        } catch (IOException e) {
            throw new DataDirectoryException("Cannot create the data directory " + dir + " (" + e.getMessage()
                    + "). Check its permissions or choose another location with --data-dir or " + ENV_HOME + ".", e);
        }
        if (!Files.isWritable(dir)) {
            throw new DataDirectoryException("The data directory " + dir + " is not writable. "
                    + "Check its permissions or choose another location with --data-dir or " + ENV_HOME + ".");
        }
        return new DataDirectory(dir);
    }

    public Path root() {
        return root;
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path models() {
        return root.resolve("models");
    }

    public Path datasets() {
        return root.resolve("datasets");
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path runs() {
        return root.resolve("runs");
    }

    public Path wallets() {
        return root.resolve("wallets");
    }

    /** Base path of the H2 database; H2 appends {@code .mv.db}. */
    public Path databaseBase() {
        return root.resolve("distillery");
    }

    public Path databaseFile() {
        return root.resolve("distillery.mv.db");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
