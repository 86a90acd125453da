package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluralTest {
    @Test
    void oneIsSingularEverythingElsePlural() {
        assertThat(Plural.of(1, "miner")).isEqualTo("1 miner");
        assertThat(Plural.of(2, "miner")).isEqualTo("2 miners");
        assertThat(Plural.of(0, "miner")).isEqualTo("0 miners");
        assertThat(Plural.of(-1, "block")).isEqualTo("-1 blocks");
        assertThat(Plural.noun(1, "validator")).isEqualTo("validator");
        assertThat(Plural.noun(7, "validator")).isEqualTo("validators");
    }

    @Test
    void regularSpellingRules() {
        assertThat(Plural.of(3, "class")).isEqualTo("3 classes");
        assertThat(Plural.of(1, "class")).isEqualTo("1 class");
        assertThat(Plural.of(2, "box")).isEqualTo("2 boxes");
        assertThat(Plural.of(2, "batch")).isEqualTo("2 batches");
        assertThat(Plural.of(40, "epoch")).isEqualTo("40 epochs");
        assertThat(Plural.of(2, "entry")).isEqualTo("2 entries");
        assertThat(Plural.of(2, "day")).isEqualTo("2 days");
        assertThat(Plural.of(2, "UID")).isEqualTo("2 UIDs");
    }
}
