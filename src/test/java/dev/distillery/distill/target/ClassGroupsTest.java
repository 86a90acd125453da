package dev.distillery.distill.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassGroupsTest {
    static final List<String> LABELS = List.of("tabby cat", "tiger cat", "golden retriever", "Labrador retriever",
            "pug", "car, automobile", "truck");

    @Test
    void indicesRangesAndRegexBuildGroupsWithOtherLast() {
        ClassGroups g = ClassGroups.parse(List.of("cat=0-1", "dog=/retriever|PUG/"), LABELS, LABELS.size());
        assertThat(g.names()).containsExactly("cat", "dog", "other");
        assertThat(g.groups().get(1).classes()).containsExactly(2, 3, 4);
        assertThat(g.studentClass(5)).isEqualTo(2);
        assertThat(g.studentClass(4)).isEqualTo(1);
        float[] p = g.apply(new float[] {0.1f, 0.1f, 0.2f, 0.1f, 0.1f, 0.3f, 0.1f});
        assertThat(p[0]).isCloseTo(0.2f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[1]).isCloseTo(0.4f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[2]).isCloseTo(0.4f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void encodedFormReadsBackWithoutLabels() {
        ClassGroups g = ClassGroups.parse(List.of("dog=/retriever|pug/", "cat=0,1,6"), LABELS, LABELS.size());
        assertThat(g.encode()).isEqualTo("dog=2-4;cat=0-1,6");
        ClassGroups back = ClassGroups.decode(g.encode(), LABELS.size());
        assertThat(back.names()).isEqualTo(g.names());
        for (int i = 0; i < LABELS.size(); i++) {
            assertThat(back.studentClass(i)).isEqualTo(g.studentClass(i));
        }
    }

    @Test
    void groupsCoveringEveryClassHaveNoOther() {
        ClassGroups g = ClassGroups.parse(List.of("a=0-3", "b=4-6"), List.of(), 7);
        assertThat(g.hasOther()).isFalse();
        assertThat(g.size()).isEqualTo(2);
    }

    @Test
    void badDefinitionsSayWhatIsWrong() {
        assertThatThrownBy(() -> ClassGroups.parse(List.of("dog"), LABELS, 7)).hasMessageContaining("NAME=SPEC");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("dog=2-9"), LABELS, 7)).hasMessageContaining("outside");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("a=1-2", "b=2"), LABELS, 7))
                .hasMessageContaining("in both 'a' and 'b'");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("zebra=/zebra/"), LABELS, 7))
                .hasMessageContaining("matches no teacher class");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("other=1"), LABELS, 7)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("d=/x/"), List.of(), 7)).hasMessageContaining("no")
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("d=/(/"), LABELS, 7)).hasMessageContaining("bad pattern");
        assertThatThrownBy(() -> ClassGroups.parse(List.of("d=x-y"), LABELS, 7)).hasMessageContaining("neither");
    }
}
