package dev.distillery.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.TaskKind;
import dev.distillery.network.miner.Submitter;
import dev.distillery.store.RunRow;
import dev.distillery.teacher.library.Teacher;
import dev.distillery.ui.network.NetworkSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No control shows a constant's name: every enum value the screens show has words for people. */
class EnumNamesTest {
    /** The enums whose values the screens show (combo boxes, chips, detail rows). */
    static final List<Class<? extends Enum<?>>> SHOWN = List.of(TaskKind.class, DetectionLayout.class,
            Preprocessing.Layout.class, Preprocessing.ResizeMode.class, Teacher.Source.class,
            NetworkSnapshot.State.class, Submitter.Step.class);

    @Test
    void everyShownValueReadsAsWords() {
        for (Class<? extends Enum<?>> type : SHOWN) {
            for (Enum<?> v : type.getEnumConstants()) {
                String shown = EnumNames.of(v);
                assertThat(shown).as(type.getSimpleName() + "." + v.name()).isNotEqualTo(v.name())
                        .doesNotContain("_").matches("\\p{Lu}.*\\p{Ll}.*");
            }
        }
        assertThat(Stream.of(Preprocessing.ResizeMode.values()).map(EnumNames::of).distinct()).hasSize(4);
    }

    @Test
    void theNamesAUserSaw() {
        assertThat(EnumNames.of(TaskKind.CLASSIFICATION)).isEqualTo("Classification");
        assertThat(EnumNames.of(Preprocessing.ResizeMode.RESIZE_CENTER_CROP)).isEqualTo("Resize, then centre crop");
        assertThat(EnumNames.of(Preprocessing.ChannelOrder.BGR)).isEqualTo("BGR");
        assertThat(EnumNames.of(null)).isEmpty();
    }

    @Test
    void storedConstantsReadAsWordsOtherTextStays() {
        assertThat(EnumNames.words(RunRow.COMPLETED)).isEqualTo("Completed");
        assertThat(EnumNames.words("EARLY_STOPPING")).isEqualTo("Early stopping");
        assertThat(EnumNames.words("All")).isEqualTo("All");
        assertThat(EnumNames.words(null)).isEmpty();
    }

    @Test
    void theConverterReadsAShownNameBack() {
        var c = EnumNames.converter(Preprocessing.ResizeMode.class);
        for (Preprocessing.ResizeMode m : Preprocessing.ResizeMode.values()) {
            assertThat(c.fromString(c.toString(m))).isEqualTo(m);
        }
    }
}
