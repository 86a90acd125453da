package dev.distillery.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.tls.ServerIdentity;
import dev.distillery.store.NetworkStore;
import dev.distillery.ui.network.NetworkFeed;
import dev.distillery.ui.network.NetworkSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app on a remote ledger over TLS: connected through the Connect dialog, the certificate is pinned on first
 * use; the ledger is stopped and started again on the same port while the app runs, and afterwards the app's H2
 * holds every epoch exactly once; a ledger that comes back with another certificate is refused with the loud
 * warning, and nothing more is stored from it.
 */
class RemoteReconnectTest {
    @TempDir
    Path dir;
    ShellFixture fx;
    LedgerServer ledger;
    final HotkeyPair owner = HotkeyPair.generate();
    final HotkeyPair validator = HotkeyPair.generate();
    final HotkeyPair miner = HotkeyPair.generate();

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    /** A TLS ledger with an epoch every 5 × 60 ms, whose certificate lives in {@code tlsFolder}. */
    LedgerServer start(int port, String tlsFolder) throws Exception {
        Ledger.Config config = new Ledger.Config(5, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18, owner.hotkey().ss58());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", port, config, 60,
                        k -> k.equals(validator.hotkey().ss58()) ? 100 : 0,
                        ServerIdentity.loadOrCreate(dir.resolve(tlsFolder), "127.0.0.1"));
            } catch (IOException e) { // the old socket may hold the port a moment
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    static void await(String what, Supplier<Boolean> condition) {
        ShellFixture.await(what, 90, condition);
    }

    String status() {
        return fx.find("#status-network", Label.class).getText();
    }

    @Test
    void reconnectsWithoutGapOrDuplicateAndRefusesAChangedCertificate() throws Exception {
        ledger = start(0, "tls-a");
        int port = ledger.port();
        String address = "127.0.0.1:" + port;
        var pinned = ServerIdentity.loadOrCreate(dir.resolve("tls-a"), "127.0.0.1");
        // someone pays a miner, so every report has shares
        try (LedgerClient v = LedgerClient.pinned("127.0.0.1", port, pinned.fingerprint(), validator);
             LedgerClient m = LedgerClient.pinned("127.0.0.1", port, pinned.fingerprint(), miner)) {
            v.register(false);
            int uid = m.register(false).getUid();
            // a weight set in the miner's registration block is masked by Yuma for good: let a block pass
            long registeredBy = m.block();
            await("a block after the miner registered", () -> m.block() > registeredBy);
            v.setWeights(Map.of(uid, 1.0));
        }

        fx = ShellFixture.start(dir.resolve("data"));
        ShellContext ctx = fx.app.window().context();
        fx.robot.interact(() -> ctx.navigator().go(Screen.NETWORK));
        fx.clickWhenVisible("#network-connect-remote");
        fx.clickWhenVisible("#connect-remote");
        fx.robot.clickOn("#connect-ledger").write(address);
        fx.robot.clickOn("#connect-ok");
        await("the remote ledger to be followed", () -> ctx.network().snapshotProperty().get().state()
                == NetworkSnapshot.State.RUNNING);
        assertThat(ctx.settings().get("network.pin." + address)).as("pinned on first use")
                .hasValueSatisfying(p -> assertThat(p.replace(":", "")).isEqualToIgnoringCase(
                        pinned.fingerprint().replace(":", "")));
        NetworkStore store = fx.session.database().network();
        String ledgerId = address;
        await("a few epochs stored", () -> store.countEpochs(ledgerId) >= 3);

        ledger.close();
        ledger = null;
        await("the status bar to say the ledger is gone", () -> status().contains("unreachable")
                || status().contains("reconnecting"));
        long storedWhileDown = store.countEpochs(ledgerId);
        Thread.sleep(1500); // epochs the app cannot see: the ledger is down, nothing is produced or stored
        ledger = start(port, "tls-a");
        long resumedAt;
        try (LedgerClient c = LedgerClient.pinned("127.0.0.1", port, pinned.fingerprint(), null)) {
            resumedAt = c.metagraph().getEpoch();
        }
        await("the stream to resume past the restart", () -> store.countEpochs(ledgerId) >= resumedAt + 3);
        await("the status bar to recover", () -> status().contains("· block") && !status().contains("unreachable"));
        List<Long> epochs = store.epochs(ledgerId).stream().map(NetworkStore.EpochRow::epoch).toList();
        assertThat(epochs).as("every epoch exactly once, no gap").containsExactlyElementsOf(
                LongStream.rangeClosed(1, epochs.size()).boxed().toList());
        assertThat(epochs.size()).isGreaterThan((int) storedWhileDown);

        // the server comes back with another certificate: a loud warning, and the app stops following it
        ledger.close();
        ledger = start(port, "tls-b");
        fx.robot.interact(() -> ctx.network().connectRemote(ctx.network().remoteLedger(),
                ctx.network().remoteValidators()));
        await("the changed-certificate warning", () -> ctx.network().snapshotProperty().get().state()
                == NetworkSnapshot.State.UNTRUSTED);
        await("the banner", () -> fx.robot.lookup("#network-untrusted").tryQuery().map(Node::isVisible)
                .orElse(false));
        assertThat(fx.find("#network-untrusted", Label.class).getText()).contains(address);
        assertThat(status()).contains("certificate changed");
        // the notice is posted on its own hop to the FX thread, so it may land a moment after the banner
        await("the changed-certificate notice", () -> ctx.network().notices().recent().stream().anyMatch(n -> n.kind()
                == dev.distillery.ui.network.Notices.Kind.CERTIFICATE_CHANGED && n.text().contains(address)));
        assertThat(ctx.settings().get("network.pin." + address)).as("the old pin is kept")
                .hasValueSatisfying(p -> assertThat(p.replace(":", "")).isEqualToIgnoringCase(
                        pinned.fingerprint().replace(":", "")));
        long afterWarning = store.countEpochs(ledgerId);
        Thread.sleep(1000);
        assertThat(store.countEpochs(ledgerId)).as("nothing is read from an untrusted server").isEqualTo(afterWarning);
    }

    /** A free loopback port nothing listens on. */
    static int deadPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aValidatorThatDoesNotAnswerDoesNotKeepTheUserOffTheNetwork() throws Exception {
        ledger = start(0, "tls-a");
        String never = "127.0.0.1:" + deadPort();
        String known = "127.0.0.1:" + deadPort();
        fx = ShellFixture.start(dir.resolve("data"));
        ShellContext ctx = fx.app.window().context();
        // one validator followed before (its certificate pinned then), one never seen; neither answers now
        ctx.settings().put("network.pin." + known, "ab".repeat(32));
        var feed = ctx.network();
        fx.robot.interact(() -> feed.connectRemote(NetworkFeed.Endpoint.parse("127.0.0.1:" + ledger.port()),
                List.of(NetworkFeed.Endpoint.parse(never), NetworkFeed.Endpoint.parse(known))));
        await("connected to the ledger", () -> feed.snapshotProperty().get().state() == NetworkSnapshot.State.RUNNING);
        assertThat(feed.link().validators()).as("the pinned one is followed, the unknown one left out")
                .extracting(NetworkFeed.Endpoint::address).containsExactly(known);
        await("the left-out notice", () -> feed.notices().recent().stream().anyMatch(n -> n.kind()
                == dev.distillery.ui.network.Notices.Kind.VALIDATOR_UNREACHABLE && n.text().contains(never)
                && n.text().contains("connected without it")));
        await("the pinned one reported unreachable", () -> feed.notices().recent().stream().anyMatch(n -> n.kind()
                == dev.distillery.ui.network.Notices.Kind.VALIDATOR_UNREACHABLE && n.text().contains(known)));
        assertThat(ctx.settings().get("network.pin." + never)).as("nothing pinned for a server never read").isEmpty();
    }
}
