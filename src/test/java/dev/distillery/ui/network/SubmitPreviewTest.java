package dev.distillery.ui.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.devnet.DevnetChallenges;
import dev.distillery.network.score.Challenge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the submit preview can score a challenge on this computer, and what it says when it cannot. */
class SubmitPreviewTest {
    @TempDir
    Path dir;

    @Test
    void aPoolOnThisComputerOrGeneratedImagesArePreviewedAndAPoolElsewhereIsSaidToBeTheValidators() throws Exception {
        Path here = Files.createDirectories(dir.resolve("frames"));
        String sha = "0".repeat(64);
        assertThat(SubmitDialog.previewImpossible(DevnetChallenges.detection(sha, List.of("person=0"), here, 320, 4,
                2_000_000))).isNull();
        assertThat(SubmitDialog.previewImpossible(Challenge.devnetDefault())).isNull();
        String why = SubmitDialog.previewImpossible(DevnetChallenges.detection(sha, List.of("person=0"),
                dir.resolve("on-the-validator"), 320, 4, 2_000_000));
        assertThat(why).contains("validators' own pool").contains("on-the-validator").contains("You can still submit");
    }
}
