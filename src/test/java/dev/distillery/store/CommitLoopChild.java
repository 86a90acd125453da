package dev.distillery.store;

import java.nio.file.Path;

/** Child JVM for {@link KillAfterCommitTest}: commits settings one by one and reports each commit. */
public final class CommitLoopChild {
    private CommitLoopChild() {
    }

    public static void main(String[] args) {
        Database db = Database.open(Path.of(args[0]));
        SettingsStore settings = db.settings();
        System.out.println("OPEN");
        System.out.flush();
        for (int i = 0; ; i++) {
            settings.put("row." + i, "value-" + i);
            // Only after put() returned is the commit reported: every reported row must survive.
            System.out.println("COMMITTED " + i);
            System.out.flush();
        }
    }
}
