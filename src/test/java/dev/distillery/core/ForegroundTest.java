package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForegroundTest {
    @Test
    void backgroundWorkWaitsWhileARunTrainsAndGoesOnWhenItEnds() throws Exception {
        assertThat(Foreground.awaitIdle(Duration.ZERO)).isTrue();
        Foreground.Handle run = Foreground.begin();
        assertThat(Foreground.busy()).isTrue();
        assertThat(Foreground.awaitIdle(Duration.ofMillis(50))).as("the wait runs out while training").isFalse();
        CompletableFuture<Boolean> evaluation = CompletableFuture.supplyAsync(() -> {
            try {
                return Foreground.awaitIdle(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                return false;
            }
        });
        Thread.sleep(100);
        assertThat(evaluation).isNotDone();
        run.close();
        run.close(); // twice is harmless: the count does not go below zero
        assertThat(evaluation.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Foreground.busy()).isFalse();
    }
}
