package dev.distillery.ui.live;

import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * One model's live view: its annotated frames and its numbers. Frames arrive as ARGB buffers drawn
 * off the FX thread; this pane only copies the newest one into a reused image.
 */
final class FramePane extends VBox {
    private final ImageView view = new ImageView();
    private final StackPane stage = new StackPane(view);
    private final Label title = new Label();
    final Label fps = new Label("– fps");
    final Label latency = new Label("p50 – · p95 –");
    final Label frame = new Label();
    private final HBox numbers;
    private WritableImage image;

    FramePane(String id) {
        setId(id);
        getStyleClass().add("frame-pane");
        setSpacing(6);
        title.getStyleClass().add("frame-title");
        fps.setId(id + "-fps");
        fps.getStyleClass().add("frame-fps");
        latency.setId(id + "-latency");
        latency.getStyleClass().add("teacher-meta");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.fitWidthProperty().bind(stage.widthProperty());
        view.fitHeightProperty().bind(stage.heightProperty());
        stage.getStyleClass().add("prediction-stage");
        stage.setMinSize(160, 120);
        VBox.setVgrow(stage, Priority.ALWAYS);
        frame.setId(id + "-frame");
        frame.getStyleClass().add("teacher-meta");
        numbers = new HBox(14, fps, latency, frame);
        numbers.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(title, stage, numbers);
    }

    void setTitle(String text) {
        title.setText(text);
    }

    /**
     * Shows or hides the title and the numbers; hidden (but still taking their room, so the images stay aligned)
     * for the upper pane of the overlaid view, whose figures the lower pane shows.
     */
    void showHeader(boolean on) {
        title.setVisible(on);
        numbers.setVisible(on);
    }

    String title() {
        return title.getText();
    }

    /** Which source frame the pane shows (1-based, in decode order). */
    void showFrameNumber(long frameNumber) {
        frame.setText("frame " + (frameNumber + 1));
    }

    /** Shows a frame (FX thread). */
    void show(int[] argb, int width, int height) {
        if (image == null || (int) image.getWidth() != width || (int) image.getHeight() != height) {
            image = new WritableImage(width, height);
            view.setImage(image);
        }
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
    }

    void showStats(double framesPerSecond, double p50, double p95) {
        fps.setText(String.format(Locale.ROOT, "%.1f fps", framesPerSecond));
        latency.setText(String.format(Locale.ROOT, "p50 %.1f ms · p95 %.1f ms", p50, p95));
    }

    void clear() {
        frame.setText("");
        view.setImage(null);
        image = null;
        fps.setText("– fps");
        latency.setText("p50 – · p95 –");
    }
}
