package dev.distillery.network.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** A hotkey's public half: a validated 32-byte Ed25519 public key, shown as an SS58 address. */
public final class Hotkey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] key;
    private final Ed25519PublicKeyParameters params;

    private Hotkey(byte[] key) {
        this.key = key;
        this.params = new Ed25519PublicKeyParameters(key, 0);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not 32 long or not a valid Ed25519 point
     *     (off the curve, non-canonical, or of small order)
     */
    public static Hotkey of(byte[] publicKey) {
        if (publicKey == null || publicKey.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got "
                    + (publicKey == null ? "none" : publicKey.length));
        }
        if (!Ed25519.validatePublicKeyFull(publicKey, 0)) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + HexFormat.of().formatHex(publicKey));
        }
        return new Hotkey(publicKey.clone());
    }

    /** The hotkey of an SS58 address (prefix 42). */
    public static Hotkey fromSs58(String address) {
        return of(Ss58.decode(address));
    }

    /** The 32 public key bytes (a copy). */
    public byte[] bytes() {
        return key.clone();
    }

    public String ss58() {
        return Ss58.encode(key);
    }

    public String hex() {
        return HexFormat.of().formatHex(key);
    }

    /** True when signature is this key's Ed25519 signature of message. Wrong lengths are false. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hotkey h && Arrays.equals(key, h.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return ss58();
    }
}
