package dev.distillery.ui.common;

import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The empty region that pushes the rest of a row to its right edge. */
public final class Spacer {
    private Spacer() {
    }

    /** An empty region that takes all the spare width of the {@link HBox} it is put in. */
    public static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
