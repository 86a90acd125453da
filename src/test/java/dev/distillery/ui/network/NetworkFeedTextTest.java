package dev.distillery.ui.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The validator line of the Network screen counts its miners in English. */
class NetworkFeedTextTest {
    @Test
    void oneMinerIsSingular() {
        assertThat(NetworkFeed.weightsText(12, 1)).isEqualTo("weights set for epoch 12 over 1 miner");
        assertThat(NetworkFeed.weightsText(12, 5)).isEqualTo("weights set for epoch 12 over 5 miners");
    }
}
