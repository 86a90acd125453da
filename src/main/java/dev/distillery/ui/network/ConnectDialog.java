package dev.distillery.ui.network;

import dev.distillery.network.score.Challenge;
import dev.distillery.ui.ShellContext;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * Where the app connects: the local devnet, or a remote ledger and its validators over TLS. A remote server's
 * certificate is pinned the first time (trust on first use); a later change stops the connection with a loud
 * warning on the Network screen. Pins can be forgotten here.
 */
final class ConnectDialog {
    private ConnectDialog() {
    }

    static void show(ShellContext ctx) {
        NetworkFeed feed = ctx.network();
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Connect");
        d.setHeaderText("Which network should Distillery follow?");
        if (ctx.window() != null) {
            d.initOwner(ctx.window());
        }
        d.getDialogPane().setId("connect-dialog");
        ToggleGroup mode = new ToggleGroup();
        RadioButton devnet = new RadioButton("The local devnet on this computer (offline practice)");
        devnet.setId("connect-devnet");
        devnet.setToggleGroup(mode);
        RadioButton remote = new RadioButton("A remote network (TLS, certificates pinned on first use)");
        remote.setId("connect-remote");
        remote.setToggleGroup(mode);
        (feed.remoteMode() ? remote : devnet).setSelected(true);
        TextField ledger = new TextField(ctx.settings().get(NetworkFeed.REMOTE_LEDGER, ""));
        ledger.setId("connect-ledger");
        ledger.setPromptText("ledger.example.org:7733");
        TextField validators = new TextField(ctx.settings().get(NetworkFeed.REMOTE_VALIDATORS, ""));
        validators.setId("connect-validators");
        validators.setPromptText("val1.example.org:7740, val2.example.org:7740");
        Label pins = new Label();
        pins.setWrapText(true);
        pins.getStyleClass().add("hint");
        Button forget = new Button("Forget the pinned certificates");
        forget.setId("connect-forget-pins");
        Label error = new Label();
        error.setId("connect-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        Runnable showPins = () -> {
            List<String> lines = new ArrayList<>();
            for (String a : addresses(ledger.getText(), validators.getText())) {
                lines.add(a + ": " + ctx.settings().get(NetworkFeed.PIN_PREFIX + a)
                        .map(p -> "pinned " + NetworkFeed.shortPin(p)).orElse("not seen yet (pinned on first use)"));
            }
            pins.setText(lines.isEmpty() ? "" : String.join("\n", lines));
        };
        ledger.textProperty().addListener((o, a, b) -> showPins.run());
        validators.textProperty().addListener((o, a, b) -> showPins.run());
        showPins.run();
        forget.setOnAction(e -> {
            List<String> all = addresses(ledger.getText(), validators.getText());
            dev.distillery.ui.common.Background.writes().execute(() -> {
                all.forEach(a -> ctx.settings().remove(NetworkFeed.PIN_PREFIX + a));
                javafx.application.Platform.runLater(showPins);
            });
        });
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.addRow(0, new Label("Ledger"), ledger);
        g.addRow(1, new Label("Validators"), validators);
        ledger.setPrefColumnCount(30);
        // each choice shows its own fields only: the dialog must fit a 640-pixel-high screen
        for (javafx.scene.Node n : List.of(g, pins, forget)) {
            n.visibleProperty().bind(remote.selectedProperty());
            n.managedProperty().bind(remote.selectedProperty());
        }
        DevnetChallengeForm challenge = new DevnetChallengeForm(ctx);
        javafx.scene.Node challengeNode = challenge.node();
        challengeNode.visibleProperty().bind(devnet.selectedProperty());
        challengeNode.managedProperty().bind(devnet.selectedProperty());
        VBox.setMargin(challengeNode, new javafx.geometry.Insets(0, 0, 6, 24));
        d.getDialogPane().setContent(new VBox(10, devnet, challengeNode, remote, g, pins, forget, error));
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        // a choice shows its fields and hides the others': the window then takes the new size, buttons in view
        Runnable fit = () -> javafx.application.Platform.runLater(() -> {
            if (d.getDialogPane().getScene() != null && d.getDialogPane().getScene().getWindow() != null) {
                d.getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        mode.selectedToggleProperty().addListener((o, a, b) -> fit.run());
        challenge.onResize(fit);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setText("Connect");
        ok.setId("connect-ok");
        Challenge[] chosen = new Challenge[1];
        ok.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            if (!remote.isSelected()) {
                try {
                    chosen[0] = challenge.challenge();
                } catch (IllegalArgumentException ex) {
                    error.setText(ex.getMessage() + ".");
                    e.consume();
                }
                return;
            }
            try {
                NetworkFeed.Endpoint.parse(ledger.getText());
                for (String v : validators.getText().split("[,\\s]+")) {
                    if (!v.isBlank()) {
                        NetworkFeed.Endpoint.parse(v);
                    }
                }
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage() + ".");
                e.consume();
            }
        });
        if (d.showAndWait().filter(b -> b == ButtonType.OK).isEmpty()) {
            return;
        }
        boolean toRemote = remote.isSelected();
        String l = ledger.getText().strip();
        String v = validators.getText().strip();
        // settings are written off the FX thread, in order; the connection starts once they are stored
        dev.distillery.ui.common.Background.writes().execute(() -> {
            if (toRemote) {
                ctx.settings().put(NetworkFeed.REMOTE_LEDGER, l);
                ctx.settings().put(NetworkFeed.REMOTE_VALIDATORS, v);
            }
            ctx.settings().put(NetworkFeed.MODE, toRemote ? "remote" : "devnet");
            boolean changed = false;
            if (!toRemote) {
                Challenge before = feed.devnetChallenge();
                ctx.settings().put(NetworkFeed.DEVNET_CHALLENGE, chosen[0] == null ? "" : chosen[0].toJson());
                changed = !java.util.Objects.equals(before == null ? null : before.id(),
                        chosen[0] == null ? null : chosen[0].id());
            }
            boolean restart = changed;
            javafx.application.Platform.runLater(() -> {
                if (toRemote) {
                    feed.connectRemote(feed.remoteLedger(), feed.remoteValidators());
                } else if (restart) {
                    feed.restartDevnet();
                } else {
                    feed.startDevnet();
                }
            });
        });
    }

    private static List<String> addresses(String ledger, String validators) {
        List<String> out = new ArrayList<>();
        for (String part : (ledger + " " + validators).split("[,\\s]+")) {
            if (!part.isBlank() && part.contains(":")) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
