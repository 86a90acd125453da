package dev.distillery.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorSpecTest {
    @Test
    void shapeTextKeepsShortAxisNamesAndHidesGeneratedOnes() {
        assertThat(new TensorSpec("x", "float", List.of(-1L, 3L, 224L, 224L), List.of("N", "", "", "")).shapeText())
                .isEqualTo("[N, 3, 224, 224]");
        assertThat(new TensorSpec("x", "float", List.of(-1L, 3L, -1L, -1L),
                List.of("p2o.DynamicDimension.0", "", "p2o.DynamicDimension.1", "")).shapeText())
                .isEqualTo("[?, 3, ?, ?]");
    }
}
