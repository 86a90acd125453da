package dev.distillery.network.crypto;

import io.grpc.Status;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Server-side check of a {@link SignedRequest}. The checks run in this order and the first that
 * fails is the verdict's {@link Reason}:
 *
 * <ol>
 *   <li>{@link Reason#MALFORMED_KEY}: the hotkey is not a valid 32-byte Ed25519 public key.
 *   <li>{@link Reason#FORGED}: the signature is not the hotkey's over the request's bytes (anything
 *       changed after signing: method, hotkey, nonce, block, payload).
 *   <li>{@link Reason#UNKNOWN_HOTKEY}: the hotkey is not registered (skipped for requests anyone may
 *       send, such as Register). Checked after the signature, so the caller's identity is proven.
 *   <li>{@link Reason#STALE} / {@link Reason#FROM_FUTURE}: the request's block is not in
 *       {@code [current − window, current + futureAllowance]}.
 *   <li>{@link Reason#REPLAYED}: the nonce is not strictly greater (as an unsigned 64-bit number)
 *       than the last nonce accepted from that hotkey.
 * </ol>
 *
 * <p><b>Nonce rule and bounded memory.</b> Only the last accepted nonce (and its block) is kept
 * per hotkey, for at most {@code maxTrackedHotkeys} hotkeys. A hotkey whose last accepted block is
 * older than the window can be forgotten safely: a replay of any of its earlier requests would be
 * stale anyway. When the table is full of hotkeys active within the window, the least recently
 * accepted one is forgotten and the verifier remembers the highest block it forgot about; from then
 * on a request from a hotkey it holds no nonce for must have a block above that, or it is refused as
 * {@code REPLAYED} (a replay cannot be ruled out; re-signing at the current block succeeds). So
 * memory is bounded and no replay is ever accepted. Clients use a counter, or the time in
 * microseconds, as nonce.
 *
 * <p>An accepted request consumes its nonce even if the service then fails. Thread-safe.
 */
public final class RequestVerifier {
    /** Why a request was refused, and the gRPC status code it maps to. */
    public enum Reason {
        /** The state-changing request carries no header: UNAUTHENTICATED. */
        MISSING_HEADER(Status.Code.UNAUTHENTICATED),
        /** The hotkey is not a valid Ed25519 public key: UNAUTHENTICATED. */
        MALFORMED_KEY(Status.Code.UNAUTHENTICATED),
        /** Bad signature (forged or tampered request): UNAUTHENTICATED. */
        FORGED(Status.Code.UNAUTHENTICATED),
        /** Valid signature of a hotkey the server does not know: PERMISSION_DENIED (register first). */
        UNKNOWN_HOTKEY(Status.Code.PERMISSION_DENIED),
        /**
         * Signed at a block older than the window: FAILED_PRECONDITION (re-sign at the current
         * block; not DEADLINE_EXCEEDED, which clients read as "retry the same request").
         */
        STALE(Status.Code.FAILED_PRECONDITION),
        /** Signed at a block beyond the allowance ahead of the server: FAILED_PRECONDITION. */
        FROM_FUTURE(Status.Code.FAILED_PRECONDITION),
        /** Nonce not greater than the last accepted one: ALREADY_EXISTS (this request was seen). */
        REPLAYED(Status.Code.ALREADY_EXISTS);

        private final Status.Code code;

        Reason(Status.Code code) {
            this.code = code;
        }

        public Status.Code code() {
            return code;
        }
    }

    /**
     * @param window how many blocks old a request may be (devnet blocks are 1 s, mainnet-like 12 s)
     * @param futureAllowance how many blocks ahead of the server a request may be (clock skew)
     * @param maxTrackedHotkeys how many hotkeys' last nonces are kept
     */
    public record Policy(long window, long futureAllowance, int maxTrackedHotkeys) {
        public static final Policy DEFAULT = new Policy(32, 2, 65_536);

        public Policy {
            if (window < 0 || futureAllowance < 0 || maxTrackedHotkeys < 1) {
                throw new IllegalArgumentException("window and allowance must be ≥ 0 and maxTrackedHotkeys ≥ 1");
            }
        }
    }

    /** The outcome: accepted (reason null) or refused with a reason and a human-readable description. */
    public record Verdict(Reason reason, String description) {
        static final Verdict OK = new Verdict(null, "OK");

        public boolean accepted() {
            return reason == null;
        }

        /** The gRPC status: OK, or the reason's code with "REASON: description". */
        public Status status() {
            return accepted() ? Status.OK : Status.fromCode(reason.code()).withDescription(reason + ": " + description);
        }
    }

    private record Seen(long nonce, long block) {
    }

    private final LongSupplier currentBlock;
    private final Policy policy;
    private final Predicate<Hotkey> registered;
    private final Map<Hotkey, Seen> lastSeen = new LinkedHashMap<>();
    private boolean forgotAny;
    private long forgottenUpTo; // highest block of a forgotten entry, when forgotAny

    /** A verifier that knows every hotkey (no registry check), with the default policy. */
    public RequestVerifier(LongSupplier currentBlock) {
        this(currentBlock, Policy.DEFAULT, hotkey -> true);
    }

    public RequestVerifier(LongSupplier currentBlock, Policy policy, Predicate<Hotkey> registered) {
        this.currentBlock = Objects.requireNonNull(currentBlock);
        this.policy = Objects.requireNonNull(policy);
        this.registered = Objects.requireNonNull(registered);
    }

    public Policy policy() {
        return policy;
    }

    /** The verdict for a request without a header. */
    public static Verdict missingHeader(String method) {
        return new Verdict(Reason.MISSING_HEADER, method + " changes state and needs a SignedHeader (field 1, 'header')");
    }

    /** Verifies a request from a hotkey that must be registered; records its nonce when accepted. */
    public Verdict verify(SignedRequest request) {
        return verify(request, true);
    }

    /**
     * Verifies a request; records its nonce when accepted.
     *
     * @param mustBeRegistered false for requests anyone may send (Register)
     */
    public Verdict verify(SignedRequest request, boolean mustBeRegistered) {
        Hotkey hotkey;
        try {
            hotkey = Hotkey.of(request.hotkey());
        } catch (IllegalArgumentException e) {
            return new Verdict(Reason.MALFORMED_KEY, "hotkey is not a valid Ed25519 public key (" + e.getMessage() + ")");
        }
        if (!hotkey.verify(request.canonicalBytes(), request.signature())) {
            return new Verdict(Reason.FORGED, "the signature is not " + hotkey.ss58() + "'s over this " + request.method()
                    + " request (forged, or changed after signing)");
        }
        if (mustBeRegistered && !registered.test(hotkey)) {
            return new Verdict(Reason.UNKNOWN_HOTKEY, hotkey.ss58() + " is not registered on this subnet; Register first");
        }
        long now = currentBlock.getAsLong();
        long oldest = Long.compareUnsigned(now, policy.window()) > 0 ? now - policy.window() : 0;
        long newest = now + policy.futureAllowance();
        if (Long.compareUnsigned(newest, now) < 0) {
            newest = -1; // saturate at the largest u64
        }
        long block = request.block();
        if (Long.compareUnsigned(block, oldest) < 0) {
            return new Verdict(Reason.STALE, "signed at block " + u(block) + ", older than the " + u(policy.window())
                    + "-block window (current block " + u(now) + "); sign again at the current block");
        }
        if (Long.compareUnsigned(block, newest) > 0) {
            return new Verdict(Reason.FROM_FUTURE, "signed at block " + u(block) + ", more than " + u(policy.futureAllowance())
                    + " blocks ahead of the current block " + u(now));
        }
        synchronized (lastSeen) {
            Seen seen = lastSeen.get(hotkey);
            if (seen != null && Long.compareUnsigned(request.nonce(), seen.nonce()) <= 0) {
                return new Verdict(Reason.REPLAYED, "nonce " + u(request.nonce()) + " of " + hotkey.ss58()
                        + " is not greater than its last accepted nonce " + u(seen.nonce()) + " (a replay?)");
            }
            if (seen == null && forgotAny && Long.compareUnsigned(block, forgottenUpTo) <= 0) {
                return new Verdict(Reason.REPLAYED, "cannot rule out a replay: nonces of requests up to block "
                        + u(forgottenUpTo) + " were forgotten under load; sign again at the current block");
            }
            lastSeen.remove(hotkey); // re-insert at the end: the map is ordered by last acceptance
            lastSeen.put(hotkey, new Seen(request.nonce(), block));
            if (lastSeen.size() > policy.maxTrackedHotkeys()) {
                forget(oldest);
            }
        }
        return Verdict.OK;
    }

    /** How many hotkeys' nonces are held (for tests and metrics). */
    public int trackedHotkeys() {
        synchronized (lastSeen) {
            return lastSeen.size();
        }
    }

    private void forget(long oldestValidBlock) {
        lastSeen.values().removeIf(s -> Long.compareUnsigned(s.block(), oldestValidBlock) < 0);
        Iterator<Seen> it = lastSeen.values().iterator();
        while (lastSeen.size() > policy.maxTrackedHotkeys() && it.hasNext()) {
            Seen eldest = it.next();
            if (!forgotAny || Long.compareUnsigned(eldest.block(), forgottenUpTo) > 0) {
                forgottenUpTo = eldest.block();
            }
            forgotAny = true;
            it.remove();
        }
    }

    private static String u(long v) {
        return Long.toUnsignedString(v);
    }
}
