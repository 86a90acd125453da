package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ss58Test {
    /** Substrate's dev account Alice (sr25519, but SS58 does not depend on the key type). */
    static final byte[] ALICE = HexFormat.of().parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    static final String ALICE_SS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    @Test
    void alicesKeyGivesHerWellKnownAddress() {
        assertThat(Ss58.encode(ALICE)).isEqualTo(ALICE_SS58);
        assertThat(Ss58.decode(ALICE_SS58)).isEqualTo(ALICE);
        assertThat(Ss58.isValid(ALICE_SS58)).isTrue();
    }

    @Test
    void randomKeysRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            if (i == 0) {
                key[0] = 0; // leading zero bytes of the key survive too
                key[1] = 0;
            }
            String address = Ss58.encode(key);
            assertThat(address).startsWith("5"); // every prefix-42 address does
            assertThat(Ss58.decode(address)).isEqualTo(key);
        }
    }

    @Test
    void aCorruptedChecksumIsRefused() {
        byte[] raw = Base58.decode(ALICE_SS58);
        raw[34] ^= 1;
        assertThatThrownBy(() -> Ss58.decode(Base58.encode(raw)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum");
    }

    @Test
    void aMistypedCharacterIsRefused() {
        String typo = ALICE_SS58.substring(0, 10) + (ALICE_SS58.charAt(10) == 'a' ? 'b' : 'a') + ALICE_SS58.substring(11);
        assertThat(Ss58.isValid(typo)).isFalse();
    }

    @Test
    void anotherNetworkPrefixIsRefused() {
        String polkadot = Ss58.encode(0, ALICE);
        assertThat(polkadot).isNotEqualTo(ALICE_SS58);
        assertThat(Ss58.decode(0, polkadot)).isEqualTo(ALICE);
        assertThatThrownBy(() -> Ss58.decode(polkadot))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix 0, expected 42");
    }

    @Test
    void wrongLengthsAndCharactersAreRefused() {
        assertThatThrownBy(() -> Ss58.decode(ALICE_SS58.substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 35");
        assertThatThrownBy(() -> Ss58.decode("5GrwvaEF0zXb")) // '0' is not base58
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base58");
        assertThatThrownBy(() -> Ss58.decode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ss58.encode(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ss58.encode(64, ALICE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void base58KeepsLeadingZerosAndMatchesKnownText() {
        assertThat(Base58.encode("hello world".getBytes())).isEqualTo("StV1DL6CwTryKyV");
        assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
        assertThat(Base58.decode("112")).containsExactly(0, 0, 1);
        assertThat(Base58.decode("")).isEmpty();
    }
}
