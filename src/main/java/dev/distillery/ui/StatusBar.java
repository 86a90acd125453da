package dev.distillery.ui;

import dev.distillery.core.ComputeThreads;
import dev.distillery.ui.common.DesktopActions;
import dev.distillery.ui.common.Spacer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.geometry.Orientation;
import org.kordamp.ikonli.javafx.FontIcon;

/** Bottom bar: data directory, CPU threads in use, network state. */
final class StatusBar extends HBox {
    StatusBar(ShellContext ctx) {
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(10);

        var root = ctx.session().dataDirectory().root();
        Label data = new Label(root.toString(), new FontIcon("mdi2f-folder-outline"));
        data.setId("status-data-dir");
        data.getStyleClass().add("status-link");
        data.setTooltip(new Tooltip("Data directory: database, models, datasets, runs and logs. Click to open."));
        data.setOnMouseClicked(e -> DesktopActions.open(root, getScene().getWindow()));

        Label threads = new Label();
        threads.setId("status-threads");
        threads.setGraphic(new FontIcon("mdi2c-cpu-64-bit"));
        threads.textProperty().bind(Bindings.createStringBinding(
                () -> "CPU threads: " + ctx.computeThreadsProperty().get() + " of " + ComputeThreads.available(),
                ctx.computeThreadsProperty()));
        threads.setTooltip(new Tooltip("Threads inference and training may use. Change it in Settings."));
        threads.setOnMouseClicked(e -> ctx.navigator().go(Screen.SETTINGS));

        Region spring = Spacer.grow();

        FontIcon dot = new FontIcon("mdi2c-circle");
        dot.getStyleClass().add("network-dot");
        Label network = new Label();
        network.setId("status-network");
        network.setGraphic(dot);
        network.textProperty().bind(Bindings.concat("Network: ", ctx.networkStatusProperty()));
        network.setTooltip(new Tooltip("Connection to the ledger and validators. Open the Network screen."));
        network.setOnMouseClicked(e -> ctx.navigator().go(Screen.NETWORK));
        // the dot says it at a glance: green while the ledger answers, red when it does not
        ctx.networkStatusProperty().addListener((o, was, now) -> {
            dot.getStyleClass().removeAll("network-dot-up", "network-dot-down");
            if (now != null && (now.contains("unreachable") || now.contains("reconnecting")
                    || now.contains("certificate"))) {
                dot.getStyleClass().add("network-dot-down");
            } else if (now != null && now.contains("· block")) {
                dot.getStyleClass().add("network-dot-up");
            }
        });

        getChildren().addAll(data, new Separator(Orientation.VERTICAL), threads, spring, network);
    }
}
