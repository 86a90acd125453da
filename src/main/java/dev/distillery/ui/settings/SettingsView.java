package dev.distillery.ui.settings;

import static dev.distillery.ui.common.Labels.hint;

import dev.distillery.core.ComputeThreads;
import dev.distillery.core.DataDirectory;
import dev.distillery.core.Plural;
import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.WindowState;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;

/** Settings that exist today: where data lives, CPU threads, the window layout. */
public final class SettingsView extends ScreenPane {
    public SettingsView(ShellContext ctx) {
        super(Screen.SETTINGS, "Where your data lives and how much of this machine Distillery may use");
        DataDirectory dir = ctx.session().dataDirectory();

        TextField path = readOnly(dir.root().toString(), "settings-data-dir");
        Button copy = new Button("Copy", new FontIcon("mdi2c-content-copy"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(dir.root().toString());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        });
        HBox pathRow = new HBox(8, path, Actions.openFolder(ctx, dir.root(), "Open"), copy);
        HBox.setHgrow(path, Priority.ALWAYS);
        Label dirHelp = hint("To keep data elsewhere, start Distillery with --data-dir <folder>, or set "
                + DataDirectory.ENV_HOME + ". Each folder is a separate workspace.");
        var db = ctx.session().database();
        TextField dbField = readOnly(db.file() + "   (schema version " + db.schemaVersion() + ")", "settings-db");
        TextField logField = readOnly(ctx.session().logFile().toString(), "settings-log");
        HBox logRow = new HBox(8, logField, Actions.openFolder(ctx, dir.logs(), "Open"));
        HBox.setHgrow(logField, Priority.ALWAYS);

        GridPane data = grid();
        row(data, 0, "Data directory", new VBox(4, pathRow, dirHelp));
        row(data, 1, "Database", dbField);
        row(data, 2, "Log file", logRow);

        int cores = ComputeThreads.available();
        Spinner<Integer> threads = new Spinner<>(1, cores, ctx.computeThreadsProperty().get());
        threads.setId("settings-threads");
        threads.setEditable(true);
        threads.setPrefWidth(100);
        guardIntegerInput(threads);
        threads.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                ctx.setComputeThreads(b);
            }
        });
        GridPane perf = grid();
        row(perf, 0, "CPU threads", new VBox(4, threads, hint("Threads for inference and training. This machine "
                + "has " + Plural.of(cores, "core") + ". Fewer threads keep the rest of the "
                + "computer responsive while you train.")));

        javafx.scene.control.ChoiceBox<String> precision = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList("auto", "on", "off"));
        precision.setId("settings-int8-precision");
        precision.setValue(ctx.int8Precision().text());
        javafx.scene.control.Label precisionNow = hint(dev.distillery.core.Int8Precision.describe() + ".");
        precisionNow.setId("settings-int8-precision-now");
        precision.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                ctx.setInt8Precision(dev.distillery.core.Int8Precision.Mode.parse(b));
                precisionNow.setText(dev.distillery.core.Int8Precision.describe() + ".");
            }
        });
        row(perf, 1, "Integer precision on CPUs without VNNI", new VBox(4, precision, hint("Int8 models give "
                + "slightly wrong answers on x86 CPUs without VNNI (AVX2 only) unless ONNX Runtime uses its exact "
                + "mode, about 25 % slower. auto turns it on only there; on and off force it."), precisionNow));

        Button reset = new Button("Reset window layout", new FontIcon("mdi2w-window-restore"));
        reset.setId("settings-reset-layout");
        reset.setOnAction(e -> WindowState.reset((Stage) getScene().getWindow(), ctx.settings()));
        GridPane window = grid();
        row(window, 0, "Layout", new VBox(4, reset, hint("Distillery remembers the window's size, position and "
                + "the last screen. This puts the window back in the middle of the screen.")));

        javafx.scene.control.CheckBox devnet = new javafx.scene.control.CheckBox("Start the local devnet with the app");
        devnet.setId("settings-devnet-autostart");
        devnet.setSelected(ctx.settings().getBoolean(dev.distillery.ui.network.NetworkFeed.AUTOSTART, true));
        devnet.selectedProperty().addListener((o, a, b) -> dev.distillery.ui.common.Background.writes()
                .execute(() -> ctx.settings().put(dev.distillery.ui.network.NetworkFeed.AUTOSTART, b.toString())));
        GridPane network = grid();
        row(network, 0, "Devnet", new VBox(4, devnet, hint("A ledger, two validators and simulated miners on this "
                + "computer, so the Network screen works offline. Its validators evaluate students in the "
                + "background; turn it off to keep every core for training. Takes effect at the next start.")));

        VBox body = new VBox(18, section("Data", data), section("Performance", perf), section("Network", network),
                section("Window", window));
        body.setMaxWidth(820);
        body.setAlignment(Pos.TOP_CENTER);
        body.setPadding(new Insets(4, 0, 24, 0));
        setBody(body);
    }

    /**
     * An editable integer spinner throws NumberFormatException on commit when the text is not a
     * number: let only digits in, and read anything unusable as "keep the current value".
     */
    static void guardIntegerInput(Spinner<Integer> spinner) {
        SpinnerValueFactory<Integer> factory = spinner.getValueFactory();
        spinner.getEditor().setTextFormatter(new TextFormatter<String>(
                change -> change.getControlNewText().matches("\\d{0,4}") ? change : null));
        factory.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer value) {
                return value == null ? "" : value.toString();
            }

            @Override
            public Integer fromString(String text) {
                try {
                    return Integer.valueOf(text.trim());
                } catch (NumberFormatException e) {
                    return factory.getValue();
                }
            }
        });
    }

    private static TextField readOnly(String text, String id) {
        TextField f = new TextField(text);
        f.setEditable(false);
        f.setId(id);
        f.getStyleClass().add("read-only");
        return f;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(16);
        g.setVgap(12);
        ColumnConstraints label = new ColumnConstraints(130);
        label.setHalignment(HPos.RIGHT);
        ColumnConstraints value = new ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(label, value);
        return g;
    }

    private static void row(GridPane g, int r, String name, Node value) {
        Label l = new Label(name);
        l.getStyleClass().add("field-label");
        // a long name ("Integer precision on CPUs without VNNI") takes two lines in the narrow column
        l.setWrapText(true);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
        GridPane.setValignment(l, javafx.geometry.VPos.TOP);
        g.add(l, 0, r);
        g.add(value, 1, r);
    }

    private static VBox section(String title, Node content) {
        Label t = new Label(title);
        t.getStyleClass().add("section-title");
        VBox box = new VBox(12, t, content);
        box.getStyleClass().add("card");
        return box;
    }
}
