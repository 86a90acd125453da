package dev.distillery.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Version and build stamp of this application, filtered into {@code build.properties} by Maven. */
public final class BuildInfo {
    private static final BuildInfo INSTANCE = load();

    private final String version;
    private final String buildTime;

    private BuildInfo(String version, String buildTime) {
        this.version = version;
        this.buildTime = buildTime;
    }

    public static BuildInfo get() {
        return INSTANCE;
    }

    public String version() {
        return version;
    }

    public String buildTime() {
        return buildTime;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/distillery/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("version", "dev");
        if (version.startsWith("${")) {
            version = "dev"; // running from unfiltered resources (an IDE)
        }
        return new BuildInfo(version, p.getProperty("buildTime", ""));
    }
}
