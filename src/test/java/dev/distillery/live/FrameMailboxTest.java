package dev.distillery.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameMailboxTest {
    static LiveFrame frame(long n) {
        return new LiveFrame(0, n, null, 0, 0, null, 1.0);
    }

    @Test
    void theNewestFrameWinsAndTheConsumerIsToldOnce() {
        FrameMailbox box = new FrameMailbox();
        assertThat(box.take()).isNull();
        assertThat(box.offer(frame(1))).isTrue();
        assertThat(box.offer(frame(2))).as("already pending").isFalse();
        assertThat(box.offer(frame(3))).isFalse();
        assertThat(box.take().frameNumber()).isEqualTo(3);
        assertThat(box.take()).isNull();
        assertThat(box.offer(frame(4))).isTrue();
    }
}
