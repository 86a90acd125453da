package dev.distillery.core;

import java.nio.file.Path;

/** Another Distillery already uses this data directory. */
public class AlreadyRunningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path dataDir;
    private final String holderPid;

    public AlreadyRunningException(Path dataDir, String holderPid) {
        super(message(dataDir, holderPid));
        this.dataDir = dataDir;
        this.holderPid = holderPid;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The process id of the holder, when its lock file names one. */
    public java.util.Optional<String> holderPid() {
        return java.util.Optional.ofNullable(holderPid);
    }

    static String message(Path dataDir, String holderPid) {
        String who = holderPid == null ? "Another Distillery" : "Another Distillery (process " + holderPid + ")";
        return who + " is already using the data directory " + dataDir + ".\n"
                + "Switch to that window, or close it first. To run a second copy side by side, "
                + "start it with --data-dir <another folder>.";
    }
}
