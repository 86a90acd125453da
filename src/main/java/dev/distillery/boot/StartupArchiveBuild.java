package dev.distillery.boot;

import dev.distillery.core.DataDirectory;
import dev.distillery.core.InstanceLock;
import dev.distillery.core.StartupArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a start-up archive while an installer is built ({@code installers/linux/build.sh}), so an installed app
 * maps one from its very first start: run through the app image's own launcher (same Java, same class path) with
 * the system property {@value #PROPERTY} naming the file. It does what a start does before the window, on a
 * throw-away data directory (logging, the database created and migrated, the settings read), loads the classes a
 * fresh start loads before its window shows ({@code startup-archive-classes.txt} next to this class, JDK ones too:
 * an archive of our own replaces the JDK's) and writes the archive of everything loaded.
 */
public final class StartupArchiveBuild {
    /** The archive to write; when set, {@code Launcher} does only this. */
    public static final String PROPERTY = "distillery.startup.archive.build";

    private StartupArchiveBuild() {
    }

    /** Writes the archive named by the property; the exit code (0, or 1 with the reason on stderr). */
    public static int run(Path archive) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("distillery-archive-");
            DataDirectory dir = DataDirectory.open(scratch);
            try (AppSession session = AppSession.openLocked(dir, InstanceLock.acquire(dir.root()), false)) {
                session.settings().get("window.layout");
                session.database().teachers().list();
            }
            dev.distillery.core.ClassList.load(StartupArchiveBuild.class, "startup-archive-classes.txt");
            StartupArchive.write(archive);
            System.out.println("Start-up archive written: " + archive.toAbsolutePath());
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("distillery: no start-up archive written: " + e.getMessage());
            return 1;
        } finally {
            dev.distillery.core.Folders.deleteTree(scratch);
        }
    }
}
