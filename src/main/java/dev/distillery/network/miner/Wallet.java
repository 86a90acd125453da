package dev.distillery.network.miner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillery.core.AtomicFiles;
import dev.distillery.network.crypto.Hotkey;
import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.teacher.library.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The miner's wallet: an Ed25519 hotkey kept encrypted at rest with the user's password, one JSON
 * file per wallet, {@code <folder>/<name>.wallet}:
 *
 * <pre>
 * { "version": 1, "name": "...", "ss58": "5F...",
 *   "kdf": { "algorithm": "argon2id", "memoryKiB": 65536, "iterations": 3, "parallelism": 1, "salt": b64(16) },
 *   "cipher": { "algorithm": "AES-256-GCM", "nonce": b64(12) },
 *   "ciphertext": b64(32-byte seed + 16-byte tag),
 *   "checksum": b64(SHA-256 of all the fields above) }
 * </pre>
 *
 * The AES key is Argon2id(password as UTF-8, salt, params). The header (version, ss58, KDF params,
 * salt) is the GCM associated data, so changing any of it makes decryption fail. The unkeyed checksum
 * lets an accidentally damaged or hand-edited file be reported as damaged rather than as a wrong
 * password; a forger who recomputes it still cannot get past GCM, but then the two cases look alike
 * (see {@link #unlock}). The file name is the wallet's name; the {@code name} field travels with
 * backups and names the wallet again when one is imported.
 *
 * <p>Files are written owner-only where the file system has POSIX permissions, and creating or
 * importing never replaces an existing wallet. Neither the seed nor the password appears in any
 * message or {@code toString()}; buffers holding them are zeroed after use (the caller's password
 * array is the caller's to clear).
 */
public final class Wallet {
    public static final String EXTENSION = ".wallet";
    static final int VERSION = 1;
    static final String KDF_ALGORITHM = "argon2id";
    static final String CIPHER_ALGORITHM = "AES-256-GCM";
    static final int SALT_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int KEY_LENGTH = 32;
    static final int TAG_BITS = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final String name;
    private final Hotkey hotkey;
    private final KdfParams kdf;

    private Wallet(Path file, String name, Hotkey hotkey, KdfParams kdf) {
        this.file = file;
        this.name = name;
        this.hotkey = hotkey;
        this.kdf = kdf;
    }

    /** Creates a wallet with a fresh random hotkey and the memory-hard default KDF cost. */
    public static Wallet create(Path folder, String name, char[] password) throws IOException {
        return create(folder, name, password, KdfParams.DEFAULT);
    }

    /** Creates a wallet with a fresh random hotkey and the given KDF cost. */
    public static Wallet create(Path folder, String name, char[] password, KdfParams kdf) throws IOException {
        return store(folder, name, HotkeyPair.generate(), password, kdf);
    }

    /** Imports an existing 32-byte Ed25519 seed as a new wallet (default KDF cost). */
    public static Wallet importSeed(Path folder, String name, byte[] seed, char[] password) throws IOException {
        return importSeed(folder, name, seed, password, KdfParams.DEFAULT);
    }

    public static Wallet importSeed(Path folder, String name, byte[] seed, char[] password, KdfParams kdf)
            throws IOException {
        if (seed == null || seed.length != HotkeyPair.SEED_LENGTH) {
            throw new IllegalArgumentException("a hotkey seed is " + HotkeyPair.SEED_LENGTH + " bytes");
        }
        return store(folder, name, HotkeyPair.fromSeed(seed), password, kdf);
    }

    /** Imports a seed given as 64 hex digits (an optional {@code 0x} prefix and surrounding blanks allowed). */
    public static Wallet importSeed(Path folder, String name, String hexSeed, char[] password) throws IOException {
        return importSeed(folder, name, hexSeed, password, KdfParams.DEFAULT);
    }

    public static Wallet importSeed(Path folder, String name, String hexSeed, char[] password, KdfParams kdf)
            throws IOException {
        byte[] seed = parseHexSeed(hexSeed);
        try {
            return importSeed(folder, name, seed, password, kdf);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Opens the wallet called name in folder (reads only the public part; no password needed). */
    public static Wallet open(Path folder, String name) throws IOException {
        Path file = fileOf(folder, name);
        Stored stored = Stored.read(file);
        return new Wallet(file, name, stored.hotkey, stored.kdf);
    }

    /**
     * The wallets in folder, sorted by name, readable without any password. Files that are not
     * intact wallets are left out (opening one by name says what is wrong with it).
     */
    public static List<WalletInfo> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(EXTENSION))
                    .filter(p -> NAME.matcher(stem(p)).matches())
                    .sorted()
                    .toList();
        }
        List<WalletInfo> wallets = new ArrayList<>();
        for (Path file : files) {
            try {
                wallets.add(new WalletInfo(stem(file), Stored.read(file).hotkey.ss58(), file));
            } catch (IOException damaged) {
                // skipped: see the Javadoc
            }
        }
        return wallets;
    }

    /**
     * Decrypts the hotkey. Only reads the file.
     *
     * @throws WrongPasswordException when the password does not open the wallet. GCM cannot tell a
     *     wrong password from a file forged with a recomputed checksum; either way nothing opens and
     *     nothing is changed.
     * @throws DamagedWalletException when the file is malformed or fails its checksum, or decrypts to
     *     a key other than the one its address names
     */
    public HotkeyPair unlock(char[] password) throws WrongPasswordException, IOException {
        return Stored.read(file).decrypt(name, password);
    }

    /**
     * Re-encrypts the wallet under a new password (fresh salt and nonce, the file's KDF cost). The
     * file is replaced atomically, and only after the old password has opened it.
     */
    public void changePassword(char[] oldPassword, char[] newPassword) throws WrongPasswordException, IOException {
        checkPassword(newPassword);
        Stored stored = Stored.read(file);
        HotkeyPair pair = stored.decrypt(name, oldPassword);
        byte[] bytes = encrypt(stored.name, pair, newPassword, stored.kdf);
        AtomicFiles.write(file, bytes);
        restrict(file);
    }

    /**
     * Copies the wallet, still encrypted, to target: importable on another machine with the same
     * password. Never overwrites target.
     */
    public void exportBackup(Path target) throws IOException {
        Stored.read(file); // refuse to back up a damaged file
        writeNew(target, Files.readAllBytes(file));
    }

    /**
     * Imports a backup made by {@link #exportBackup} into folder, under the name it carries. The
     * backup is checked first; an existing wallet of that name is never replaced.
     *
     * @throws FileAlreadyExistsException when folder already has a wallet of that name
     */
    public static Wallet importBackup(Path folder, Path backup) throws IOException {
        Stored stored = Stored.read(backup);
        String name = checkName(stored.name);
        Path file = fileOf(folder, name);
        writeNew(file, Files.readAllBytes(backup));
        return new Wallet(file, name, stored.hotkey, stored.kdf);
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    public Hotkey hotkey() {
        return hotkey;
    }

    public String ss58() {
        return hotkey.ss58();
    }

    /** The Argon2id cost stored in the file. */
    public KdfParams kdf() {
        return kdf;
    }

    public WalletInfo info() {
        return new WalletInfo(name, hotkey.ss58(), file);
    }

    @Override
    public String toString() {
        return "Wallet[" + name + ", " + hotkey.ss58() + "]";
    }

    // ---- writing

    private static Wallet store(Path folder, String name, HotkeyPair pair, char[] password, KdfParams kdf)
            throws IOException {
        Path file = fileOf(folder, name);
        checkPassword(password);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "a wallet called " + name + " already exists");
        }
        writeNew(file, encrypt(name, pair, password, kdf));
        return new Wallet(file, name, pair.hotkey(), kdf);
    }

    private static byte[] encrypt(String name, HotkeyPair pair, char[] password, KdfParams kdf) {
        byte[] salt = random(SALT_LENGTH);
        byte[] nonce = random(NONCE_LENGTH);
        String ss58 = pair.hotkey().ss58();
        byte[] aad = associatedData(VERSION, ss58, kdf, salt);
        byte[] key = deriveKey(password, salt, kdf);
        byte[] seed = pair.seed();
        byte[] ciphertext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            ciphertext = cipher.doFinal(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("version", VERSION);
        root.put("name", name);
        root.put("ss58", ss58);
        ObjectNode k = root.putObject("kdf");
        k.put("algorithm", KDF_ALGORITHM);
        k.put("memoryKiB", kdf.memoryKiB());
        k.put("iterations", kdf.iterations());
        k.put("parallelism", kdf.parallelism());
        k.put("salt", b64.encodeToString(salt));
        ObjectNode c = root.putObject("cipher");
        c.put("algorithm", CIPHER_ALGORITHM);
        c.put("nonce", b64.encodeToString(nonce));
        root.put("ciphertext", b64.encodeToString(ciphertext));
        root.put("checksum", b64.encodeToString(checksum(aad, name, nonce, ciphertext)));
        try {
            return (Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write wallet JSON", e);
        }
    }

    /**
     * Writes a file that must not exist yet: the bytes go to an owner-only temporary file beside it,
     * which is then linked (or, where links are unsupported, moved) into place; both fail rather than
     * replace an existing file.
     */
    private static void writeNew(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            restrict(tmp);
            Files.write(tmp, bytes);
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.move(tmp, target); // no REPLACE_EXISTING: fails if target appeared meanwhile
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void restrict(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    // ---- crypto helpers

    static byte[] deriveKey(char[] password, byte[] salt, KdfParams kdf) {
        byte[] secret = utf8(password);
        try {
            Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt)
                    .withMemoryAsKB(kdf.memoryKiB())
                    .withIterations(kdf.iterations())
                    .withParallelism(kdf.parallelism())
                    .build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] key = new byte[KEY_LENGTH];
            generator.generateBytes(secret, key);
            return key;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The password as UTF-8 in a buffer the caller zeroes (String would leave an unclearable copy). */
    private static byte[] utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoding failed", e);
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }

    /** The GCM associated data: every header field that decides how the ciphertext is read. */
    static byte[] associatedData(int version, String ss58, KdfParams kdf, byte[] salt) {
        String header = "distillery-wallet\n"
                + "version=" + version + "\n"
                + "ss58=" + ss58 + "\n"
                + "kdf=" + KDF_ALGORITHM + ",m=" + kdf.memoryKiB() + ",t=" + kdf.iterations()
                + ",p=" + kdf.parallelism() + "\n"
                + "salt=" + Base64.getEncoder().encodeToString(salt) + "\n"
                + "cipher=" + CIPHER_ALGORITHM + "\n";
        return header.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] checksum(byte[] aad, String name, byte[] nonce, byte[] ciphertext) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(aad);
        all.writeBytes(("name=" + name + "\nnonce=" + Base64.getEncoder().encodeToString(nonce)
                + "\nciphertext=" + Base64.getEncoder().encodeToString(ciphertext) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        try {
            return MessageDigest.getInstance("SHA-256").digest(all.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] parseHexSeed(String hexSeed) {
        if (hexSeed == null) {
            throw new IllegalArgumentException("a hotkey seed is 64 hex digits");
        }
        String s = hexSeed.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.length() != 2 * HotkeyPair.SEED_LENGTH) {
            throw new IllegalArgumentException("a hotkey seed is 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a hotkey seed is 64 hex digits"); // no cause: it quotes the input
        }
    }

    private static void checkPassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a wallet needs a non-empty password");
        }
    }

    private static Path fileOf(Path folder, String name) {
        return folder.resolve(checkName(name) + EXTENSION);
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a wallet name is 1-64 letters, digits, '.', '_' or '-' "
                    + "(starting with a letter or digit), got '" + name + "'");
        }
        return name;
    }

    private static String stem(Path file) {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - EXTENSION.length());
    }

    /** A wallet file as read and checked, before decryption. */
    private static final class Stored {
        final Path file;
        final int version;
        final String name;
        final Hotkey hotkey;
        final KdfParams kdf;
        final byte[] salt;
        final byte[] nonce;
        final byte[] ciphertext;

        private Stored(Path file, int version, String name, Hotkey hotkey, KdfParams kdf, byte[] salt, byte[] nonce,
                byte[] ciphertext) {
            this.file = file;
            this.version = version;
            this.name = name;
            this.hotkey = hotkey;
            this.kdf = kdf;
            this.salt = salt;
            this.nonce = nonce;
            this.ciphertext = ciphertext;
        }

        static Stored read(Path file) throws IOException {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(file.toString(), null, "no such wallet");
            }
            JsonNode root;
            try {
                root = Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new DamagedWalletException(file, "not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw new DamagedWalletException(file, "not a wallet object");
            }
            JsonNode v = root.get("version");
            if (v == null || !v.isInt()) {
                throw new DamagedWalletException(file, "no version");
            }
            if (v.intValue() != VERSION) {
                throw new DamagedWalletException(file, "unknown version " + v.intValue()
                        + "; this Distillery reads version " + VERSION);
            }
            String name = text(root, "name", file);
            Hotkey hotkey;
            try {
                hotkey = Hotkey.fromSs58(text(root, "ss58", file));
            } catch (IllegalArgumentException e) {
                throw new DamagedWalletException(file, "the ss58 address is not valid");
            }
            JsonNode k = object(root, "kdf", file);
            if (!KDF_ALGORITHM.equals(text(k, "algorithm", file))) {
                throw new DamagedWalletException(file, "unknown key derivation; expected " + KDF_ALGORITHM);
            }
            KdfParams kdf;
            try {
                kdf = new KdfParams(integer(k, "memoryKiB", file), integer(k, "iterations", file),
                        integer(k, "parallelism", file));
            } catch (IllegalArgumentException e) {
                throw new DamagedWalletException(file, "key derivation parameters out of range: " + e.getMessage());
            }
            byte[] salt = base64(k, "salt", SALT_LENGTH, file);
            JsonNode c = object(root, "cipher", file);
            if (!CIPHER_ALGORITHM.equals(text(c, "algorithm", file))) {
                throw new DamagedWalletException(file, "unknown cipher; expected " + CIPHER_ALGORITHM);
            }
            byte[] nonce = base64(c, "nonce", NONCE_LENGTH, file);
            byte[] ciphertext = base64(root, "ciphertext", HotkeyPair.SEED_LENGTH + TAG_BITS / 8, file);
            byte[] checksum = base64(root, "checksum", 32, file);
            byte[] aad = associatedData(VERSION, hotkey.ss58(), kdf, salt);
            if (!MessageDigest.isEqual(checksum, Wallet.checksum(aad, name, nonce, ciphertext))) {
                throw new DamagedWalletException(file, "its checksum does not match its contents");
            }
            return new Stored(file, v.intValue(), name, hotkey, kdf, salt, nonce, ciphertext);
        }

        HotkeyPair decrypt(String walletName, char[] password) throws WrongPasswordException, IOException {
            if (password == null) {
                throw new WrongPasswordException(walletName);
            }
            byte[] key = deriveKey(password, salt, kdf);
            byte[] seed = null;
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                        new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(associatedData(version, hotkey.ss58(), kdf, salt));
                seed = cipher.doFinal(ciphertext);
                HotkeyPair pair = HotkeyPair.fromSeed(seed);
                if (!pair.hotkey().equals(hotkey)) {
                    throw new DamagedWalletException(file, "the stored key does not belong to its address");
                }
                return pair;
            } catch (AEADBadTagException e) {
                throw new WrongPasswordException(walletName);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
            } finally {
                Arrays.fill(key, (byte) 0);
                if (seed != null) {
                    Arrays.fill(seed, (byte) 0);
                }
            }
        }

        private static String text(JsonNode node, String field, Path file) throws DamagedWalletException {
            JsonNode n = node.get(field);
            if (n == null || !n.isTextual()) {
                throw new DamagedWalletException(file, "missing '" + field + "'");
            }
            return n.textValue();
        }

        private static JsonNode object(JsonNode node, String field, Path file) throws DamagedWalletException {
            JsonNode n = node.get(field);
            if (n == null || !n.isObject()) {
                throw new DamagedWalletException(file, "missing '" + field + "'");
            }
            return n;
        }

        private static int integer(JsonNode node, String field, Path file) throws DamagedWalletException {
            JsonNode n = node.get(field);
            if (n == null || !n.isInt()) {
                throw new DamagedWalletException(file, "missing or non-integer '" + field + "'");
            }
            return n.intValue();
        }

        private static byte[] base64(JsonNode node, String field, int length, Path file)
                throws DamagedWalletException {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text(node, field, file));
            } catch (IllegalArgumentException e) {
                throw new DamagedWalletException(file, "'" + field + "' is not base64");
            }
            if (bytes.length != length) {
                throw new DamagedWalletException(file, "'" + field + "' has " + bytes.length + " bytes, expected "
                        + length);
            }
            return bytes;
        }
    }
}
