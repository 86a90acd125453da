package dev.distillery.ui.common;

import java.util.Locale;
import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

/** Chart axes the screens share. */
public final class Axes {
    private Axes() {
    }

    /**
     * An axis of whole numbers (epochs, training steps): ticks that fall between two of them get no label, so a
     * short range does not read "23 23 23 24"; no forced zero, no minor ticks.
     */
    public static NumberAxis whole(String label) {
        NumberAxis a = new NumberAxis();
        a.setLabel(label);
        a.setForceZeroInRange(false);
        a.setMinorTickVisible(false);
        a.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                double v = n.doubleValue();
                return Math.abs(v - Math.rint(v)) > 1e-6 ? "" : String.format(Locale.ROOT, "%,d", Math.round(v));
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s.replace(",", ""));
            }
        });
        return a;
    }
}
