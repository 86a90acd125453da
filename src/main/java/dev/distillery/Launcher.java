package dev.distillery;

import dev.distillery.cli.DistilleryCommand;
import dev.distillery.core.NativeThreads;

/**
 * The main class. Kept apart from the JavaFX {@code Application} so the app starts from a plain
 * class path ({@code java -jar}); with no sub-command it opens the window.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        String archive = System.getProperty(dev.distillery.boot.StartupArchiveBuild.PROPERTY);
        if (archive != null) { // an installer being built: see StartupArchiveBuild
            System.exit(dev.distillery.boot.StartupArchiveBuild.run(java.nio.file.Path.of(archive)));
        }
        // JavaCPP/JavaCV notes ("Info: …") go to the app's log instead of the terminal.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        // Everything runs on a thread with a large stack: see NativeThreads.
        int[] code = {DistilleryCommand.EXIT_ERROR};
        Thread main = NativeThreads.create(() -> code[0] = DistilleryCommand.execute(args), "distillery-main");
        main.start();
        try {
            main.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Exit explicitly: native runtimes may leave non-daemon threads behind.
        System.exit(code[0]);
    }

}
