package dev.distillery.core;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the native runtimes unpack their libraries: under the data directory's {@code natives/} instead
 * of the user's home ({@code ~/.djl.ai}, {@code ~/.javacpp/cache}, {@code ~/.openjfx/cache}), so an
 * installed app keeps everything it writes in the one folder the user chose, and removing that folder
 * removes it all.
 *
 * <p>Set as system properties before the first DJL, JavaCPP or JavaFX native library loads. Each
 * library reads its property lazily (DJL on every engine lookup, JavaCPP and JavaFX when they first
 * unpack), so setting them after the command line is parsed is early enough. A location the user set
 * already, as a system property or (for DJL, which reads both) an environment variable, is kept.
 */
public final class NativeCaches {
    /** The folder under the data directory. */
    public static final String FOLDER = "natives";

    /**
     * DJL's cache, read from the environment first, then the properties: PyTorch's natives go to
     * {@code <this>/pytorch/} unless the user set DJL's {@code ENGINE_CACHE_DIR}, which DJL prefers for engines.
     */
    public static final String DJL = "DJL_CACHE_DIR";
    /** JavaCPP's cache (OpenCV, FFmpeg, OpenBLAS); {@code cacheDir} is an alias JavaCPP also reads. */
    public static final String JAVACPP = "org.bytedeco.javacpp.cachedir";
    static final String JAVACPP_ALIAS = "org.bytedeco.javacpp.cacheDir";
    /** JavaFX unpacks its .so/.dll/.dylib here when it runs from plain jars (not from a jlinked runtime). */
    public static final String JAVAFX = "javafx.cachedir";

    private NativeCaches() {
    }

    /** The locations under {@code dataRoot}, property name to folder. */
    public static Map<String, Path> locations(Path dataRoot) {
        Path natives = dataRoot.toAbsolutePath().normalize().resolve(FOLDER);
        Map<String, Path> out = new LinkedHashMap<>();
        out.put(DJL, natives.resolve("djl"));
        out.put(JAVACPP, natives.resolve("javacpp"));
        out.put(JAVAFX, natives.resolve("openjfx"));
        return out;
    }

    /**
     * Sets each location in {@code props} unless the user already chose one. Nothing is created on disk:
     * each library makes its folder when it first unpacks.
     *
     * @return the properties this call set (empty when the user had set them all)
     */
    public static Map<String, String> apply(Path dataRoot, Map<String, String> env, Properties props) {
        Map<String, String> set = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : locations(dataRoot).entrySet()) {
            if (userSet(e.getKey(), env, props)) {
                continue;
            }
            props.setProperty(e.getKey(), e.getValue().toString());
            set.put(e.getKey(), e.getValue().toString());
        }
        return set;
    }

    /** Applies to this process's system properties, with its environment. */
    public static Map<String, String> applyToSystem(Path dataRoot) {
        return apply(dataRoot, System.getenv(), System.getProperties());
    }

    private static boolean userSet(String key, Map<String, String> env, Properties props) {
        List<String> names = switch (key) {
            case JAVACPP -> List.of(JAVACPP, JAVACPP_ALIAS);
            default -> List.of(key);
        };
        for (String name : names) {
            if (notBlank(props.getProperty(name))) {
                return true;
            }
            // DJL reads its settings from the environment first; JavaCPP and JavaFX read properties only.
            if (key.equals(DJL) && notBlank(env.get(name))) {
                return true;
            }
        }
        return false;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
