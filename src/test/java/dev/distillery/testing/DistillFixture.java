package dev.distillery.testing;

import dev.distillery.core.DataDirectory;
import dev.distillery.distill.DistillService;
import dev.distillery.store.Database;
import dev.distillery.teacher.TeacherService;
import java.nio.file.Path;

/** A data directory with its H2 database, teacher library and distill service, as the distill tests need. */
public record DistillFixture(DataDirectory dir, Database db, TeacherService teachers, DistillService service)
        implements AutoCloseable {
    /** Opens (creating) the data directory {@code root}; the library uses 2 threads. */
    public static DistillFixture open(Path root) {
        DataDirectory dir = DataDirectory.open(root);
        Database db = Database.open(dir.databaseBase());
        TeacherService teachers = new TeacherService(dir, db, () -> 2);
        return new DistillFixture(dir, db, teachers, new DistillService(dir, db, teachers));
    }

    @Override
    public void close() {
        db.close();
    }
}
