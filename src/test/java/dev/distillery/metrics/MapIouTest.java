package dev.distillery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MapIouTest {
    @Test
    void perImageIouAtTheThreshold() {
        float[] a = {0.9f, 0.3f, 0.1f, 0.8f};
        float[] b = {0.4f, 0.2f, 0.5f, 0.29f};
        // at 0.3: a marks {0, 1, 3}, b marks {0, 2}; ∩ = {0}, ∪ = {0, 1, 2, 3}
        assertThat(MapIou.iou(a, b, 0.3)).isCloseTo(0.25, within(1e-12));
        // at 0.5: a marks {0, 3}, b marks {2}: ∩ empty
        assertThat(MapIou.iou(a, b, 0.5)).isZero();
        assertThat(MapIou.iou(MapIou.binarize(a, 0.3), MapIou.binarize(b, 0.3))).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void twoEmptyMapsAgreeFully() {
        float[] z = {0.1f, 0.2f};
        assertThat(MapIou.iou(z, z, 0.3)).isEqualTo(1.0);
        assertThat(MapIou.iou(MapIou.binarize(z, 0.3), MapIou.binarize(z, 0.3))).isEqualTo(1.0);
    }

    @Test
    void pooledWeighsPixelsAndMeanWeighsImages() {
        MapIou.Accumulator acc = new MapIou.Accumulator(0.5);
        // image 1: ∩ 1, ∪ 1 (IoU 1); image 2: ∩ 0, ∪ 3 (IoU 0)
        acc.add(new float[] {1, 0, 0}, new float[] {1, 0, 0});
        acc.add(new float[] {1, 1, 0}, new float[] {0, 0, 1});
        assertThat(acc.pooled()).isCloseTo(0.25, within(1e-12));
        assertThat(acc.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(acc.firstMarkedFraction()).isCloseTo(3 / 6.0, within(1e-12));
        assertThat(acc.secondMarkedFraction()).isCloseTo(2 / 6.0, within(1e-12));
        assertThat(acc.images()).isEqualTo(2);
    }

    @Test
    void thresholdComesFromMetadataWithOneDefault() {
        assertThat(MapIou.threshold("0.45")).isEqualTo(0.45);
        assertThat(MapIou.threshold(null)).isEqualTo(MapIou.DEFAULT_THRESHOLD);
        assertThat(MapIou.threshold("abc")).isEqualTo(MapIou.DEFAULT_THRESHOLD);
        assertThat(MapIou.threshold("1.5")).isEqualTo(MapIou.DEFAULT_THRESHOLD);
    }
}
