package dev.distillery.ui.distill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The empty Distill screen asks for a teacher only when the library has none. */
class DistillViewTextTest {
    @Test
    void importFirstOnlyWithAnEmptyLibrary() {
        assertThat(DistillView.nextStep(0)).contains("your library has none yet", "Teachers screen");
        assertThat(DistillView.nextStep(1)).contains("pick your teacher").doesNotContain("none");
        assertThat(DistillView.nextStep(3)).contains("one of your 3 teachers").doesNotContain("none");
        assertThat(DistillView.nextStep(-1)).doesNotContain("none").doesNotContain("import");
    }
}
