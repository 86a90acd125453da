package dev.distillery.network.miner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.network.crypto.HotkeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdenticonTest {
    static final byte[] KEY = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    @Test
    void theSameKeyAlwaysGivesTheSamePicture() {
        Identicon a = Identicon.of(KEY);
        Identicon b = Identicon.of(KEY.clone());

        assertThat(b.rgb()).isEqualTo(a.rgb());
        assertThat(b.pixels(40)).isEqualTo(a.pixels(40));
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 5; col++) {
                assertThat(b.cell(row, col)).isEqualTo(a.cell(row, col));
            }
        }
    }

    @Test
    void theGridIsMirroredLeftToRight() {
        for (int i = 0; i < 20; i++) {
            Identicon icon = Identicon.of(HotkeyPair.generate().hotkey().bytes());
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 5; col++) {
                    assertThat(icon.cell(row, col)).isEqualTo(icon.cell(row, 4 - col));
                }
            }
        }
    }

    @Test
    void differentKeysGiveDifferentPictures() {
        byte[] other = KEY.clone();
        other[31] ^= 1;
        assertThat(Identicon.of(other).pixels(10)).isNotEqualTo(Identicon.of(KEY).pixels(10));
        assertThat(Identicon.of(other).rgb()).isNotEqualTo(Identicon.of(KEY).rgb());
    }

    @Test
    void theColourIsNeitherGreyNorTooDarkOrLight() {
        for (int i = 0; i < 50; i++) {
            int rgb = Identicon.of(HotkeyPair.generate().hotkey().bytes()).rgb();
            int r = rgb >> 16 & 0xFF;
            int g = rgb >> 8 & 0xFF;
            int b = rgb & 0xFF;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            assertThat(max - min).as("chroma of #%06X", rgb).isGreaterThan(40);
            assertThat((max + min) / 2).as("lightness of #%06X", rgb).isBetween(90, 150);
        }
    }

    @Test
    void pixelsAreSizeBySizeOpaqueAndFollowTheCells() {
        Identicon icon = Identicon.of(KEY);
        int size = 50;
        int[] pixels = icon.pixels(size);

        assertThat(pixels).hasSize(size * size);
        assertThat(Arrays.stream(pixels).allMatch(p -> (p >>> 24) == 0xFF)).isTrue();
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 5; col++) {
                int centre = pixels[(row * 10 + 5) * size + col * 10 + 5];
                assertThat(centre & 0xFFFFFF).isEqualTo(icon.cell(row, col) ? icon.rgb() : Identicon.BACKGROUND);
            }
        }
        assertThat(icon.pixels(7)).hasSize(49);
        assertThat(icon.pixels(1)).hasSize(1);
        assertThatThrownBy(() -> icon.pixels(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> icon.cell(5, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
