package dev.distillery.network.miner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.teacher.library.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletTest {
    /** Cheap Argon2id cost so the tests run fast; production uses {@link KdfParams#DEFAULT}. */
    static final KdfParams FAST = new KdfParams(64, 1, 1);
    static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    @TempDir
    Path dir;

    private static char[] pw(String s) {
        return s.toCharArray();
    }

    @Test
    void createListUnlockRoundTrip() throws Exception {
        Wallet wallet = Wallet.create(dir, "miner", pw("correct horse"), FAST);

        assertThat(wallet.file()).isEqualTo(dir.resolve("miner.wallet")).exists();
        assertThat(Wallet.list(dir)).containsExactly(new WalletInfo("miner", wallet.ss58(), wallet.file()));
        assertThat(Wallet.open(dir, "miner").ss58()).isEqualTo(wallet.ss58());

        HotkeyPair pair = wallet.unlock(pw("correct horse"));
        assertThat(pair.hotkey()).isEqualTo(wallet.hotkey());
        assertThat(pair.hotkey().ss58()).isEqualTo(Wallet.list(dir).get(0).ss58());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("miner.wallet")); // no temporary file left behind
        }
    }

    @Test
    void listIsEmptyForAMissingFolderAndSkipsFilesThatAreNotWallets() throws Exception {
        assertThat(Wallet.list(dir.resolve("absent"))).isEmpty();
        Wallet.create(dir, "b", pw("pw"), FAST);
        Wallet.create(dir, "a", pw("pw"), FAST);
        Files.writeString(dir.resolve("junk.wallet"), "not json");
        Files.writeString(dir.resolve("notes.txt"), "hello");

        assertThat(Wallet.list(dir)).extracting(WalletInfo::name).containsExactly("a", "b");
    }

    @Test
    void wrongPasswordIsRefusedLeavesTheFileUntouchedAndTheRightOneStillWorks() throws Exception {
        Wallet wallet = Wallet.create(dir, "miner", pw("right"), FAST);
        byte[] before = Files.readAllBytes(wallet.file());

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> wallet.unlock(pw("wrong")))
                    .isInstanceOf(WrongPasswordException.class)
                    .hasMessage("Wrong password for wallet miner. Nothing was changed; try again.");
        }
        assertThatThrownBy(() -> wallet.changePassword(pw("wrong"), pw("new")))
                .isInstanceOf(WrongPasswordException.class);

        assertThat(Files.readAllBytes(wallet.file())).isEqualTo(before);
        assertThat(dir).isDirectoryContaining(p -> p.equals(wallet.file()));
        assertThat(wallet.unlock(pw("right")).hotkey()).isEqualTo(wallet.hotkey());
    }

    @Test
    void neitherTheSeedNorThePasswordAppearsInTheFile() throws Exception {
        byte[] seed = HexFormat.of().parseHex(RFC8032_SEED);
        String password = "hunter2-very-secret";
        Wallet wallet = Wallet.importSeed(dir, "miner", seed, pw(password), FAST);

        byte[] file = Files.readAllBytes(wallet.file());
        String text = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(indexOf(file, seed)).isEqualTo(-1);
        assertThat(text.toLowerCase()).doesNotContain(RFC8032_SEED);
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(seed))
                .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(seed))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(seed))
                .doesNotContain(password);
        assertThat(wallet.toString()).doesNotContain(RFC8032_SEED).doesNotContain(password).contains(wallet.ss58());
    }

    @Test
    void theFileHasTheDocumentedFieldsAndIsOwnerOnly() throws Exception {
        Wallet wallet = Wallet.create(dir, "miner", pw("pw"), FAST);
        JsonNode json = Json.mapper().readTree(Files.readAllBytes(wallet.file()));

        assertThat(json.get("version").intValue()).isEqualTo(1);
        assertThat(json.get("name").textValue()).isEqualTo("miner");
        assertThat(json.get("ss58").textValue()).isEqualTo(wallet.ss58());
        assertThat(json.at("/kdf/algorithm").textValue()).isEqualTo("argon2id");
        assertThat(Base64.getDecoder().decode(json.at("/kdf/salt").textValue())).hasSize(16);
        assertThat(json.at("/cipher/algorithm").textValue()).isEqualTo("AES-256-GCM");
        assertThat(Base64.getDecoder().decode(json.at("/cipher/nonce").textValue())).hasSize(12);
        assertThat(Base64.getDecoder().decode(json.get("ciphertext").textValue())).hasSize(32 + 16);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wallet.file())))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void defaultKeyDerivationIsMemoryHardArgon2id() throws Exception {
        assertThat(KdfParams.DEFAULT).isEqualTo(new KdfParams(64 * 1024, 3, 1));
        Wallet wallet = Wallet.create(dir, "miner", pw("pw"));

        JsonNode kdf = Json.mapper().readTree(Files.readAllBytes(wallet.file())).get("kdf");
        assertThat(kdf.get("algorithm").textValue()).isEqualTo("argon2id");
        assertThat(kdf.get("memoryKiB").intValue()).isEqualTo(65536);
        assertThat(kdf.get("iterations").intValue()).isEqualTo(3);
        assertThat(kdf.get("parallelism").intValue()).isEqualTo(1);
        assertThat(wallet.kdf()).isEqualTo(KdfParams.DEFAULT);
    }

    @Test
    void tamperedFieldsAreReportedAsDamage() throws Exception {
        String otherSs58 = HotkeyPair.generate().hotkey().ss58();
        assertDamaged(json -> flipFirstByte(json, "ciphertext"));
        assertDamaged(json -> flipFirstByte((ObjectNode) json.get("cipher"), "nonce"));
        assertDamaged(json -> flipFirstByte((ObjectNode) json.get("kdf"), "salt"));
        assertDamaged(json -> json.put("ss58", otherSs58));
        assertDamaged(json -> ((ObjectNode) json.get("kdf")).put("memoryKiB", 128));
        assertDamaged(json -> ((ObjectNode) json.get("kdf")).put("iterations", 2));
        assertDamaged(json -> ((ObjectNode) json.get("kdf")).put("memoryKiB", 1 << 30)); // out of range
        assertDamaged(json -> json.put("version", 2));
        assertDamaged(json -> json.remove("checksum"));
        assertDamaged(json -> json.put("ciphertext", "not base64!"));
    }

    private void assertDamaged(Consumer<ObjectNode> tamper) throws Exception {
        Path folder = Files.createTempDirectory(dir, "t");
        Wallet wallet = Wallet.create(folder, "miner", pw("pw"), FAST);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(wallet.file()));
        tamper.accept(json);
        Files.writeString(wallet.file(), json.toString());

        assertThatThrownBy(() -> wallet.unlock(pw("pw")))
                .isInstanceOf(DamagedWalletException.class)
                .hasMessageStartingWith("The wallet file " + wallet.file() + " is damaged");
    }

    @Test
    void aForgedFileWithARecomputedChecksumNeverUnlocks() throws Exception {
        // The unkeyed checksum only catches accidents; GCM with the header as associated data is what
        // stops a deliberate edit. Either exception is acceptable here, success is not.
        String otherSs58 = HotkeyPair.generate().hotkey().ss58();
        assertForgeryFails(json -> json.put("ss58", otherSs58));
        assertForgeryFails(json -> flipFirstByte(json, "ciphertext"));
        assertForgeryFails(json -> flipFirstByte((ObjectNode) json.get("cipher"), "nonce"));
        assertForgeryFails(json -> flipFirstByte((ObjectNode) json.get("kdf"), "salt"));
        assertForgeryFails(json -> ((ObjectNode) json.get("kdf")).put("memoryKiB", 128));
    }

    private void assertForgeryFails(Consumer<ObjectNode> tamper) throws Exception {
        Path folder = Files.createTempDirectory(dir, "f");
        Wallet wallet = Wallet.create(folder, "miner", pw("pw"), FAST);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(wallet.file()));
        tamper.accept(json);
        Base64.Decoder b64 = Base64.getDecoder();
        KdfParams kdf = new KdfParams(json.at("/kdf/memoryKiB").intValue(), json.at("/kdf/iterations").intValue(),
                json.at("/kdf/parallelism").intValue());
        byte[] aad = Wallet.associatedData(1, json.get("ss58").textValue(), kdf,
                b64.decode(json.at("/kdf/salt").textValue()));
        json.put("checksum", Base64.getEncoder().encodeToString(Wallet.checksum(aad, json.get("name").textValue(),
                b64.decode(json.at("/cipher/nonce").textValue()), b64.decode(json.get("ciphertext").textValue()))));
        Files.writeString(wallet.file(), json.toString());

        assertThatThrownBy(() -> wallet.unlock(pw("pw")))
                .isInstanceOfAny(WrongPasswordException.class, DamagedWalletException.class);
    }

    @Test
    void importingTheRfc8032SeedGivesItsKnownAddress() throws Exception {
        String expected = HotkeyPair.fromSeed(HexFormat.of().parseHex(RFC8032_SEED)).hotkey().ss58();

        Wallet fromHex = Wallet.importSeed(dir, "hex", RFC8032_SEED, pw("pw"), FAST);
        Wallet fromBytes = Wallet.importSeed(dir, "bytes", HexFormat.of().parseHex(RFC8032_SEED), pw("pw"), FAST);
        Wallet fromPrefixed = Wallet.importSeed(dir, "prefixed", " 0x" + RFC8032_SEED.toUpperCase() + "\n", pw("pw"),
                FAST);

        assertThat(fromHex.ss58()).isEqualTo(expected);
        assertThat(fromBytes.ss58()).isEqualTo(expected);
        assertThat(fromPrefixed.ss58()).isEqualTo(expected);
        assertThat(fromHex.unlock(pw("pw")).hotkey().hex())
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }

    @Test
    void aMalformedHexSeedIsRefusedWithoutQuotingIt() {
        String almost = RFC8032_SEED.substring(0, 62) + "zz";
        assertThatThrownBy(() -> Wallet.importSeed(dir, "m", almost, pw("pw"), FAST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(RFC8032_SEED.substring(0, 62))
                .hasNoCause();
        assertThat(dir.resolve("m.wallet")).doesNotExist();
    }

    @Test
    void backupImportsIntoAnotherFolderAndUnlocksWithTheSamePassword() throws Exception {
        Wallet wallet = Wallet.create(dir.resolve("here"), "miner", pw("pw"), FAST);
        Path backup = dir.resolve("usb/miner-backup.json");
        Files.createDirectories(backup.getParent());
        wallet.exportBackup(backup);
        assertThatThrownBy(() -> wallet.exportBackup(backup)).isInstanceOf(FileAlreadyExistsException.class);

        Path there = dir.resolve("there");
        Wallet imported = Wallet.importBackup(there, backup);

        assertThat(imported.name()).isEqualTo("miner");
        assertThat(imported.file()).isEqualTo(there.resolve("miner.wallet"));
        assertThat(Wallet.list(there)).extracting(WalletInfo::ss58).containsExactly(wallet.ss58());
        assertThat(imported.unlock(pw("pw")).hotkey()).isEqualTo(wallet.hotkey());
        assertThatThrownBy(() -> Wallet.importBackup(there, backup)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aDamagedBackupIsNotImported() throws Exception {
        Path backup = dir.resolve("backup.wallet");
        Files.writeString(backup, "{\"version\":1}");

        assertThatThrownBy(() -> Wallet.importBackup(dir.resolve("there"), backup))
                .isInstanceOf(DamagedWalletException.class);
        assertThat(Wallet.list(dir.resolve("there"))).isEmpty();
    }

    @Test
    void changePasswordReencryptsUnderTheNewPassword() throws Exception {
        Wallet wallet = Wallet.create(dir, "miner", pw("old"), FAST);
        byte[] before = Files.readAllBytes(wallet.file());

        wallet.changePassword(pw("old"), pw("new"));

        assertThat(Files.readAllBytes(wallet.file())).isNotEqualTo(before);
        assertThatThrownBy(() -> wallet.unlock(pw("old"))).isInstanceOf(WrongPasswordException.class);
        assertThat(wallet.unlock(pw("new")).hotkey()).isEqualTo(wallet.hotkey());
        assertThat(Wallet.list(dir)).extracting(WalletInfo::ss58).containsExactly(wallet.ss58());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wallet.file())))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void createNeverOverwritesAnExistingWallet() throws Exception {
        Wallet first = Wallet.create(dir, "miner", pw("pw"), FAST);
        byte[] before = Files.readAllBytes(first.file());

        assertThatThrownBy(() -> Wallet.create(dir, "miner", pw("other"), FAST))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Wallet.importSeed(dir, "miner", RFC8032_SEED, pw("other"), FAST))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readAllBytes(first.file())).isEqualTo(before);
        assertThat(first.unlock(pw("pw")).hotkey()).isEqualTo(first.hotkey());
    }

    @Test
    void badNamesAndEmptyPasswordsAreRefused() {
        assertThatThrownBy(() -> Wallet.create(dir, "../escape", pw("pw"), FAST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wallet.create(dir, "miner", new char[0], FAST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("miner.wallet")).doesNotExist();
    }

    @Test
    void openingAMissingWalletSaysSo() {
        assertThatThrownBy(() -> Wallet.open(dir, "nobody")).isInstanceOf(IOException.class)
                .hasMessageContaining("nobody.wallet");
    }

    private static void flipFirstByte(ObjectNode node, String field) {
        byte[] bytes = Base64.getDecoder().decode(node.get(field).textValue());
        bytes[0] ^= 1;
        node.put(field, Base64.getEncoder().encodeToString(bytes));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
