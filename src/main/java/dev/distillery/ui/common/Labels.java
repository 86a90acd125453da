package dev.distillery.ui.common;

import javafx.scene.control.Label;
import javafx.scene.layout.Region;

/** The small labels every screen uses, styled by app.css. */
public final class Labels {
    private Labels() {
    }

    /** A grey explanation under or beside a control; wraps. */
    public static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }

    /** The name of a field in a form or report; never shortened to "…". */
    public static Label field(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }
}
