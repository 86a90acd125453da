package dev.distillery.core;

import java.util.OptionalInt;

/** How many CPU threads inference and training may use: a user setting, bounded by the machine. */
public final class ComputeThreads {
    public static final String SETTING = "compute.threads";

    private ComputeThreads() {
    }

    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The stored setting when it is within 1..cores, else every core. */
    public static int resolve(OptionalInt setting) {
        int cores = available();
        if (setting.isPresent() && setting.getAsInt() >= 1) {
            return Math.min(setting.getAsInt(), cores);
        }
        return cores;
    }
}
