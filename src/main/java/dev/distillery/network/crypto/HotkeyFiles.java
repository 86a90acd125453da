package dev.distillery.network.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hotkeys kept in a folder, one pair of files per name:
 *
 * <pre>
 * NAME.key   (mode 600 where the file system has POSIX permissions)
 *   distillery-hotkey 1
 *   ss58 5F...
 *   public &lt;64 hex digits&gt;
 *   seed &lt;64 hex digits&gt;
 * NAME.pub   the SS58 address and a newline (safe to share)
 * </pre>
 *
 * The seed is not encrypted: a hotkey signs routinely and unattended (as Bittensor keeps hotkeys);
 * password-protected coldkeys are the wallet's business. Loading checks that the stored public key
 * and address are the ones the seed gives, so a damaged or edited file is refused.
 */
public final class HotkeyFiles {
    static final String MAGIC = "distillery-hotkey 1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path folder;

    public HotkeyFiles(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    public Path keyFile(String name) {
        return folder.resolve(checkName(name) + ".key");
    }

    public Path publicFile(String name) {
        return folder.resolve(checkName(name) + ".pub");
    }

    /** Generates a key pair and saves it as name. */
    public HotkeyPair create(String name) throws IOException {
        HotkeyPair pair = HotkeyPair.generate();
        save(name, pair);
        return pair;
    }

    /**
     * Saves a pair; never overwrites. The secret file is created with mode 600 (not written first
     * and restricted afterwards).
     *
     * @throws FileAlreadyExistsException when a key of that name exists
     */
    public void save(String name, HotkeyPair pair) throws IOException {
        Path key = keyFile(name);
        Files.createDirectories(folder);
        String text = MAGIC + "\n"
                + "ss58 " + pair.hotkey().ss58() + "\n"
                + "public " + pair.hotkey().hex() + "\n"
                + "seed " + HexFormat.of().formatHex(pair.seed()) + "\n";
        if (Files.getFileStore(folder).supportsFileAttributeView("posix")) {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(key);
        }
        try {
            Files.writeString(key, text, StandardCharsets.US_ASCII);
            Files.writeString(publicFile(name), pair.hotkey().ss58() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            Files.deleteIfExists(key);
            throw e;
        }
    }

    /**
     * Loads the pair saved as name.
     *
     * @throws IOException when the file cannot be read or is not a valid hotkey file (the message
     *     says which line is wrong)
     */
    public HotkeyPair load(String name) throws IOException {
        Path key = keyFile(name);
        List<String> lines = Files.readAllLines(key, StandardCharsets.US_ASCII);
        if (lines.isEmpty() || !lines.get(0).strip().equals(MAGIC)) {
            throw new IOException(key + " is not a Distillery hotkey file (first line must be '" + MAGIC + "')");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            int space = s.indexOf(' ');
            if (space < 0) {
                throw new IOException(key + ": malformed line '" + s + "'");
            }
            fields.put(s.substring(0, space), s.substring(space + 1).strip());
        }
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(require(fields, "seed", key));
        } catch (IllegalArgumentException e) {
            throw new IOException(key + ": seed is not hex", e);
        }
        HotkeyPair pair;
        try {
            pair = HotkeyPair.fromSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new IOException(key + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        if (!pair.hotkey().hex().equalsIgnoreCase(require(fields, "public", key))) {
            throw new IOException(key + ": the public key does not belong to the seed (damaged file?)");
        }
        if (!pair.hotkey().ss58().equals(require(fields, "ss58", key))) {
            throw new IOException(key + ": the SS58 address does not belong to the seed (damaged file?)");
        }
        return pair;
    }

    /** The public half of name, from its .pub file (no secret is read). */
    public Hotkey loadPublic(String name) throws IOException {
        String address = Files.readString(publicFile(name), StandardCharsets.US_ASCII).strip();
        try {
            return Hotkey.fromSs58(address);
        } catch (IllegalArgumentException e) {
            throw new IOException(publicFile(name) + ": " + e.getMessage(), e);
        }
    }

    /** Names of the saved hotkeys, sorted. */
    public List<String> names() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".key"))
                    .map(f -> f.substring(0, f.length() - 4))
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }

    private static String require(Map<String, String> fields, String field, Path key) throws IOException {
        String value = fields.get(field);
        if (value == null) {
            throw new IOException(key + ": missing '" + field + "' line");
        }
        return value;
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("hotkey name must be 1-64 letters, digits, '.', '_' or '-' "
                    + "(starting with a letter or digit), got '" + name + "'");
        }
        return name;
    }
}
