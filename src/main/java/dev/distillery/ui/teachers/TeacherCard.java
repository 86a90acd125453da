package dev.distillery.ui.teachers;

import dev.distillery.core.Plural;
import dev.distillery.teacher.TeacherService;
import dev.distillery.teacher.library.Teacher;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/** One teacher in the grid: name, task, size, parameters, latency. */
final class TeacherCard extends VBox {
    final long teacherId;

    TeacherCard(Teacher t, TeacherService service) {
        teacherId = t.id();
        getStyleClass().addAll("card", "teacher-card");
        setId("teacher-card-" + t.id());
        setSpacing(6);
        setPrefWidth(230);
        Label name = new Label(t.name());
        name.getStyleClass().add("teacher-name");
        name.setMaxWidth(200);
        name.setWrapText(true);
        name.setMinHeight(Region.USE_PREF_SIZE);
        int classes = t.profile().task().numClasses();
        boolean hasClasses = t.profile().task().kind() == dev.distillery.model.TaskKind.CLASSIFICATION
                || t.profile().task().kind() == dev.distillery.model.TaskKind.DETECTION;
        Label task = new Label(t.profile().task().kind().title() + (hasClasses ? " · " + classes : ""));
        task.getStyleClass().add("chip");
        FontIcon icon = new FontIcon(TeacherFormat.icon(t.profile().task().kind()));
        icon.getStyleClass().add("teacher-icon");
        HBox top = new HBox(8, icon, task);
        top.setAlignment(Pos.CENTER_LEFT);
        Label size = new Label(TeacherFormat.bytes(t.sizeBytes()) + "  ·  " + TeacherFormat.count(t.info().parameterCount())
                + " params");
        size.getStyleClass().add("teacher-meta");
        Label speed = new Label(service.benchmark(t).map(b -> "p50 " + TeacherFormat.ms(b.p50Ms()) + " on "
                + Plural.of(b.threads(), "thread")).orElse("not benchmarked yet"));
        speed.getStyleClass().add("teacher-meta");
        speed.setId("teacher-speed-" + t.id());
        getChildren().addAll(top, name, size, speed);
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), selected);
    }
}
