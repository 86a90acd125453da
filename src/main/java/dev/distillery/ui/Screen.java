package dev.distillery.ui;

import java.util.Locale;
import java.util.Optional;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/** The screens of the sidebar, in order; Ctrl/Cmd+1…8 opens them. */
public enum Screen {
    DASHBOARD("Dashboard", "mdi2v-view-dashboard-outline", KeyCode.DIGIT1),
    TEACHERS("Teachers", "mdi2s-school-outline", KeyCode.DIGIT2),
    DISTILL("Distill", "mdi2f-flask-outline", KeyCode.DIGIT3),
    LIVE("Live", "mdi2v-video-outline", KeyCode.DIGIT4),
    NETWORK("Network", "mdi2l-lan", KeyCode.DIGIT5),
    EARNINGS("Earnings", "mdi2c-cash-multiple", KeyCode.DIGIT6),
    HISTORY("History", "mdi2h-history", KeyCode.DIGIT7),
    SETTINGS("Settings", "mdi2c-cog-outline", KeyCode.DIGIT8);

    private final String title;
    private final String icon;
    private final KeyCode key;

    Screen(String title, String icon, KeyCode key) {
        this.title = title;
        this.icon = icon;
        this.key = key;
    }

    public String title() {
        return title;
    }

    public String icon() {
        return icon;
    }

    /** Stable id used in settings and node ids ("teachers"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public KeyCombination shortcut() {
        return new KeyCodeCombination(key, KeyCombination.SHORTCUT_DOWN);
    }

    public static Optional<Screen> fromId(String id) {
        for (Screen s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
