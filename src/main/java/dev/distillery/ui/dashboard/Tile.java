package dev.distillery.ui.dashboard;

import dev.distillery.ui.common.Spacer;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One dashboard card: an icon and a title, a big value, a caption and an optional detail line. The whole card
 * is a button: a click, Enter or Space opens its screen.
 */
final class Tile extends VBox {
    private final Label value = new Label();
    private final Label caption = new Label();
    private final Label detail = new Label();
    private final String title;

    Tile(String id, String icon, String title, String opens, Runnable open) {
        this.title = title;
        setId("tile-" + id);
        getStyleClass().addAll("card", "dash-tile");
        setFocusTraversable(true);
        setAccessibleRole(AccessibleRole.BUTTON);
        setSpacing(6);
        setPrefWidth(270);
        setMinWidth(230);
        setMinHeight(150);

        FontIcon glyph = new FontIcon(icon);
        glyph.getStyleClass().add("dash-tile-icon");
        Label name = new Label(title);
        name.getStyleClass().add("dash-tile-title");
        Region spring = Spacer.grow();
        FontIcon chevron = new FontIcon("mdi2c-chevron-right");
        chevron.getStyleClass().add("dash-tile-chevron");
        HBox head = new HBox(8, glyph, name, spring, chevron);
        head.setAlignment(Pos.CENTER_LEFT);

        value.setId("tile-" + id + "-value");
        value.getStyleClass().add("dash-tile-value");
        value.setMinHeight(Region.USE_PREF_SIZE);
        caption.setId("tile-" + id + "-caption");
        caption.getStyleClass().add("dash-tile-caption");
        caption.setWrapText(true);
        detail.setId("tile-" + id + "-detail");
        detail.getStyleClass().add("dash-tile-detail");
        detail.setWrapText(true);
        detail.managedProperty().bind(detail.visibleProperty());
        getChildren().addAll(head, value, caption, detail);

        Tooltip.install(this, new Tooltip("Open " + opens));
        setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                requestFocus();
                open.run();
            }
        });
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE) {
                e.consume();
                open.run();
            }
        });
    }

    /**
     * Shows a state.
     *
     * @param big    the value, in large type
     * @param small  one or two lines under it
     * @param more   a third line, or null for none
     * @param empty  whether this is a placeholder ("Not registered yet"): drawn muted
     */
    void show(String big, String small, String more, boolean empty) {
        value.setText(big);
        caption.setText(small == null ? "" : small);
        detail.setText(more == null ? "" : more);
        detail.setVisible(more != null && !more.isBlank());
        value.getStyleClass().remove("dash-tile-value-empty");
        if (empty) {
            value.getStyleClass().add("dash-tile-value-empty");
        }
        setAccessibleText(title + ": " + big + (small == null ? "" : ". " + small));
    }

    /** Marks the value good, bad or neither (for a rejected score, an unreachable network). */
    void tone(String tone) {
        value.getStyleClass().removeAll("dash-good", "dash-bad", "dash-warn");
        if (tone != null) {
            value.getStyleClass().add("dash-" + tone);
        }
    }

    /** Puts a coloured dot before the value: "up", "down", "idle"; null removes it. */
    void dot(String state) {
        if (state == null) {
            value.setGraphic(null);
            return;
        }
        FontIcon d = value.getGraphic() instanceof FontIcon f ? f : new FontIcon("mdi2c-circle");
        d.getStyleClass().setAll("ikonli-font-icon", "dash-dot", "dash-dot-" + state);
        value.setGraphic(d);
    }
}
