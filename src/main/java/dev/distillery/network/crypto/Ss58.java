package dev.distillery.network.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * SS58 addresses (Substrate's format, as Bittensor shows keys): base58 of
 * {@code prefix ‖ pubkey ‖ checksum}, checksum = the first 2 bytes of BLAKE2b-512 over
 * {@code "SS58PRE" ‖ prefix ‖ pubkey}. Only the one-byte prefixes 0..63 are supported; Distillery
 * uses 42 (the generic Substrate prefix, as Bittensor does). The format does not depend on the key
 * type, so sr25519 and Ed25519 keys encode alike.
 */
public final class Ss58 {
    public static final int PREFIX = 42;
    public static final int KEY_LENGTH = 32;
    private static final byte[] CONTEXT = "SS58PRE".getBytes(StandardCharsets.US_ASCII);

    private Ss58() {
    }

    /** The address of a 32-byte public key with prefix 42. */
    public static String encode(byte[] publicKey) {
        return encode(PREFIX, publicKey);
    }

    public static String encode(int prefix, byte[] publicKey) {
        if (prefix < 0 || prefix > 63) {
            throw new IllegalArgumentException("SS58 prefix must be in 0..63 (one byte), got " + prefix);
        }
        if (publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("public key must be 32 bytes, got " + publicKey.length);
        }
        byte[] raw = new byte[1 + KEY_LENGTH + 2];
        raw[0] = (byte) prefix;
        System.arraycopy(publicKey, 0, raw, 1, KEY_LENGTH);
        byte[] sum = checksum(raw, 1 + KEY_LENGTH);
        raw[1 + KEY_LENGTH] = sum[0];
        raw[2 + KEY_LENGTH] = sum[1];
        return Base58.encode(raw);
    }

    /** The public key of an address with prefix 42. */
    public static byte[] decode(String address) {
        return decode(PREFIX, address);
    }

    /**
     * The public key of an address.
     *
     * @throws IllegalArgumentException when the text is not base58, has the wrong length, another
     *     prefix, or a checksum that does not match (a mistyped address)
     */
    public static byte[] decode(int expectedPrefix, String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("empty SS58 address");
        }
        byte[] raw;
        try {
            raw = Base58.decode(address.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an SS58 address: " + e.getMessage(), e);
        }
        if (raw.length != 1 + KEY_LENGTH + 2) {
            throw new IllegalArgumentException("not an SS58 address of a 32-byte key: decodes to " + raw.length
                    + " bytes, expected 35");
        }
        int prefix = raw[0] & 0xff;
        if (prefix != expectedPrefix) {
            throw new IllegalArgumentException("SS58 address has network prefix " + prefix + ", expected "
                    + expectedPrefix);
        }
        byte[] sum = checksum(raw, 1 + KEY_LENGTH);
        if (sum[0] != raw[1 + KEY_LENGTH] || sum[1] != raw[2 + KEY_LENGTH]) {
            throw new IllegalArgumentException("SS58 address checksum does not match (mistyped address?)");
        }
        return Arrays.copyOfRange(raw, 1, 1 + KEY_LENGTH);
    }

    /** True when {@link #decode(String)} would succeed. */
    public static boolean isValid(String address) {
        try {
            decode(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] checksum(byte[] data, int length) {
        Blake2bDigest blake = new Blake2bDigest(512);
        blake.update(CONTEXT, 0, CONTEXT.length);
        blake.update(data, 0, length);
        byte[] out = new byte[64];
        blake.doFinal(out, 0);
        return out;
    }
}
