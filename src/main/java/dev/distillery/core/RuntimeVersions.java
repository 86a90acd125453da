package dev.distillery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Versions of the native runtimes the app stands on, asked of the loaded libraries at run time (not
 * copied from the build). Loading a runtime can take seconds the first time (PyTorch unpacks its
 * natives), so callers run {@link #probeAll()} off the UI thread.
 */
public final class RuntimeVersions {
    /** One runtime: its version, or why it could not be loaded. */
    public record Entry(String name, String version, String problem) {
        public boolean available() {
            return problem == null;
        }

        public String display() {
            return available() ? version : "unavailable: " + problem;
        }
    }

    private RuntimeVersions() {
    }

    public static List<Entry> probeAll() {
        List<Entry> out = new ArrayList<>();
        out.add(java());
        out.add(javaFx());
        out.add(onnxRuntime());
        out.add(pyTorch());
        out.add(openCv());
        out.add(ffmpeg());
        return out;
    }

    public static Entry java() {
        return new Entry("Java", System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor", "?") + ")", null);
    }

    /** The JavaFX runtime sets this property once the toolkit classes load. */
    public static Entry javaFx() {
        return probe("JavaFX", () -> {
            String v = System.getProperty("javafx.runtime.version");
            if (v == null) {
                try {
                    // Reading VersionInfo sets up the property without starting the toolkit.
                    Class<?> info = Class.forName("com.sun.javafx.runtime.VersionInfo");
                    info.getMethod("setupSystemProperties").invoke(null);
                    v = System.getProperty("javafx.runtime.version");
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException("JavaFX is not on the class path");
                }
            }
            if (v == null) {
                throw new IllegalStateException("JavaFX did not report a version");
            }
            return v;
        });
    }

    public static Entry onnxRuntime() {
        return probe("ONNX Runtime", () -> ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
    }

    public static Entry pyTorch() {
        return probe("PyTorch", () -> ai.djl.engine.Engine.getEngine("PyTorch").getVersion()
                + " (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")");
    }

    public static Entry openCv() {
        return probe("OpenCV", () -> org.bytedeco.opencv.global.opencv_core.getVersionString().getString());
    }

    public static Entry ffmpeg() {
        return probe("FFmpeg", () -> org.bytedeco.ffmpeg.global.avutil.av_version_info().getString());
    }

    private static Entry probe(String name, Supplier<String> version) {
        try {
            return new Entry(name, version.get(), null);
        } catch (RuntimeException | LinkageError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Entry(name, null, firstLine(msg));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
