package dev.distillery.network.score;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void devnetDefaultIsTheDesignsChallengeAndSurvivesJson() {
        Challenge c = Challenge.devnetDefault();
        assertThat(c.task()).isEqualTo(StudentTask.DENSE);
        assertThat(c.input()).isEqualTo(new Challenge.InputSpec(320, 320, 3));
        assertThat(c.latencyBudgetMs()).isEqualTo(10.0);
        assertThat(c.sizeCapBytes()).isEqualTo(1_500_000L);
        assertThat(c.mapThreshold()).isEqualTo(0.3);
        assertThat(c.weights()).isEqualTo(new Challenge.Weights(0.8, 0.1, 0.1));
        assertThat(c.teacherSha256()).hasSize(64);
        String json = c.toJson();
        assertThat(json).contains("\"teacherSha256\"", "\"latencyBudgetMs\":10.0", "\"DENSE\"").doesNotContain("generated");
        assertThat(Challenge.fromJson(json)).isEqualTo(c);
    }

    @Test
    void epochSeedIsAPureFunctionOfEpochAndSecret() {
        byte[] secret = "validator-1".getBytes(StandardCharsets.UTF_8);
        long a = Challenge.epochSeed("devnet-text-det", 42, secret);
        assertThat(Challenge.epochSeed("devnet-text-det", 42, secret.clone())).isEqualTo(a);
        assertThat(Challenge.epochSeed("devnet-text-det", 43, secret)).isNotEqualTo(a);
        assertThat(Challenge.epochSeed("devnet-text-det", 42, "validator-2".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(a);
        assertThat(a).isNotNegative();
        Challenge e = Challenge.devnetDefault().forEpoch(42, secret);
        assertThat(e.data().seed()).isEqualTo(a);
        assertThat(e.data().count()).isEqualTo(200);
    }

    @Test
    void floorsMustBeBelowTheCaps() {
        Challenge c = Challenge.devnetDefault();
        assertThatThrownBy(() -> c.withLatencyBudget(1.0, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
