package dev.distillery.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's embedded H2 database: one file, {@code <data>/distillery.mv.db}, its schema kept by
 * Flyway migrations in {@code dev/distillery/store/migration}. All SQL of the app lives in this
 * package.
 *
 * <p>Durability: {@code WRITE_DELAY=0} makes every commit reach the file before the commit returns,
 * so a process killed right after a commit loses none of it (H2's default delays writes by 500 ms).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    static final String MIGRATIONS = "classpath:dev/distillery/store/migration";
    static final String LEDGER_MIGRATIONS = "classpath:dev/distillery/store/ledger";
    /**
     * The newest migration in each location ({@code DatabaseTest} checks these against the files). A database already
     * there opens without Flyway, whose start-up (about 0.8 s of class loading and scanning) was a fifth of the app's.
     */
    static final java.util.Map<String, Integer> LATEST = java.util.Map.of(MIGRATIONS, 6, LEDGER_MIGRATIONS, 2);

    private final JdbcConnectionPool pool;
    private final Jdbi jdbi;
    private final Path file;
    private final int schemaVersion;

    private Database(JdbcConnectionPool pool, Jdbi jdbi, Path file, int schemaVersion) {
        this.pool = pool;
        this.jdbi = jdbi;
        this.file = file;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Opens (creating or migrating as needed) the database whose files start with {@code base}
     * (H2 adds {@code .mv.db}).
     *
     * @throws StoreLockedException when another process has the file open
     * @throws StoreException with a readable reason for anything else
     */
    public static Database open(Path base) {
        return open(base, MIGRATIONS);
    }

    /**
     * Opens a subnet ledger's own database (its schema in {@code store/ledger}, apart from the app's); same
     * durability (every commit on disk) and errors as {@link #open}.
     */
    public static Database openLedger(Path base) {
        return open(base, LEDGER_MIGRATIONS);
    }

    static Database open(Path base, String migrations) {
        String url = "jdbc:h2:file:" + base.toAbsolutePath()
                + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
        Path file = Path.of(base.toAbsolutePath() + ".mv.db");
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "distillery", "");
        pool.setMaxConnections(16);
        try (Connection probe = pool.getConnection()) {
            probe.isValid(1);
        } catch (SQLException e) {
            pool.dispose();
            throw translate(e, file);
        }
        int version = upToDate(pool, LATEST.getOrDefault(migrations, -1));
        if (version < 0) {
            version = migrate(pool, migrations, file);
        }
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        LOG.info("Database open: {} (schema {})", file, version);
        return new Database(pool, jdbi, file, version);
    }

    /**
     * The schema version when every migration up to {@code latest} is recorded as applied and nothing else (no
     * failed or newer one) is; -1 when Flyway has work or something to say (a new file, an older or newer schema).
     */
    static int upToDate(JdbcConnectionPool pool, int latest) {
        if (latest < 0) {
            return -1;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT \"version\", \"success\", \"type\" FROM \"flyway_schema_history\"")) {
            java.util.Set<Integer> applied = new java.util.HashSet<>();
            while (rs.next()) {
                String v = rs.getString(1);
                if (v == null && "TABLE".equals(rs.getString(3))) {
                    continue; // Flyway's note that it created the history table
                }
                if (v == null || !rs.getBoolean(2)) { // a repeatable migration (none here) or a failed one

                    return -1;
                }
                applied.add(Integer.parseInt(v));
            }
            for (int v = 1; v <= latest; v++) {
                if (!applied.remove(v)) {
                    return -1;
                }
            }
            return applied.isEmpty() ? latest : -1;
        } catch (SQLException | NumberFormatException e) {
            return -1; // a new database (no history table) or one Flyway should judge
        }
    }

    private static int migrate(JdbcConnectionPool pool, String migrations, Path file) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(pool)
                    .locations(migrations)
                    .failOnMissingLocations(true)
                    // a migration this version does not know means a newer Distillery wrote the file: refuse it
                    // (Flyway's default ignores such "future" migrations)
                    .ignoreMigrationPatterns(new String[0])
                    .load();
            MigrateResult result = flyway.migrate();
            var current = flyway.info().current();
            int version = current == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
            if (result.migrationsExecuted > 0) {
                LOG.info("Database {} migrated to schema version {}", file, version);
            }
            return version;
        } catch (FlywayException e) {
            shutdown(pool);
            throw new StoreException("The database " + file + " could not be brought up to date: " + e.getMessage()
                    + "\nIt was written by a newer Distillery, or is damaged. Your data is untouched; "
                    + "start a newer version, or use another --data-dir.", e);
        }
    }

    static StoreException translate(SQLException e, Path file) {
        if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new StoreLockedException(file, e);
        }
        boolean unreadable = e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1
                || e.getErrorCode() == ErrorCode.FILE_VERSION_ERROR_1
                || (e.getErrorCode() == ErrorCode.IO_EXCEPTION_1 && java.nio.file.Files.isRegularFile(file));
        if (unreadable) {
            return new StoreException("The database file " + file + " is damaged or from an incompatible H2 version ("
                    + e.getMessage() + "). Move it aside to start with an empty history.", e);
        }
        return new StoreException("Cannot open the database " + file + ": " + e.getMessage(), e);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Path file() {
        return file;
    }

    /** The Flyway schema version the database is at. */
    public int schemaVersion() {
        return schemaVersion;
    }

    public SettingsStore settings() {
        return new SettingsStore(jdbi.onDemand(SettingsDao.class));
    }

    /** The teacher library's table. */
    public TeacherStore teachers() {
        return new TeacherStore(jdbi.onDemand(TeacherDao.class));
    }

    /** The datasets and their items. */
    public DatasetStore datasets() {
        return new DatasetStore(jdbi);
    }

    /** Distillation runs and their epochs. */
    public RunStore runs() {
        return new RunStore(jdbi);
    }

    /** The network a miner follows: epochs, earnings, submissions. */
    public NetworkStore network() {
        return new NetworkStore(jdbi);
    }

    /** Everything kept, read back for the History screen: search, filters, CSV export, drill-down links. */
    public HistoryStore history() {
        return new HistoryStore(jdbi);
    }

    /** The Earnings screen's queries over the network tables (score and incentive history, latest epoch). */
    public EarningsQueries earnings() {
        return new EarningsQueries(jdbi);
    }

    /** A subnet ledger's state (only in a database opened with {@link #openLedger}). */
    public LedgerStore ledger() {
        return new LedgerStore(jdbi);
    }

    /** Closes all connections and the file; further use fails. */
    @Override
    public void close() {
        shutdown(pool);
        LOG.info("Database closed: {}", file);
    }

    private static void shutdown(JdbcConnectionPool pool) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already closed
        } finally {
            pool.dispose();
        }
    }
}
