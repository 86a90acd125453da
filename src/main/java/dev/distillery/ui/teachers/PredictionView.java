package dev.distillery.ui.teachers;

import dev.distillery.core.Plural;
import dev.distillery.model.Prediction;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * Shows an image with a model's answer drawn over it: boxes with labels for detection, a heat map
 * blended over the picture for dense maps, and bars of the top classes for classification. Scales
 * with its container; everything is drawn on the FX thread from a finished {@link Prediction}.
 */
final class PredictionView extends VBox {
    private static final Color[] PALETTE = {
        Color.web("#f2b134"), Color.web("#12b5a0"), Color.web("#e4572e"), Color.web("#4c8bf5"),
        Color.web("#b86bd6"), Color.web("#7bc043"), Color.web("#ff7fa7"), Color.web("#2ec4e6")};

    private final Canvas canvas = new Canvas();
    private final StackPane stage = new StackPane(canvas);
    private final VBox bars = new VBox(6);
    private Image image;
    private Prediction prediction;
    private WritableImage heat;

    PredictionView() {
        setSpacing(10);
        getStyleClass().add("prediction-view");
        stage.setMinSize(200, 150);
        stage.getStyleClass().add("prediction-stage");
        VBox.setVgrow(stage, Priority.ALWAYS);
        stage.widthProperty().addListener((o, a, b) -> redraw());
        stage.heightProperty().addListener((o, a, b) -> redraw());
        bars.setId("prediction-bars");
        getChildren().addAll(stage, bars);
    }

    void show(Image img, Prediction p) {
        this.image = img;
        this.prediction = p;
        this.heat = p instanceof Prediction.DenseMap map ? heatImage(map) : null;
        bars.getChildren().clear();
        if (p instanceof Prediction.Classification c) {
            for (Prediction.Scored s : c.top()) {
                bars.getChildren().add(bar(s.label(), s.score(), PALETTE[0]));
            }
        } else if (p instanceof Prediction.Detections d) {
            bars.getChildren().add(new Label(d.boxes().isEmpty() ? "No objects found above the score threshold."
                    : Plural.of(d.boxes().size(), "object") + " found"));
        } else if (p instanceof Prediction.DenseMap m) {
            double covered = 0;
            for (float v : m.values()) {
                covered += v > 0.5f ? 1 : 0;
            }
            bars.getChildren().add(new Label(String.format(Locale.ROOT,
                    "Map covers %.1f %% of the image (probability > 0.5)", 100 * covered / m.values().length)));
        } else if (p instanceof Prediction.Embedding e) {
            bars.getChildren().add(new Label("Embedding of " + Plural.of(e.vector().length, "value")));
        }
        redraw();
    }

    void clear() {
        image = null;
        prediction = null;
        heat = null;
        bars.getChildren().clear();
        redraw();
    }

    private HBox bar(String label, float score, Color color) {
        Label name = new Label(label);
        name.setMinWidth(160);
        name.setMaxWidth(220);
        ProgressBar pb = new ProgressBar(score);
        pb.setMaxWidth(Double.MAX_VALUE);
        pb.setStyle("-fx-accent: " + toWeb(color) + ";");
        HBox.setHgrow(pb, Priority.ALWAYS);
        Label pct = new Label(String.format(Locale.ROOT, "%.1f %%", score * 100));
        pct.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, name, pb, pct);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("prediction-bar");
        return row;
    }

    private void redraw() {
        double w = stage.getWidth();
        double h = stage.getHeight();
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        if (image == null || w <= 0 || h <= 0) {
            return;
        }
        double scale = Math.min(w / image.getWidth(), h / image.getHeight());
        double dw = image.getWidth() * scale;
        double dh = image.getHeight() * scale;
        double ox = (w - dw) / 2;
        double oy = (h - dh) / 2;
        g.drawImage(image, ox, oy, dw, dh);
        if (heat != null) {
            g.setGlobalAlpha(0.55);
            g.drawImage(heat, ox, oy, dw, dh);
            g.setGlobalAlpha(1);
        }
        if (prediction instanceof Prediction.Detections d) {
            g.setFont(Font.font("System", FontWeight.BOLD, 12));
            for (Prediction.Box b : d.boxes()) {
                Color c = PALETTE[Math.floorMod(b.classIndex(), PALETTE.length)];
                double x = ox + b.x1() * scale;
                double y = oy + b.y1() * scale;
                double bw = (b.x2() - b.x1()) * scale;
                double bh = (b.y2() - b.y1()) * scale;
                g.setStroke(c);
                g.setLineWidth(2.5);
                g.strokeRect(x, y, bw, bh);
                String text = String.format(Locale.ROOT, "%s %.0f%%", b.label(), b.score() * 100);
                double tw = text.length() * 7.2 + 8;
                double ty = y >= 18 ? y - 18 : y;
                g.setFill(c);
                g.fillRect(x - 1.25, ty, tw, 18);
                g.setFill(Color.web("#17202b"));
                g.fillText(text, x + 3, ty + 13);
            }
        }
    }

    /** Probability map → transparent-to-warm colour ramp (0: clear, 1: opaque yellow-red). */
    static WritableImage heatImage(Prediction.DenseMap map) {
        int n = map.width() * map.height();
        int[] argb = new int[n];
        float[] v = map.values();
        for (int i = 0; i < n; i++) {
            float p = Math.max(0, Math.min(1, v[i]));
            int a = (int) (p * 255);
            int r = 255;
            int gch = (int) (200 * (1 - p) + 40);
            int b = (int) (40 * (1 - p));
            argb[i] = (a << 24) | (r << 16) | (gch << 8) | b;
        }
        WritableImage img = new WritableImage(map.width(), map.height());
        img.getPixelWriter().setPixels(0, 0, map.width(), map.height(), PixelFormat.getIntArgbInstance(), argb, 0,
                map.width());
        return img;
    }

    private static String toWeb(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255),
                (int) (c.getBlue() * 255));
    }


}
