package dev.distillery.boot;

import java.nio.file.Path;

/** Child JVM for {@link SecondInstanceTest}: opens a session and keeps it until killed. */
public final class HoldSessionChild {
    private HoldSessionChild() {
    }

    public static void main(String[] args) throws Exception {
        AppSession session = AppSession.open(Path.of(args[0]), false);
        session.settings().put("holder", "child");
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
