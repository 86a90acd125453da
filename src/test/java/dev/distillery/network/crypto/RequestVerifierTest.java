package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.RequestVerifier.Policy;
import dev.distillery.network.crypto.RequestVerifier.Reason;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestVerifierTest {
    static final String COMMIT = "distillery.v1.Ledger/Commit";
    final AtomicLong block = new AtomicLong(1000);
    final HotkeyPair miner = HotkeyPair.generate();
    final RequestVerifier verifier = new RequestVerifier(block::get, new Policy(10, 2, 100), h -> true);

    SignedRequest sign(HotkeyPair pair, long nonce, long atBlock) {
        return SignedRequest.sign(pair, COMMIT, nonce, atBlock, new byte[] {1, 2, 3});
    }

    @Test
    void aFreshRequestIsAcceptedOnce() {
        SignedRequest r = sign(miner, 1, 1000);
        RequestVerifier.Verdict first = verifier.verify(r);
        assertThat(first.accepted()).isTrue();
        assertThat(first.status().isOk()).isTrue();
        RequestVerifier.Verdict again = verifier.verify(r);
        assertThat(again.reason()).isEqualTo(Reason.REPLAYED);
        assertThat(again.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(again.status().getDescription()).startsWith("REPLAYED: nonce 1 ");
    }

    @Test
    void noncesMustStrictlyIncreasePerHotkey() {
        assertThat(verifier.verify(sign(miner, 5, 1000)).accepted()).isTrue();
        assertThat(verifier.verify(sign(miner, 4, 1000)).reason()).isEqualTo(Reason.REPLAYED);
        assertThat(verifier.verify(sign(miner, 5, 1001)).reason()).isEqualTo(Reason.REPLAYED);
        assertThat(verifier.verify(sign(miner, 6, 1000)).accepted()).isTrue();
        // another hotkey has its own nonces
        assertThat(verifier.verify(sign(HotkeyPair.generate(), 1, 1000)).accepted()).isTrue();
        // nonces are unsigned: 2^63 and above are larger than 6
        assertThat(verifier.verify(sign(miner, Long.MIN_VALUE, 1000)).accepted()).isTrue();
        assertThat(verifier.verify(sign(miner, 7, 1000)).reason()).isEqualTo(Reason.REPLAYED);
    }

    @Test
    void staleAndFutureBlocksAreRefused() {
        assertThat(verifier.verify(sign(miner, 1, 990)).accepted()).as("at the window's edge").isTrue();
        RequestVerifier.Verdict stale = verifier.verify(sign(miner, 2, 989));
        assertThat(stale.reason()).isEqualTo(Reason.STALE);
        assertThat(stale.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(stale.status().getDescription()).startsWith("STALE: signed at block 989").contains("current block 1000");
        assertThat(verifier.verify(sign(miner, 3, 1002)).accepted()).as("within the allowance").isTrue();
        RequestVerifier.Verdict future = verifier.verify(sign(miner, 4, 1003));
        assertThat(future.reason()).isEqualTo(Reason.FROM_FUTURE);
        assertThat(future.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(verifier.verify(sign(miner, 5, -1)).reason()).as("block 2^64-1").isEqualTo(Reason.FROM_FUTURE);
        // a refused request does not consume its nonce
        assertThat(verifier.verify(sign(miner, 2, 1000)).accepted()).isFalse(); // 2 < 3, the last accepted
        assertThat(verifier.verify(sign(miner, 4, 1000)).accepted()).isTrue();
    }

    @Test
    void earlyBlocksDoNotUnderflow() {
        block.set(3);
        assertThat(verifier.verify(sign(miner, 1, 0)).accepted()).isTrue();
    }

    @Test
    void forgedAndMalformedRequestsAreUnauthenticated() {
        SignedRequest r = sign(miner, 1, 1000);
        SignedRequest forged = new SignedRequest(r.method(), r.hotkey(), r.nonce(), r.block(), new byte[] {6, 6, 6}, r.signature());
        RequestVerifier.Verdict v = verifier.verify(forged);
        assertThat(v.reason()).isEqualTo(Reason.FORGED);
        assertThat(v.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(v.status().getDescription()).startsWith("FORGED: ").contains(miner.hotkey().ss58());
        SignedRequest badKey = new SignedRequest(r.method(), new byte[3], 1, 1000, r.payload(), r.signature());
        assertThat(verifier.verify(badKey).reason()).isEqualTo(Reason.MALFORMED_KEY);
        assertThat(verifier.verify(badKey).status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        // the forgery did not burn the real request's nonce
        assertThat(verifier.verify(r).accepted()).isTrue();
    }

    @Test
    void unregisteredHotkeysArePermissionDeniedUnlessTheMethodIsOpen() {
        RequestVerifier registry = new RequestVerifier(block::get, Policy.DEFAULT, Set.of(miner.hotkey())::contains);
        HotkeyPair stranger = HotkeyPair.generate();
        RequestVerifier.Verdict v = registry.verify(sign(stranger, 1, 1000));
        assertThat(v.reason()).isEqualTo(Reason.UNKNOWN_HOTKEY);
        assertThat(v.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(registry.verify(sign(stranger, 1, 1000), false).accepted()).isTrue();
        assertThat(registry.verify(sign(miner, 1, 1000)).accepted()).isTrue();
    }

    @Test
    void memoryIsBoundedWithoutAcceptingReplays() {
        RequestVerifier small = new RequestVerifier(block::get, new Policy(10, 2, 3), h -> true);
        HotkeyPair[] keys = {HotkeyPair.generate(), HotkeyPair.generate(), HotkeyPair.generate(), HotkeyPair.generate()};
        // keys[0] last seen long ago: forgetting it is safe, its old requests are stale
        SignedRequest old = sign(keys[0], 1, 980);
        block.set(985);
        assertThat(small.verify(old).accepted()).isTrue();
        block.set(1000);
        for (int i = 1; i < 4; i++) {
            assertThat(small.verify(sign(keys[i], 1, 1000)).accepted()).isTrue();
        }
        assertThat(small.trackedHotkeys()).isEqualTo(3);
        assertThat(small.verify(old).reason()).isEqualTo(Reason.STALE);
        // a fourth active hotkey: the least recent (keys[1]) is forgotten, and so is block 1000
        HotkeyPair fifth = HotkeyPair.generate();
        assertThat(small.verify(sign(fifth, 1, 1000)).accepted()).isTrue();
        assertThat(small.trackedHotkeys()).isEqualTo(3);
        RequestVerifier.Verdict replay = small.verify(sign(keys[1], 1, 1000));
        assertThat(replay.reason()).isEqualTo(Reason.REPLAYED);
        assertThat(replay.description()).contains("cannot rule out a replay");
        // signing again at a later block works
        block.set(1001);
        assertThat(small.verify(sign(keys[1], 2, 1001)).accepted()).isTrue();
    }
}
