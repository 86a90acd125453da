package dev.distillery.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** The list of keyboard shortcuts (F1). */
final class ShortcutsDialog {
    private ShortcutsDialog() {
    }

    static void show(Window owner) {
        GridPane grid = new GridPane();
        grid.setHgap(24);
        grid.setVgap(6);
        int r = 0;
        for (Screen s : Screen.values()) {
            add(grid, r++, s.shortcut().getDisplayText(), "Open " + s.title());
        }
        add(grid, r++, dev.distillery.ui.distill.DistillView.NEW_RUN.getDisplayText(), "New distillation run (on Distill)");
        add(grid, r++, "Esc", "Close the New run wizard");
        add(grid, r++, MainWindow.FULL_SCREEN.getDisplayText(), "Full screen on/off");
        add(grid, r++, MainWindow.HELP.getDisplayText(), "This list");
        add(grid, r, MainWindow.QUIT.getDisplayText(), "Quit");
        Alert a = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().setContent(grid);
        a.getDialogPane().setId("shortcuts-dialog");
        a.show();
    }

    private static void add(GridPane g, int row, String keys, String what) {
        Label k = new Label(keys);
        k.getStyleClass().add("key-cap");
        g.add(k, 0, row);
        g.add(new Label(what), 1, row);
    }
}
