package dev.distillery.teacher.library;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 helpers. */
final class Hashing {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Hashing() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lower-cases and checks an expected hash; null stays null. */
    static String normalize(String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            return null;
        }
        String s = sha256.strip().toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(s).matches()) {
            throw new IllegalArgumentException("Not a SHA-256 (64 hex digits): " + sha256);
        }
        return s;
    }
}
