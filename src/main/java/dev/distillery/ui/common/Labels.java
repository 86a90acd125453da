package dev.distillery.ui.common;

import javafx.scene.control.Label;
import javafx.scene.layout.Region;

/** The small labels every screen uses, styled by app.css. */
public final class Labels {
    private Labels() {
    }

    /** A grey explanation under or beside a control; wraps, and gets the height of all its lines. */
    public static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        // without it a VBox or GridPane gives the label one line's height and cuts the rest with "…"
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    /**
     * About the width a table column needs to show its title whole: the header's bold 13 px text, its padding
     * and room for the sort arrow. A column's minimum width, so that no header reads "Divide…".
     */
    public static double columnTitleWidth(String title) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(title);
        t.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(),
                javafx.scene.text.FontWeight.BOLD, 13));
        return Math.ceil(t.getLayoutBounds().getWidth()) + 22;
    }

    /** The name of a field in a form or report; never shortened to "…". */
    public static Label field(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }
}
