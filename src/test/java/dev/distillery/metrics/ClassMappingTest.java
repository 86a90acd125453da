package dev.distillery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassMappingTest {
    @Test
    void theTeachersStudentClassIsTheArgmaxOfGroupedSumsNotTheGroupOfItsTopClass() {
        // teacher classes 0-2 are dogs, 3 a cat, 4 other
        ClassMapping m = ClassMapping.of(new int[] {0, 0, 0, 1, 2}, List.of("dog", "cat", "other"));
        float[] p = {0.2f, 0.2f, 0.2f, 0.3f, 0.1f};
        assertThat(m.apply(p)).containsExactly(new double[] {0.6000000089406967, 0.30000001192092896, 0.10000000149011612},
                org.assertj.core.data.Offset.offset(1e-6));
        // the teacher's top-1 class (3, a cat) would say "cat"; the grouped distribution says "dog"
        assertThat(m.studentClass(p)).isZero();
        assertThat(m.isIdentity()).isFalse();
        assertThat(m.studentClassOf(3)).isEqualTo(1);
    }

    @Test
    void identityKeepsClassesAndNamesOnlyWhenThereIsOnePerClass() {
        assertThat(ClassMapping.identity(2, List.of("up", "down")).names()).containsExactly("up", "down");
        assertThat(ClassMapping.identity(2, List.of("x")).names()).containsExactly("0", "1");
        ClassMapping id = ClassMapping.identity(3, null);
        assertThat(id.isIdentity()).isTrue();
        assertThat(id.studentClass(new float[] {0.1f, 0.5f, 0.4f})).isEqualTo(1);
        assertThat(id.withNames(List.of("a", "b", "c")).names()).containsExactly("a", "b", "c");
    }

    @Test
    void refusesWrongSizes() {
        ClassMapping m = ClassMapping.of(new int[] {0, 1}, List.of("a", "b"));
        assertThatThrownBy(() -> m.apply(new float[3])).hasMessageContaining("Expected 2");
        assertThatThrownBy(() -> ClassMapping.of(new int[] {0, 2}, List.of("a", "b"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> m.withNames(List.of("a"))).hasMessageContaining("Expected 2 names");
    }

    @Test
    void argmaxTakesTheFirstOnTies() {
        assertThat(ClassMapping.argmax(new double[] {0.5, 0.5})).isZero();
        assertThat(ClassMapping.argmax(new float[] {0.1f, 0.7f, 0.7f})).isEqualTo(1);
    }
}
