package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.ChildJvm;
import dev.distillery.ui.network.NetworkSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local devnet cannot start because another process holds its files ('distillery devnet' in a terminal on the
 * same data directory): the Network screen says so and what to do, instead of a bare "Not connected".
 */
class DevnetBusyTest {
    @TempDir
    Path dir;
    ShellFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theNetworkScreenSaysWhyTheDevnetDidNotStart() throws Exception {
        Path data = dir.resolve("data");
        Path ledger = Files.createDirectories(data.resolve("devnet").resolve("ledger")).resolve("ledger");
        try (ChildJvm other = ChildJvm.start(HoldLedgerChild.class, ledger.toString())) {
            other.awaitLine("READY", 60);
            fx = ShellFixture.start(data);
            var feed = fx.app.window().context().network();
            fx.robot.interact(() -> fx.app.window().context().navigator().go(Screen.NETWORK));
            fx.await("the empty state", () -> fx.exists("#network-start-devnet"));
            assertThat(fx.robot.lookup("#network-stopped-reason").tryQuery().map(Node::isVisible).orElse(false))
                    .as("nothing went wrong yet").isFalse();
            fx.clickWhenVisible("#network-start-devnet");
            ShellFixture.await("the devnet to give up", 90, () -> fx.exists("#network-stopped-reason")
                    && fx.find("#network-stopped-reason", Label.class).isVisible());
            assertThat(feed.snapshotProperty().get().state()).isEqualTo(NetworkSnapshot.State.STOPPED);
            assertThat(fx.find("#network-stopped-reason", Label.class).getText())
                    .startsWith("The local devnet did not start")
                    .contains("in use by another process")
                    .contains("distillery devnet")
                    .contains(data.resolve("devnet").toString());
            assertThat(fx.exists("#network-start-devnet")).as("Start is there to try again").isTrue();
        }
    }
}
