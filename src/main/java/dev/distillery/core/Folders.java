package dev.distillery.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Folder housekeeping shared by the features (temp folders, run folders, staging areas). */
public final class Folders {
    private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

    private Folders() {
    }

    /**
     * Deletes a folder and everything in it, deepest first; a missing or null folder is fine. What cannot be
     * deleted is logged and left behind (it is housekeeping, never a reason to fail the caller's work).
     *
     * @return true when nothing is left
     */
    public static boolean deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return true;
        }
        boolean[] ok = {true};
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    ok[0] = false;
                    LOG.warn("Cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot clean up {}: {}", root, e.getMessage());
            return false;
        }
        return ok[0];
    }
}
