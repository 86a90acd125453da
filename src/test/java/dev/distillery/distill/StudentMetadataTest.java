package dev.distillery.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.distillery.metrics.ClassMapping;
import dev.distillery.metrics.MapIou;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudentMetadataTest {
    @Test
    void groupsSumTheirTeacherClassesAndTheRestGoesToOther() {
        ClassMapping m = StudentMetadata.classMapping(Map.of(StudentMetadata.GROUPS, "dog=1-2;cat=4, 0"), 6, List.of());
        assertThat(m.names()).containsExactly("dog", "cat", "other");
        assertThat(m.teacherClasses()).isEqualTo(6);
        double[] p = m.apply(new float[] {0.1f, 0.2f, 0.3f, 0.05f, 0.25f, 0.1f});
        assertThat(p[0]).isCloseTo(0.5, within(1e-6));
        assertThat(p[1]).isCloseTo(0.35, within(1e-6));
        assertThat(p[2]).isCloseTo(0.15, within(1e-6));
        assertThat(m.studentClassOf(3)).isEqualTo(2);
        assertThat(StudentMetadata.grouped(Map.of(StudentMetadata.GROUPS, "a=0"))).isTrue();
    }

    @Test
    void theStudentsOwnLabelsWinAndOverlapsAreRefused() {
        ClassMapping m = StudentMetadata.classMapping(Map.of(StudentMetadata.GROUPS, "a=0-1;b=2"), 3,
                List.of("x", "y"));
        assertThat(m.names()).containsExactly("x", "y");
        assertThat(m.studentClassOf(1)).isZero();
        assertThatThrownBy(() -> StudentMetadata.classMapping(Map.of(StudentMetadata.GROUPS, "a=0-1;b=1-2"), 3, null))
                .hasMessageContaining("in both 'a' and 'b'");
    }

    @Test
    void withoutGroupsItIsTheIdentity() {
        ClassMapping m = StudentMetadata.classMapping(Map.of(), 2, List.of("up", "down"));
        assertThat(m.isIdentity()).isTrue();
        assertThat(m.names()).containsExactly("up", "down");
        assertThat(StudentMetadata.grouped(Map.of())).isFalse();
    }

    @Test
    void mapThresholdFromMetadataElseTheDefault() {
        assertThat(StudentMetadata.mapThreshold(Map.of(StudentMetadata.MAP_THRESHOLD, "0.4"))).isEqualTo(0.4);
        assertThat(StudentMetadata.mapThreshold(Map.of())).isEqualTo(MapIou.DEFAULT_THRESHOLD);
    }
}
