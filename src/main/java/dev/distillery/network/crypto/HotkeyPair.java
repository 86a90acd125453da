package dev.distillery.network.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A hotkey with its private half: an Ed25519 key pair from a 32-byte seed (RFC 8032). */
public final class HotkeyPair {
    public static final int SEED_LENGTH = 32;

    private final Ed25519PrivateKeyParameters secret;
    private final Hotkey hotkey;

    private HotkeyPair(Ed25519PrivateKeyParameters secret) {
        this.secret = secret;
        this.hotkey = Hotkey.of(secret.generatePublicKey().getEncoded());
    }

    /** A fresh key pair from a strong random seed. */
    public static HotkeyPair generate() {
        return generate(new SecureRandom());
    }

    public static HotkeyPair generate(SecureRandom random) {
        return new HotkeyPair(new Ed25519PrivateKeyParameters(random));
    }

    /** The key pair of a 32-byte seed (the same seed always gives the same keys). */
    public static HotkeyPair fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + (seed == null ? "none" : seed.length));
        }
        return new HotkeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public Hotkey hotkey() {
        return hotkey;
    }

    /** The 32-byte seed (a copy): the secret; keep it out of logs. */
    public byte[] seed() {
        return secret.getEncoded();
    }

    /** The 64-byte Ed25519 signature of message. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, secret);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "HotkeyPair[" + hotkey.ss58() + "]"; // never the seed
    }
}
