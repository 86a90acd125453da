package dev.distillery.ui.history;

import java.util.concurrent.Callable;
import javafx.concurrent.Task;

/** Background reads of this screen as javafx Tasks with a title (what the error dialog names on failure). */
final class Jobs {
    private Jobs() {
    }

    static <T> Task<T> task(String title, Callable<T> work) {
        return new Task<>() {
            {
                updateTitle(title);
            }

            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
    }
}
