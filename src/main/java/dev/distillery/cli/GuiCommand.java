package dev.distillery.cli;

import dev.distillery.boot.AppSession;
import dev.distillery.core.AlreadyRunningException;
import dev.distillery.ui.DistilleryApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code distillery gui}: opens the window (also what {@code distillery} alone does). */
@Command(name = "gui", description = "Open the Distillery window (the default).")
final class GuiCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand parent;

    @Override
    public Integer call() {
        return run(parent);
    }

    int run(DistilleryCommand root) {
        AppSession session;
        try {
            session = AppSession.open(root.dataDirectory(), false);
        } catch (AlreadyRunningException e) {
            // Say it where the user looks: on the terminal and, when there is a display, in a dialog.
            System.err.println("distillery: " + e.getMessage());
            DistilleryApp.showStartupProblem("Distillery is already running", e.getMessage());
            return DistilleryCommand.EXIT_IN_USE;
        }
        try {
            DistilleryApp.launch(session);
            return 0;
        } catch (UnsupportedOperationException e) {
            System.err.println("distillery: cannot open a window (" + e.getMessage() + "). The window needs a "
                    + "graphical session; set DISPLAY or run under Xvfb. Command-line tools work without one: "
                    + "distillery --help");
            return DistilleryCommand.EXIT_ERROR;
        } finally {
            session.close();
        }
    }
}
