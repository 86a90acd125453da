package dev.distillery.distill.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupMappingTest {
    @Test
    void groupsSumTheirTeacherClassesAndTheRestGoesToOther() {
        GroupMapping m = GroupMapping.decode("dog=1-2;cat=4, 0", 6);
        assertThat(m.names()).containsExactly("dog", "cat", "other");
        assertThat(m.teacherClasses()).isEqualTo(6);
        double[] p = m.apply(new float[] {0.1f, 0.2f, 0.3f, 0.05f, 0.25f, 0.1f});
        assertThat(p[0]).isCloseTo(0.5, within(1e-6));
        assertThat(p[1]).isCloseTo(0.35, within(1e-6));
        assertThat(p[2]).isCloseTo(0.15, within(1e-6));
        assertThat(m.studentClassOf(3)).isEqualTo(2);
    }

    @Test
    void noOtherWhenEveryClassIsInAGroupAndOverlapsAreRefused() {
        GroupMapping m = GroupMapping.decode("a=0-1;b=2", 3);
        assertThat(m.names()).containsExactly("a", "b");
        assertThat(m.studentClassOf(1)).isZero();
        assertThatThrownBy(() -> GroupMapping.decode("a=0-1;b=1-2", 3)).hasMessageContaining("in both 'a' and 'b'");
        assertThat(m.withNames(List.of("x", "y")).names()).containsExactly("x", "y");
    }

    @Test
    void identityNamesByLabelsOrByIndex() {
        assertThat(GroupMapping.identity(2, List.of()).names()).containsExactly("0", "1");
        assertThat(GroupMapping.identity(2, List.of("up", "down")).names()).containsExactly("up", "down");
        assertThat(GroupMapping.identity(2, null).apply(new float[] {0.3f, 0.7f})).containsExactly(0.3f, 0.7f);
    }

    @Test
    void badGroupsSaySo() {
        assertThatThrownBy(() -> GroupMapping.decode("dog=1-9", 5)).hasMessageContaining("outside the teacher's "
                + "classes 0-4");
        assertThatThrownBy(() -> GroupMapping.decode("dog=x", 5)).hasMessageContaining("'x'");
        assertThatThrownBy(() -> GroupMapping.decode("dog", 5)).hasMessageContaining("NAME=SPEC");
        assertThatThrownBy(() -> GroupMapping.decode(" ; ", 5)).hasMessageContaining("NAME=SPEC");
    }
}
