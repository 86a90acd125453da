package dev.distillery.network.crypto;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Client-side nonces that satisfy {@link RequestVerifier}'s rule (strictly increasing per hotkey)
 * without storing a counter: the wall-clock time in microseconds, bumped by one when the clock has
 * not moved or went back. A restarted client keeps increasing as long as its clock does.
 * Thread-safe; use one instance per hotkey.
 */
public final class Nonces {
    private final LongSupplier micros;
    private final AtomicLong last = new AtomicLong();

    public Nonces() {
        this(() -> ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    }

    /** With a given clock in microseconds (tests). */
    public Nonces(LongSupplier micros) {
        this.micros = micros;
    }

    /** The next nonce, greater than every nonce returned before. */
    public long next() {
        long now = micros.getAsLong();
        return last.accumulateAndGet(now, (prev, clock) -> Long.compareUnsigned(clock, prev) > 0 ? clock : prev + 1);
    }
}
