package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignedRequestTest {
    static final String COMMIT = "distillery.v1.Ledger/Commit";
    static final HotkeyPair PAIR = HotkeyPair.fromSeed(new byte[32]);
    static final byte[] PAYLOAD = "sha256 of a model".getBytes(StandardCharsets.UTF_8);

    static SignedRequest signed() {
        return SignedRequest.sign(PAIR, COMMIT, 7, 100, PAYLOAD);
    }

    @Test
    void aSignedRequestVerifies() {
        SignedRequest r = signed();
        assertThat(r.verifySignature()).isTrue();
        assertThat(r.signature()).hasSize(64);
        assertThat(r.hotkey()).isEqualTo(PAIR.hotkey().bytes());
        assertThat(SignedRequest.sign(PAIR, COMMIT, 7, 100, PAYLOAD)).isEqualTo(r); // Ed25519 is deterministic
    }

    @Test
    void changingAnyFieldAfterSigningBreaksTheSignature() {
        SignedRequest r = signed();
        byte[] otherPayload = PAYLOAD.clone();
        otherPayload[0] ^= 1;
        assertThat(new SignedRequest("distillery.v1.Ledger/SetWeights", r.hotkey(), 7, 100, PAYLOAD, r.signature())
                .verifySignature()).as("method").isFalse();
        assertThat(new SignedRequest(COMMIT, r.hotkey(), 8, 100, PAYLOAD, r.signature()).verifySignature())
                .as("nonce").isFalse();
        assertThat(new SignedRequest(COMMIT, r.hotkey(), 7, 101, PAYLOAD, r.signature()).verifySignature())
                .as("block").isFalse();
        assertThat(new SignedRequest(COMMIT, r.hotkey(), 7, 100, otherPayload, r.signature()).verifySignature())
                .as("payload").isFalse();
        assertThat(new SignedRequest(COMMIT, HotkeyPair.generate().hotkey().bytes(), 7, 100, PAYLOAD, r.signature())
                .verifySignature()).as("hotkey").isFalse();
        byte[] sig = r.signature();
        sig[10] ^= 1;
        assertThat(new SignedRequest(COMMIT, r.hotkey(), 7, 100, PAYLOAD, sig).verifySignature()).as("signature").isFalse();
        assertThat(new SignedRequest(COMMIT, new byte[5], 7, 100, PAYLOAD, r.signature()).verifySignature())
                .as("malformed key").isFalse();
    }

    @Test
    void theEncodingIsLengthPrefixedAndDomainSeparated() {
        byte[] key = PAIR.hotkey().bytes();
        byte[] bytes = SignedRequest.canonicalBytes("m", key, 1, 2, new byte[] {9});
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] domain = new byte[b.getInt()];
        b.get(domain);
        assertThat(new String(domain, StandardCharsets.UTF_8)).isEqualTo("distillery.v1/signed-request");
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) 'm');
        assertThat(b.getInt()).isEqualTo(32);
        b.position(b.position() + 32);
        assertThat(b.getLong()).isEqualTo(1);
        assertThat(b.getLong()).isEqualTo(2);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) 9);
        assertThat(b.hasRemaining()).isFalse();
        // moving a byte from the method into the payload changes the encoding
        assertThat(SignedRequest.canonicalBytes("ab", key, 1, 2, new byte[] {'c'}))
                .isNotEqualTo(SignedRequest.canonicalBytes("a", key, 1, 2, new byte[] {'b', 'c'}));
    }
}
