package dev.distillery.ui.network;

import dev.distillery.store.RunRow;
import dev.distillery.ui.ShellContext;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;

/** Which student to submit: one exported by a distillation run (newest first), or any .onnx file. */
final class StudentPicker {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private StudentPicker() {
    }

    /** Asks the user; empty when cancelled. {@code runs} are the runs whose student file exists. */
    static Optional<Path> pick(ShellContext ctx, List<RunRow> runs) {
        Dialog<Path> d = new Dialog<>();
        d.setTitle("Submit a student");
        d.setHeaderText(runs.isEmpty() ? "No distilled student yet: distill one (Distill screen), or pick an .onnx "
                + "file." : "Pick a student you distilled, or any .onnx file.");
        if (ctx.window() != null) {
            d.initOwner(ctx.window());
        }
        d.getDialogPane().setId("student-picker");
        ListView<RunRow> list = new ListView<>();
        list.setId("student-list");
        list.getItems().setAll(runs.stream().sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).toList());
        list.setPrefSize(560, runs.isEmpty() ? 90 : 260);
        Label empty = new Label("No exported student yet. Finish a run on the Distill screen, or choose a file below.");
        empty.setWrapText(true);
        empty.getStyleClass().add("hint");
        list.setPlaceholder(empty);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(RunRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setGraphic(new FontIcon("mdi2f-flask-outline"));
                // a run named by default is "<preset> from <teacher>" already: said once
                String what = r.preset() + " from " + r.teacherName();
                setText(String.format(Locale.ROOT, "%s · best %s · %s · %s",
                        r.name().equals(what) ? what : r.name() + " — " + what,
                        r.bestMetric() == null ? "–" : String.format(Locale.ROOT, "%.3f", r.bestMetric()),
                        WHEN.format(r.createdAt()), Path.of(r.studentPath()).getFileName()));
            }
        });
        if (!list.getItems().isEmpty()) {
            list.getSelectionModel().select(0);
        }
        Label hint = new Label("The preview scores it first, exactly as the validators do; nothing is sent until you "
                + "press Submit.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        Button file = new Button("Choose a file…", new FontIcon("mdi2f-file-outline"));
        file.setId("student-file");
        Path[] chosen = new Path[1];
        file.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("An ONNX student");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX model", "*.onnx"));
            java.io.File f = fc.showOpenDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                chosen[0] = f.toPath();
                d.setResult(chosen[0]);
                d.close();
            }
        });
        d.getDialogPane().setContent(new VBox(10, list, file, hint));
        ButtonType next = new ButtonType("Preview and submit…", ButtonType.OK.getButtonData());
        d.getDialogPane().getButtonTypes().addAll(next, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(next).setId("student-next");
        d.getDialogPane().lookupButton(next).disableProperty().bind(list.getSelectionModel().selectedItemProperty()
                .isNull());
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && list.getSelectionModel().getSelectedItem() != null) {
                d.setResult(Path.of(list.getSelectionModel().getSelectedItem().studentPath()));
                d.close();
            }
        });
        d.setResultConverter(b -> {
            if (chosen[0] != null) {
                return chosen[0];
            }
            RunRow r = list.getSelectionModel().getSelectedItem();
            return b == next && r != null ? Path.of(r.studentPath()) : null;
        });
        return d.showAndWait();
    }
}
