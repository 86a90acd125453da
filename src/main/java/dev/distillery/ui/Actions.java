package dev.distillery.ui;

import dev.distillery.ui.common.DesktopActions;
import java.nio.file.Path;
import javafx.scene.control.Button;
import org.kordamp.ikonli.javafx.FontIcon;

/** Buttons that take a real step: go to a screen, open a folder. */
public final class Actions {
    private Actions() {
    }

    public static Button goTo(ShellContext ctx, Screen target, String text, boolean primary) {
        Button b = new Button(text, new FontIcon(target.icon()));
        b.setId("go-" + target.id());
        if (primary) {
            b.getStyleClass().add("primary");
            b.setDefaultButton(false);
        }
        b.setOnAction(e -> ctx.navigator().go(target));
        return b;
    }

    public static Button openFolder(ShellContext ctx, Path folder, String text) {
        Button b = new Button(text, new FontIcon("mdi2f-folder-open-outline"));
        b.setOnAction(e -> DesktopActions.open(folder, ctx.window()));
        return b;
    }
}
