package dev.distillery.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether ONNX Runtime runs int8 (u8×s8) models in its slower exact mode ({@code session.x64quantprecision=1}).
 *
 * <p>On x86 CPUs without VNNI (AVX2 only) ONNX Runtime's u8s8 kernels add pairs of 8-bit products in 16 bits
 * ({@code vpmaddubsw}), which saturates: an int8 model then gives different answers there than on a CPU with
 * VNNI (the shared int8 MobileNetV2 drops from 0.815 to 0.742 ImageNet top-1). The exact mode costs about
 * 25 % speed, so it is turned on only where it matters: {@link Mode#AUTO} decides from {@link CpuFeatures}.
 *
 * <p>Where the mode comes from, strongest first: the command line ({@code --int8-precision}), the system
 * property {@value #PROPERTY} (how a parent process passes its choice to a child JVM), the stored setting
 * {@value #SETTING} (the Settings screen), else {@code auto}.
 */
public final class Int8Precision {
    /** The settings key, values {@code auto}, {@code on}, {@code off}. */
    public static final String SETTING = "compute.int8Precision";
    /** The system property, values as the setting. */
    public static final String PROPERTY = "distillery.int8Precision";
    /** The command-line option. */
    public static final String OPTION = "--int8-precision";
    /** ONNX Runtime's session config key. */
    public static final String ORT_CONFIG_KEY = "session.x64quantprecision";

    /** The user's choice. */
    public enum Mode {
        AUTO, ON, OFF;

        /** {@code auto}, {@code on} or {@code off} (any case); anything else is an IllegalArgumentException. */
        public static Mode parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "auto" -> AUTO;
                case "on", "true", "1" -> ON;
                case "off", "false", "0" -> OFF;
                default -> throw new IllegalArgumentException(
                        "int8 precision must be auto, on or off, not '" + s + "'");
            };
        }

        /** {@code auto}, {@code on} or {@code off}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The decision.
     *
     * @param on     whether sessions get {@code session.x64quantprecision=1}
     * @param mode   the mode it came from
     * @param reason why, e.g. {@code this CPU has no VNNI}, {@code forced on by --int8-precision}
     */
    public record Choice(boolean on, Mode mode, String reason) {
        /** e.g. {@code on: this CPU has no VNNI}. */
        public String text() {
            return (on ? "on" : "off") + ": " + reason;
        }
    }

    private static volatile Mode commandLine;
    private static volatile Mode stored;

    private Int8Precision() {
    }

    /** Sets the command line's choice for this process (null: none given). */
    public static void useCommandLine(Mode mode) {
        commandLine = mode;
    }

    /** Sets the stored setting's value (null or unreadable: none), as read from the settings. */
    public static void useStored(Optional<String> setting) {
        Mode m = null;
        if (setting != null && setting.isPresent()) {
            try {
                m = Mode.parse(setting.get());
            } catch (IllegalArgumentException e) {
                m = null;
            }
        }
        stored = m;
    }

    /** The stored setting as last given to {@link #useStored}, else auto. */
    public static Mode storedMode() {
        Mode m = stored;
        return m == null ? Mode.AUTO : m;
    }

    /** The mode in force and where it came from. */
    public static Mode mode() {
        return source().mode;
    }

    private record Source(Mode mode, String name) {
    }

    private static Source source() {
        Mode c = commandLine;
        if (c != null) {
            return new Source(c, OPTION);
        }
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                return new Source(Mode.parse(p), "-D" + PROPERTY);
            } catch (IllegalArgumentException e) {
                // ignored: a bad property falls back to the setting
            }
        }
        Mode s = stored;
        if (s != null) {
            return new Source(s, "the setting");
        }
        return new Source(Mode.AUTO, "default");
    }

    /** This process's decision, from its mode and this machine's CPU. */
    public static Choice current() {
        Source s = source();
        return decide(s.mode, s.name, CpuFeatures.current());
    }

    /** The decision for {@code mode} (given by {@code source}, e.g. {@code --int8-precision}) on {@code cpu}. */
    public static Choice decide(Mode mode, String source, CpuFeatures cpu) {
        return switch (mode) {
            case ON -> new Choice(true, mode, "forced on by " + source);
            case OFF -> new Choice(false, mode, "forced off by " + source);
            case AUTO -> {
                if (!cpu.x86()) {
                    yield new Choice(false, mode, "not applicable, not an x86 CPU");
                }
                if (!cpu.known()) {
                    yield new Choice(true, mode, "CPU features unknown, on to be safe");
                }
                yield cpu.vnni()
                        ? new Choice(false, mode, "this CPU has VNNI")
                        : new Choice(true, mode, "this CPU has no VNNI");
            }
        };
    }

    /**
     * The one description of the CPU and the choice, for info, benchmark tables and evaluation reports:
     * {@code CPU: <model> (AVX2 yes, AVX-512 no, VNNI no); int8 precision on: this CPU has no VNNI}.
     */
    public static String describe() {
        return describe(CpuFeatures.current(), current());
    }

    /** {@link #describe()} for a given CPU and choice. */
    public static String describe(CpuFeatures cpu, Choice choice) {
        return "CPU: " + cpu.modelName() + " (" + cpu.featureSummary() + "); int8 precision " + choice.text();
    }
}
