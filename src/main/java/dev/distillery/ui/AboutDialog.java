package dev.distillery.ui;

import dev.distillery.core.BuildInfo;
import dev.distillery.core.RuntimeVersions;
import dev.distillery.ui.common.Background;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.concurrent.Task;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Version of the app and of the runtimes it loaded, read at run time in the background. */
final class AboutDialog extends Dialog<Void> {
    static final ButtonType COPY = new ButtonType("Copy", ButtonBar.ButtonData.LEFT);
    private final Map<String, Label> values = new LinkedHashMap<>();
    private final GridPane grid = new GridPane();

    AboutDialog(Window owner, ShellContext ctx) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("About Distillery");
        getDialogPane().setId("about-dialog");
        getDialogPane().getStylesheets().add(MainWindow.stylesheet());

        Label name = new Label("Distillery " + BuildInfo.get().version());
        name.getStyleClass().add("about-name");
        Label tag = new Label("Distill big vision models into tiny CPU students.");
        VBox heading = new VBox(4, name, tag);
        HBox top = new HBox(16);
        MainWindow.icon(64).ifPresent(img -> top.getChildren().add(new ImageView(img)));
        top.getChildren().add(heading);

        grid.setHgap(14);
        grid.setVgap(6);
        put("Build", BuildInfo.get().buildTime().isEmpty() ? "development" : BuildInfo.get().buildTime());
        put("Operating system", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        put("Data directory", ctx.session().dataDirectory().root().toString());
        put("Log file", ctx.session().logFile().toString());
        for (String runtime : List.of("Java", "JavaFX", "ONNX Runtime", "PyTorch", "OpenCV", "FFmpeg")) {
            put(runtime, "checking…");
        }
        getDialogPane().setContent(new VBox(18, top, grid));
        getDialogPane().setPrefWidth(640);
        getDialogPane().getButtonTypes().addAll(COPY, ButtonType.CLOSE);
        Button copy = (Button) getDialogPane().lookupButton(COPY);
        copy.addEventFilter(ActionEvent.ACTION, e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(asText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            copy.setText("Copied");
            e.consume();
        });

        Task<List<RuntimeVersions.Entry>> probe = new Task<>() {
            @Override
            protected List<RuntimeVersions.Entry> call() {
                return RuntimeVersions.probeAll();
            }
        };
        probe.setOnSucceeded(e -> probe.getValue().forEach(v -> put(v.name(), v.display())));
        probe.setOnFailed(e -> values.forEach((k, l) -> {
            if ("checking…".equals(l.getText())) {
                l.setText("unavailable: " + probe.getException().getMessage());
            }
        }));
        Background.run(probe);
    }

    private void put(String key, String value) {
        Label existing = values.get(key);
        if (existing != null) {
            existing.setText(value);
            return;
        }
        Label k = new Label(key);
        k.getStyleClass().add("field-label");
        k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setId("about-" + key.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        v.setWrapText(true);
        v.setMaxWidth(460);
        int row = values.size();
        values.put(key, v);
        grid.add(k, 0, row);
        grid.add(v, 1, row);
    }

    String asText() {
        StringBuilder sb = new StringBuilder("Distillery ").append(BuildInfo.get().version()).append('\n');
        values.forEach((k, v) -> sb.append(k).append(": ").append(v.getText()).append('\n'));
        return sb.toString();
    }
}
