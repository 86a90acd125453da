package dev.distillery.ui.dashboard;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/** One glance at the miner's state; until there is any, the three steps that lead there. */
public final class DashboardView extends ScreenPane {
    public DashboardView(ShellContext ctx) {
        super(Screen.DASHBOARD, "Your mining at a glance");
        Label title = new Label("Nothing mined yet");
        title.getStyleClass().add("empty-title");
        title.setId("empty-title");
        Label lead = new Label("Once you are on a network, this page shows your connection, your balance today and "
                + "this week, your latest score and rank, running jobs and the last epoch. Every tile opens its "
                + "screen. Three steps get you there:");
        lead.getStyleClass().add("empty-lead");
        lead.setWrapText(true);

        HBox steps = new HBox(16,
                step(1, "mdi2s-school-outline", "Bring a teacher",
                        "Import a big ONNX vision model and see what it does on your images.",
                        Actions.goTo(ctx, Screen.TEACHERS, "Open Teachers", true)),
                step(2, "mdi2f-flask-outline", "Distill a student",
                        "Train a tiny model that copies the teacher and runs live on this CPU.",
                        Actions.goTo(ctx, Screen.DISTILL, "Open Distill", false)),
                step(3, "mdi2l-lan", "Submit and earn",
                        "Send the student to the validators; scores and earnings arrive every epoch.",
                        Actions.goTo(ctx, Screen.NETWORK, "Open Network", false)));
        steps.setAlignment(Pos.CENTER);

        VBox body = new VBox(18, new FontIcon("mdi2v-view-dashboard-outline"), title, lead, steps);
        body.getChildren().get(0).getStyleClass().add("empty-icon");
        body.getStyleClass().add("empty-state");
        body.setAlignment(Pos.CENTER);
        body.setMaxWidth(900);
        setBody(body);
    }

    private static VBox step(int n, String icon, String title, String text, Button action) {
        Label num = new Label(Integer.toString(n));
        num.getStyleClass().add("step-number");
        FontIcon i = new FontIcon(icon);
        i.getStyleClass().add("step-icon");
        HBox top = new HBox(10, num, i);
        top.setAlignment(Pos.CENTER_LEFT);
        Label t = new Label(title);
        t.getStyleClass().add("step-title");
        Label d = new Label(text);
        d.setWrapText(true);
        d.getStyleClass().add("step-text");
        VBox.setVgrow(d, Priority.ALWAYS);
        VBox card = new VBox(10, top, t, d, action);
        card.getStyleClass().add("card");
        card.setPrefWidth(250);
        card.setMinHeight(190);
        return card;
    }
}
