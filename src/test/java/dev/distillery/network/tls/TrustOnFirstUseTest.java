package dev.distillery.network.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust on first use against a real TLS ledger: the first probe remembers the certificate and a pinned client then
 * connects; the same server again is known; a server with a new certificate on the same address is reported as
 * changed, with both fingerprints, and the remembered one is kept.
 */
class TrustOnFirstUseTest {
    @TempDir
    Path dir;

    final Map<String, String> pins = new HashMap<>();
    final TrustOnFirstUse.PinStore store = new TrustOnFirstUse.PinStore() {
        @Override
        public Optional<String> pinned(String address) {
            return Optional.ofNullable(pins.get(address));
        }

        @Override
        public void pin(String address, String fingerprint) {
            pins.put(address, fingerprint);
        }
    };

    LedgerServer ledger(String identity, int port) throws Exception {
        ServerIdentity id = ServerIdentity.loadOrCreate(dir.resolve(identity), "127.0.0.1");
        return LedgerServer.start(dir.resolve("ledger-" + identity).resolve("ledger"), "127.0.0.1", port,
                Ledger.Config.devnet(HotkeyPair.generate().hotkey().ss58()), 1000, hk -> 0.0, id);
    }

    @Test
    void firstUseIsRememberedThenKnownAndAChangeIsReportedNotAccepted() throws Exception {
        int port;
        String first;
        try (LedgerServer a = ledger("a", 0)) {
            port = a.port();
            String address = "127.0.0.1:" + port;
            String fp = TrustOnFirstUse.probe("127.0.0.1", port, 5000);
            assertThat(fp).isEqualTo(ServerIdentity.loadOrCreate(dir.resolve("a"), "127.0.0.1").fingerprint());
            assertThat(TrustOnFirstUse.check(address, fp, store)).isInstanceOf(TrustOnFirstUse.FirstUse.class);
            first = pins.get(address);
            try (LedgerClient c = LedgerClient.pinned("127.0.0.1", port, first, null)) {
                assertThat(c.metagraph().getTempo()).isPositive();
            }
            assertThat(TrustOnFirstUse.check(address, TrustOnFirstUse.probe("127.0.0.1", port, 5000), store))
                    .isEqualTo(new TrustOnFirstUse.Known(first));
        }
        // another server (a new certificate) comes up at the same address
        try (LedgerServer b = ledger("b", port)) {
            String address = "127.0.0.1:" + port;
            var v = TrustOnFirstUse.check(address, TrustOnFirstUse.probe("127.0.0.1", b.port(), 5000), store);
            assertThat(v).isInstanceOf(TrustOnFirstUse.Changed.class);
            var changed = (TrustOnFirstUse.Changed) v;
            assertThat(changed.expected()).isEqualTo(first);
            assertThat(changed.fingerprint()).isNotEqualTo(first);
            assertThat(changed.warning(address)).contains(first).contains(changed.fingerprint())
                    .contains("will not connect");
            assertThat(pins.get(address)).as("the remembered certificate is kept").isEqualTo(first);
        }
    }
}
