package dev.distillery.network.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A state-changing request and its hotkey's signature. The signed bytes ({@link #canonicalBytes})
 * are, with lp(x) = x's length as a big-endian u32 followed by x and u64 = 8 bytes big-endian:
 *
 * <pre>
 * lp("distillery.v1/signed-request") ‖ lp(UTF-8 method) ‖ lp(hotkey) ‖ u64(nonce) ‖ u64(block) ‖ lp(payload)
 * </pre>
 *
 * Every variable-length field is length-prefixed, so no two different requests share their bytes
 * (moving bytes between method and payload changes the prefixes); the domain tag keeps these
 * signatures from being valid for anything else a hotkey might sign. {@code method} is the full
 * gRPC method name ({@code distillery.v1.Ledger/Commit}), so a signature for one RPC is useless on
 * another. Nonce and block are unsigned 64-bit values held in longs.
 */
public record SignedRequest(String method, byte[] hotkey, long nonce, long block, byte[] payload, byte[] signature) {
    public static final String DOMAIN = "distillery.v1/signed-request";

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        hotkey = hotkey == null ? new byte[0] : hotkey.clone();
        payload = payload == null ? new byte[0] : payload.clone();
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** Signs a request with pair's hotkey. */
    public static SignedRequest sign(HotkeyPair pair, String method, long nonce, long block, byte[] payload) {
        byte[] key = pair.hotkey().bytes();
        byte[] signature = pair.sign(canonicalBytes(method, key, nonce, block, payload));
        return new SignedRequest(method, key, nonce, block, payload, signature);
    }

    /** The bytes the signature covers. */
    public byte[] canonicalBytes() {
        return canonicalBytes(method, hotkey, nonce, block, payload);
    }

    public static byte[] canonicalBytes(String method, byte[] hotkey, long nonce, long block, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + method.length() + payload.length);
        lengthPrefixed(out, DOMAIN.getBytes(StandardCharsets.UTF_8));
        lengthPrefixed(out, method.getBytes(StandardCharsets.UTF_8));
        lengthPrefixed(out, hotkey);
        out.writeBytes(ByteBuffer.allocate(16).putLong(nonce).putLong(block).array());
        lengthPrefixed(out, payload);
        return out.toByteArray();
    }

    /**
     * True when the signature is the hotkey's over {@link #canonicalBytes}; false also when the
     * hotkey is not a valid Ed25519 key.
     */
    public boolean verifySignature() {
        Hotkey key;
        try {
            key = Hotkey.of(hotkey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return key.verify(canonicalBytes(), signature);
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] field) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
        out.writeBytes(field);
    }

    @Override
    public byte[] hotkey() {
        return hotkey.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRequest r && method.equals(r.method) && Arrays.equals(hotkey, r.hotkey)
                && nonce == r.nonce && block == r.block && Arrays.equals(payload, r.payload)
                && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, Arrays.hashCode(hotkey), nonce, block, Arrays.hashCode(payload),
                Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignedRequest[" + method + ", nonce " + Long.toUnsignedString(nonce) + ", block "
                + Long.toUnsignedString(block) + ", " + payload.length + " payload bytes]";
    }
}
