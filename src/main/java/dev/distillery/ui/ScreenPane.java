package dev.distillery.ui;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** A screen: its title and one-line purpose on top, its content below (scrollable). */
public abstract class ScreenPane extends BorderPane {
    private final Screen screen;

    protected ScreenPane(Screen screen, String subtitle) {
        this.screen = screen;
        getStyleClass().add("screen");
        setId("screen-" + screen.id());
        Label title = new Label(screen.title());
        title.getStyleClass().add("screen-title");
        title.setId("screen-title");
        Label sub = new Label(subtitle);
        sub.getStyleClass().add("screen-subtitle");
        VBox header = new VBox(2, title, sub);
        header.getStyleClass().add("screen-header");
        setTop(header);
    }

    public Screen screen() {
        return screen;
    }

    /** Puts content in the middle, centred and scrollable when the window is small. */
    protected void setBody(Node body) {
        StackPane centre = new StackPane(body);
        centre.getStyleClass().add("screen-body");
        ScrollPane scroll = new ScrollPane(centre);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.getStyleClass().add("screen-scroll");
        setCenter(scroll);
    }

    /** Called each time the screen comes into view. */
    public void onShown() {
    }
}
