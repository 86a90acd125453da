package dev.distillery.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Loads (without initialising) the classes named in a resource list, one name per line; blank lines and lines
 * starting with {@code #} are skipped, and so is a name that no longer exists, so a stale list only costs the time
 * it saves. Used to warm a start and to fill a start-up archive.
 */
public final class ClassList {
    private ClassList() {
    }

    /**
     * @param anchor   the class whose loader loads the list and whose package a relative name is in
     * @param resource the list's resource name
     * @return how many classes were loaded; 0 when the list is missing
     */
    public static int load(Class<?> anchor, String resource) throws IOException {
        ClassLoader loader = anchor.getClassLoader();
        int loaded = 0;
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                return 0;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // renamed, or for another platform
                }
            }
        }
        return loaded;
    }
}
