package dev.distillery.ui.common;

import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;

/**
 * A row of small previews of image files, decoded in the background by JavaFX (the FX thread never waits for a
 * file); an unreadable file shows as a grey tile.
 */
public final class ThumbnailStrip extends HBox {
    private final double height;

    public ThumbnailStrip(double height) {
        super(6);
        this.height = height;
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(2, 0, 2, 0));
        getStyleClass().add("thumbnail-strip");
        setMinHeight(height + 4);
        // never widen the window: as wide as the parent gives, the rest clipped
        setMinWidth(0);
        setPrefWidth(0);
        setMaxWidth(Double.MAX_VALUE);
        javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
    }

    /** Shows these files (in order), replacing what was shown; an empty list clears the strip. */
    public void show(List<Path> files) {
        getChildren().clear();
        for (Path f : files) {
            Image image = new Image(f.toUri().toString(), 0, height, true, true, true);
            ImageView view = new ImageView(image);
            view.setFitHeight(height);
            view.setPreserveRatio(true);
            image.errorProperty().addListener((o, was, failed) -> {
                if (failed) {
                    Label broken = new Label("?");
                    broken.getStyleClass().add("thumbnail-broken");
                    broken.setMinSize(height, height);
                    broken.setAlignment(Pos.CENTER);
                    int i = getChildren().indexOf(view);
                    if (i >= 0) {
                        getChildren().set(i, broken);
                    }
                }
            });
            getChildren().add(view);
        }
    }
}
