package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void freshDatabaseIsMigratedToTheLatestSchema() throws Exception {
        try (Database db = Database.open(dir.resolve("distillery"))) {
            assertThat(db.file()).exists();
            assertThat(db.schemaVersion()).isEqualTo(6);
            List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")
                    .mapTo(String.class).list());
            assertThat(tables).contains("SETTINGS", "TEACHERS", "DATASETS", "DATASET_ITEMS", "DISTILL_RUNS",
                    "DISTILL_EPOCHS", "NETWORK_EPOCHS", "NETWORK_EARNINGS",
                    "SUBMISSIONS", "SUBMISSION_EVENTS", "flyway_schema_history");
            int applied = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL").mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(6);
        }
    }

    @Test
    void reopeningDoesNotMigrateAgainAndKeepsData() {
        Path base = dir.resolve("distillery");
        try (Database db = Database.open(base)) {
            db.settings().put("k", "v");
        }
        try (Database db = Database.open(base)) {
            assertThat(db.schemaVersion()).isEqualTo(6);
            assertThat(db.settings().get("k")).contains("v");
            int rows = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")
                    .mapTo(Integer.class).one());
            assertThat(rows).isEqualTo(6);
        }
    }

    @Test
    void usesDurableCommits() throws Exception {
        try (Database db = Database.open(dir.resolve("distillery"))) {
            String delay = db.jdbi().withHandle(h -> {
                Connection c = h.getConnection();
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            assertThat(delay).isEqualTo("0");
        }
    }

    @Test
    void aFileThatIsNotADatabaseGivesAClearError() throws Exception {
        Path base = dir.resolve("broken");
        Files.write(Path.of(base + ".mv.db"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThatThrownBy(() -> Database.open(base))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(base + ".mv.db")
                .hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(Path.of(base + ".mv.db"))).as("nothing overwritten").hasSize(12);
    }

    @Test
    void closedDatabaseCanBeOpenedAgainAtOnce() {
        Path base = dir.resolve("distillery");
        for (int i = 0; i < 3; i++) {
            try (Database db = Database.open(base)) {
                db.settings().put("n", i);
            }
        }
        try (Database db = Database.open(base)) {
            assertThat(db.settings().getInt("n")).hasValue(2);
        }
    }

    @Test
    void theNewestMigrationKnownInCodeIsTheNewestFile() throws Exception {
        for (var e : Database.LATEST.entrySet()) {
            String folder = e.getKey().substring("classpath:".length());
            Path dirOnDisk = Path.of(getClass().getClassLoader().getResource(folder).toURI());
            int newest;
            try (var files = Files.list(dirOnDisk)) {
                newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            }
            assertThat(e.getValue()).as("Database.LATEST for " + folder + " (bump it with a new migration)")
                    .isEqualTo(newest);
        }
    }

    @Test
    void onlyACompleteHistoryOpensWithoutFlyway() {
        Path base = dir.resolve("distillery");
        String url = "jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        var pool = org.h2.jdbcx.JdbcConnectionPool.create(url, "distillery", "");
        try {
            assertThat(Database.upToDate(pool, 6)).as("a new file").isEqualTo(-1);
            try (Database db = Database.open(base)) {
                assertThat(Database.upToDate(pool, 6)).as("after the migrations").isEqualTo(6);
                assertThat(Database.upToDate(pool, 7)).as("a migration still to run").isEqualTo(-1);
                assertThat(Database.upToDate(pool, 5)).as("written by a newer version").isEqualTo(-1);
                db.jdbi().useHandle(h -> h.execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE "
                        + "WHERE \"version\" = '6'"));
                assertThat(Database.upToDate(pool, 6)).as("a failed migration").isEqualTo(-1);
                db.jdbi().useHandle(h -> h.execute("UPDATE \"flyway_schema_history\" SET \"success\" = TRUE "
                        + "WHERE \"version\" = '6'"));
            }
        } finally {
            pool.dispose();
        }
    }

    @Test
    void aDatabaseWrittenByANewerVersionIsRefusedAndKept() throws Exception {
        Path base = dir.resolve("distillery");
        try (Database db = Database.open(base)) {
            db.settings().put("k", "v");
            db.jdbi().useHandle(h -> h.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", "
                    + "\"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\", "
                    + "\"execution_time\", \"success\") VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, "
                    + "'test', 0, TRUE)"));
        }
        assertThatThrownBy(() -> Database.open(base)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer Distillery").hasMessageContaining("untouched");
        String url = "jdbc:h2:file:" + base.toAbsolutePath();
        try (Connection c = java.sql.DriverManager.getConnection(url, "distillery", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM SETTINGS")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the data is still there").isPositive();
        }
    }
}
