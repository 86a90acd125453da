package dev.distillery.ui.common;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.teacher.library.Teacher;
import java.util.Locale;
import javafx.util.StringConverter;

/**
 * How enum values, and the constants stored from them (a run's {@code COMPLETED}, a submission's {@code SCORED}),
 * read on screen: "Classification", "Resize, then centre crop", "Completed", never {@code RESIZE_CENTER_CROP}.
 * The one place for these words, so that no control shows a constant's name.
 */
public final class EnumNames {
    private EnumNames() {
    }

    /** The human name of {@code value}; "" for null. */
    public static String of(Enum<?> value) {
        if (value == null) {
            return "";
        }
        if (value instanceof TaskKind k) {
            return k.title();
        }
        if (value instanceof DetectionLayout d) {
            return switch (d) {
                case ROWS_GRID -> "Rows, boxes on the grid (YOLOX)";
                case ROWS_DECODED -> "Rows, decoded boxes (YOLOv5/v7)";
                case COLUMNS -> "Columns, no objectness (YOLOv8/11)";
            };
        }
        if (value instanceof Preprocessing.Layout l) {
            return switch (l) {
                case NCHW -> "Channels first (NCHW)";
                case NHWC -> "Channels last (NHWC)";
            };
        }
        if (value instanceof Preprocessing.ChannelOrder o) {
            return o.name(); // RGB and BGR are the names people use
        }
        if (value instanceof Preprocessing.ResizeMode r) {
            return switch (r) {
                case STRETCH -> "Stretch to the input size";
                case RESIZE_CENTER_CROP -> "Resize, then centre crop";
                case LETTERBOX_CENTER -> "Letterbox, image centred";
                case LETTERBOX_TOP_LEFT -> "Letterbox, image at top left";
            };
        }
        if (value instanceof Teacher.Source s) {
            return switch (s) {
                case FILE -> "File";
                case URL -> "Download";
                case BUILTIN -> "Built in";
            };
        }
        return words(value.name());
    }

    /**
     * A constant's name as words, for values stored as text: {@code COMPLETED} → "Completed", {@code EARLY_STOPPING}
     * → "Early stopping"; "" for null. Text that is not a constant's name (lower case in it) is returned as it is.
     */
    public static String words(String constant) {
        if (constant == null || constant.isEmpty()) {
            return "";
        }
        if (!constant.equals(constant.toUpperCase(Locale.ROOT))) {
            return constant;
        }
        String w = constant.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    /** For a ComboBox or ChoiceBox of enum values: shows {@link #of}, reads a shown name back. */
    public static <T extends Enum<T>> StringConverter<T> converter(Class<T> type) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return of(value);
            }

            @Override
            public T fromString(String text) {
                for (T v : type.getEnumConstants()) {
                    if (of(v).equals(text)) {
                        return v;
                    }
                }
                return null;
            }
        };
    }

    /**
     * For a non-editable ComboBox of stored constants ("COMPLETED"): shows {@link #words}, other text as it is. The
     * items stay the constants, so filters keep using them; nothing is read back from shown text.
     */
    public static StringConverter<String> wordsConverter() {
        return new StringConverter<>() {
            @Override
            public String toString(String value) {
                return words(value);
            }

            @Override
            public String fromString(String text) {
                return text;
            }
        };
    }
}
