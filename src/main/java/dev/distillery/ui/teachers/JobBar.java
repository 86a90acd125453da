package dev.distillery.ui.teachers;

import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The bar under the Teachers screen that follows one background job: what it does, a progress bar,
 * the time left (from the recent progress rate, {@link dev.distillery.core.RateEta}) and a Cancel button. Hidden when idle.
 */
final class JobBar extends HBox {
    private final Label title = new Label();
    private final Label detail = new Label();
    private final ProgressBar bar = new ProgressBar();
    private final Label eta = new Label();
    private final Button cancel = new Button("Cancel", new FontIcon("mdi2c-close"));
    private Task<?> task;
    private dev.distillery.core.RateEta rate = new dev.distillery.core.RateEta();

    JobBar() {
        getStyleClass().add("job-bar");
        setId("job-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(12);
        title.getStyleClass().add("job-title");
        detail.setId("job-detail");
        title.setMinWidth(Region.USE_PREF_SIZE);
        detail.setMinWidth(40); // the one text that gives way, whole in its tooltip
        Tooltip detailTip = new Tooltip();
        detailTip.textProperty().bind(detail.textProperty());
        detail.setTooltip(detailTip);
        bar.setPrefWidth(260);
        bar.setMinWidth(80);
        eta.setId("job-eta");
        eta.setMinWidth(Region.USE_PREF_SIZE);
        eta.setPrefWidth(110);
        cancel.setId("job-cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE); // never "× Ca…"
        cancel.setOnAction(e -> {
            if (task != null) {
                task.cancel(true);
            }
        });
        HBox.setHgrow(detail, Priority.ALWAYS);
        detail.setMaxWidth(Double.MAX_VALUE);
        getChildren().addAll(title, detail, bar, eta, cancel);
        setVisible(false);
        setManaged(false);
    }

    boolean busy() {
        return task != null && task.isRunning();
    }

    void follow(Task<?> t) {
        task = t;
        rate = new dev.distillery.core.RateEta();
        title.textProperty().bind(t.titleProperty());
        detail.textProperty().bind(t.messageProperty());
        bar.progressProperty().bind(t.progressProperty());
        t.progressProperty().addListener((o, a, b) -> eta.setText(etaText(b.doubleValue())));
        eta.setText("");
        setVisible(true);
        setManaged(true);
        t.stateProperty().addListener((o, was, now) -> {
            if (now == Worker.State.SUCCEEDED || now == Worker.State.FAILED || now == Worker.State.CANCELLED) {
                title.textProperty().unbind();
                detail.textProperty().unbind();
                bar.progressProperty().unbind();
                setVisible(false);
                setManaged(false);
            }
        });
    }

    private String etaText(double fraction) {
        long now = System.nanoTime();
        rate.observe(now, fraction);
        return fraction >= 1 ? "" : dev.distillery.core.RateEta.text(rate.secondsLeft(now));
    }
}
