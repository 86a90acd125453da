package dev.distillery.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** Which screen is showing; views use it to send the user to the next step. */
public final class Navigator {
    private final ObjectProperty<Screen> current = new SimpleObjectProperty<>(this, "current", Screen.DASHBOARD);

    public ObjectProperty<Screen> currentProperty() {
        return current;
    }

    public Screen current() {
        return current.get();
    }

    public void go(Screen screen) {
        current.set(screen);
    }
}
