package dev.distillery.boot;

import dev.distillery.core.DataDirectory;
import dev.distillery.core.InstanceLock;
import dev.distillery.core.Logging;
import dev.distillery.store.Database;
import dev.distillery.store.SettingsStore;
import java.nio.file.Path;

/**
 * One running app on one data directory: the directory itself, the lock that keeps a second
 * instance out, the log file, and the open database. Opened in that order; closed in reverse.
 */
public final class AppSession implements AutoCloseable {
    private final DataDirectory dataDirectory;
    private final InstanceLock lock;
    private final Path logFile;
    private final Database database;

    private AppSession(DataDirectory dataDirectory, InstanceLock lock, Path logFile, Database database) {
        this.dataDirectory = dataDirectory;
        this.lock = lock;
        this.logFile = logFile;
        this.database = database;
    }

    /**
     * Opens the data directory for this process.
     *
     * @param consoleWarnings also copy warnings and errors to stderr (command-line use)
     * @throws dev.distillery.core.AlreadyRunningException when another instance holds the directory
     * @throws dev.distillery.core.DataDirectoryException when the directory cannot be used
     * @throws dev.distillery.store.StoreException when the database cannot be opened
     */
    public static AppSession open(Path root, boolean consoleWarnings) {
        DataDirectory dir = DataDirectory.open(root);
        return openLocked(dir, InstanceLock.acquire(dir.root()), consoleWarnings);
    }

    /**
     * The second half of {@link #open}: the log and the database of a directory this process has locked. The
     * window's start runs it on another thread while the toolkit starts. Releases {@code lock} when it fails.
     */
    public static AppSession openLocked(DataDirectory dir, InstanceLock lock, boolean consoleWarnings) {
        try {
            Path log = Logging.toDirectory(dir.logs(), consoleWarnings);
            Database db = Database.open(dir.databaseBase());
            dev.distillery.core.Int8Precision.useStored(db.settings().get(dev.distillery.core.Int8Precision.SETTING));
            return new AppSession(dir, lock, log, db);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public DataDirectory dataDirectory() {
        return dataDirectory;
    }

    public Path logFile() {
        return logFile;
    }

    public Database database() {
        return database;
    }

    public SettingsStore settings() {
        return database.settings();
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            lock.close();
        }
    }
}
