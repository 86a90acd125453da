package dev.distillery.ui.common;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What a screen shows before it has anything to show: what the screen is for, what the user will
 * be able to do, and the next step, with buttons where a step can be taken right away.
 */
public final class EmptyState extends VBox {
    private final Label next = new Label();

    public EmptyState(String iconLiteral, String title, String lead, List<String> youCan, String nextStep,
                      List<? extends Node> actions) {
        getStyleClass().add("empty-state");
        setAlignment(Pos.CENTER);
        setSpacing(14);
        setMaxWidth(680);

        FontIcon icon = new FontIcon(iconLiteral);
        icon.getStyleClass().add("empty-icon");
        Label heading = new Label(title);
        heading.getStyleClass().add("empty-title");
        heading.setId("empty-title");
        Label leadLabel = new Label(lead);
        leadLabel.getStyleClass().add("empty-lead");
        leadLabel.setWrapText(true);
        // wrapped texts get the height of all their lines, also when the screen is short of room (the
        // screen scrolls instead of cutting a sentence short)
        leadLabel.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(icon, heading, leadLabel);

        if (!youCan.isEmpty()) {
            VBox list = new VBox(6);
            list.getStyleClass().add("empty-list");
            for (String item : youCan) {
                FontIcon tick = new FontIcon("mdi2c-check");
                tick.getStyleClass().add("empty-tick");
                Label l = new Label(item, tick);
                l.setWrapText(true);
                l.setMinHeight(Region.USE_PREF_SIZE);
                list.getChildren().add(l);
            }
            list.setMaxWidth(560);
            getChildren().add(list);
        }
        if (nextStep != null) {
            next.setText(nextStep);
            next.getStyleClass().add("empty-next");
            next.setId("empty-next");
            next.setWrapText(true);
            next.setMinHeight(Region.USE_PREF_SIZE);
            getChildren().add(next);
        }
        if (!actions.isEmpty()) {
            HBox buttons = new HBox(10);
            buttons.setAlignment(Pos.CENTER);
            buttons.getChildren().addAll(actions);
            getChildren().add(buttons);
        }
    }

    /** Says another next step (what is true has changed); only when the state was made with one. */
    public void nextStep(String text) {
        next.setText(text);
    }
}
