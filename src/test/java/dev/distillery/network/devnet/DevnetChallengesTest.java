package dev.distillery.network.devnet;

import dev.distillery.distill.StudentTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.network.score.Challenge;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The challenges the app's devnet can judge, and the ledger folder each gets. */
class DevnetChallengesTest {
    static final String SHA = "E8AF074932D4ED7E232278E3055CEFCDEA3EDF178874A3694AE292649FB464DD";

    @Test
    void aDetectionChallengeIsJudgedOnAPoolAndNamedByItsClassesAndChoices() {
        Path pool = Path.of("frames").toAbsolutePath();
        Challenge c = DevnetChallenges.detection(SHA, List.of("person=0", "Sports Ball=32"), pool, 320, 4.0,
                2_000_000);
        assertThat(c.task()).isEqualTo(StudentTask.DETECTION);
        assertThat(c.teacherSha256()).isEqualTo(SHA.toLowerCase(java.util.Locale.ROOT));
        assertThat(c.classes()).containsExactly("person=0", "Sports Ball=32");
        assertThat(c.input()).isEqualTo(new Challenge.InputSpec(320, 320, 3));
        assertThat(c.data().isPool()).isTrue();
        assertThat(c.data().folder()).isEqualTo(pool.toString());
        assertThat(c.data().count()).isEqualTo(DevnetChallenges.POOL_FRAMES);
        assertThat(c.speedFloorMs()).isEqualTo(0.5);
        assertThat(c.sizeFloorBytes()).isEqualTo(200_000);
        assertThat(c.id()).matches("detect-person-sportsball-[0-9a-f]{8}");
        // the same choices, the same challenge; any other choice, another one (and another ledger)
        assertThat(DevnetChallenges.detection(SHA, List.of("person=0", "Sports Ball=32"), pool, 320, 4.0, 2_000_000)
                .id()).isEqualTo(c.id());
        for (Challenge other : List.of(
                DevnetChallenges.detection(SHA, List.of("person=0"), pool, 320, 4.0, 2_000_000),
                DevnetChallenges.detection(SHA, List.of("person=0", "Sports Ball=32"), pool.resolve("x"), 320, 4.0,
                        2_000_000),
                DevnetChallenges.detection(SHA, List.of("person=0", "Sports Ball=32"), pool, 416, 4.0, 2_000_000),
                DevnetChallenges.detection(SHA, List.of("person=0", "Sports Ball=32"), pool, 320, 3.5, 2_000_000))) {
            assertThat(other.id()).isNotEqualTo(c.id());
            assertThat(DevnetChallenges.folder(Path.of("root"), other))
                    .isNotEqualTo(DevnetChallenges.folder(Path.of("root"), c));
        }
        assertThat(Challenge.fromJson(c.toJson())).isEqualTo(c);
    }

    @Test
    void theBuiltInChallengeKeepsTheDevnetFolderAndOthersGetTheirOwn() {
        Path root = Path.of("data");
        assertThat(DevnetChallenges.folder(root, null)).isEqualTo(root.resolve("devnet"));
        assertThat(DevnetChallenges.folder(root, Challenge.devnetDefault())).isEqualTo(root.resolve("devnet"));
        Challenge c = DevnetChallenges.detection(SHA, List.of("person=0"), Path.of("f"), 256, 2, 1_000_000);
        assertThat(DevnetChallenges.folder(root, c)).isEqualTo(root.resolve("devnet-" + c.id()));
        assertThat(DevnetChallenges.isBuiltIn(c)).isFalse();
    }

    @Test
    void theProposedBudgetIsUnderHalfTheTeachersTime() {
        assertThat(DevnetChallenges.proposedBudgetMs(8.6)).isEqualTo(4.0);
        assertThat(DevnetChallenges.proposedBudgetMs(100)).isEqualTo(45.0);
        assertThat(DevnetChallenges.proposedBudgetMs(1.0)).isEqualTo(1.0);
        assertThat(DevnetChallenges.proposedBudgetMs(Double.NaN)).isEqualTo(4.0);
    }

    @Test
    void badChoicesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DevnetChallenges.detection(SHA, List.of(), Path.of("f"), 320, 4, 2_000_000))
                .hasMessageContaining("at least one class");
        assertThatThrownBy(() -> DevnetChallenges.detection(SHA, List.of("person=0"), Path.of("f"), 300, 4, 2_000_000))
                .hasMessageContaining("multiple of 32");
    }
}
