package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotkeyTest {
    @TempDir
    Path dir;

    @Test
    void rfc8032TestVectorOne() {
        // RFC 8032 §7.1, TEST 1: empty message
        HotkeyPair pair = HotkeyPair.fromSeed(HexFormat.of().parseHex(
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(pair.hotkey().hex()).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HexFormat.of().formatHex(pair.sign(new byte[0]))).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void signaturesVerifyOnlyForTheirKeyAndMessage() {
        HotkeyPair a = HotkeyPair.generate();
        HotkeyPair b = HotkeyPair.generate();
        byte[] message = "commit 42".getBytes(StandardCharsets.UTF_8);
        byte[] signature = a.sign(message);
        assertThat(signature).hasSize(64);
        assertThat(a.hotkey().verify(message, signature)).isTrue();
        assertThat(b.hotkey().verify(message, signature)).isFalse();
        assertThat(a.hotkey().verify("commit 43".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(a.hotkey().verify(message, new byte[63])).isFalse();
        assertThat(a.hotkey().bytes()).hasSize(32);
        assertThat(Hotkey.fromSs58(a.hotkey().ss58())).isEqualTo(a.hotkey());
        assertThat(a.toString()).doesNotContain(HexFormat.of().formatHex(a.seed()));
    }

    @Test
    void malformedPublicKeysAreRefused() {
        assertThatThrownBy(() -> Hotkey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        byte[] offCurve = new byte[32];
        offCurve[0] = 2; // y = 2 has no x on the curve
        assertThatThrownBy(() -> Hotkey.of(offCurve)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid Ed25519 public key");
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral point: small order, would accept forged signatures
        assertThatThrownBy(() -> Hotkey.of(identity)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void savedKeysLoadBackWithOwnerOnlyPermissions() throws IOException {
        HotkeyFiles files = new HotkeyFiles(dir.resolve("wallets"));
        HotkeyPair pair = files.create("miner-1");
        HotkeyPair loaded = files.load("miner-1");
        assertThat(loaded.hotkey()).isEqualTo(pair.hotkey());
        assertThat(loaded.seed()).isEqualTo(pair.seed());
        assertThat(files.loadPublic("miner-1")).isEqualTo(pair.hotkey());
        assertThat(files.names()).containsExactly("miner-1");
        byte[] message = {1, 2, 3};
        assertThat(pair.hotkey().verify(message, loaded.sign(message))).isTrue();
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyFile("miner-1"))))
                    .isEqualTo("rw-------");
        }
        assertThatThrownBy(() -> files.save("miner-1", HotkeyPair.generate())).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(files.load("miner-1").hotkey()).isEqualTo(pair.hotkey());
    }

    @Test
    void damagedKeyFilesAndBadNamesAreRefused() throws IOException {
        HotkeyFiles files = new HotkeyFiles(dir);
        HotkeyPair pair = files.create("v");
        String text = Files.readString(files.keyFile("v"));
        String other = HotkeyPair.generate().hotkey().hex();
        Files.writeString(files.keyFile("v"), text.replace(pair.hotkey().hex(), other));
        assertThatThrownBy(() -> files.load("v")).isInstanceOf(IOException.class).hasMessageContaining("does not belong");
        Files.writeString(files.keyFile("v"), "hello\n");
        assertThatThrownBy(() -> files.load("v")).isInstanceOf(IOException.class).hasMessageContaining("not a Distillery hotkey");
        assertThatThrownBy(() -> files.keyFile("../escape")).isInstanceOf(IllegalArgumentException.class);
    }
}
