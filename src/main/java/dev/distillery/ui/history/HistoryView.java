package dev.distillery.ui.history;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** Everything kept in the local database: runs, submissions, scores, epochs, earnings. */
public final class HistoryView extends ScreenPane {
    public HistoryView(ShellContext ctx) {
        super(Screen.HISTORY, "Every run, submission, score and earning, kept on this machine");
        var db = ctx.session().database();
        setBody(new EmptyState("mdi2h-history", "No history yet",
                "Distillery records everything it does in a local database, so nothing is lost when the app "
                        + "closes or crashes. Database: " + db.file() + " (schema version " + db.schemaVersion() + ").",
                List.of("Search and filter past training runs and their curves",
                        "Follow an earning back to its epoch, submission, student and run",
                        "Export any table to CSV"),
                "Next step: history fills up as you distill and submit. Start with a teacher.",
                List.of(Actions.goTo(ctx, Screen.TEACHERS, "Go to Teachers", true),
                        Actions.openFolder(ctx, ctx.session().dataDirectory().root(), "Open data folder"))));
    }
}
