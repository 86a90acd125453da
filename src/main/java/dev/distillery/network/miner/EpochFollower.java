package dev.distillery.network.miner;

import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.proto.v1.EpochReport;
import dev.distillery.network.proto.v1.EpochShare;
import dev.distillery.network.proto.v1.MetagraphResponse;
import dev.distillery.network.proto.v1.Neuron;
import dev.distillery.store.NetworkStore;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a ledger's epoch reports into the app's database, across reconnects, with no gap and no duplicate.
 *
 * <p>A daemon thread asks the ledger for the reports from the epoch after the last one stored for this ledger, stores
 * each in its own transaction (with the SS58 of every UID that earned, from a metagraph read) and, when the stream
 * fails or ends, waits and starts again from the database's last epoch: the database, not the thread, remembers
 * where it stopped, so a new follower over the same database (the app restarted) resumes where the old one stopped.
 * The wait starts at {@link Backoff#first} and doubles up to {@link Backoff#max}; it starts over once the ledger
 * answers again.
 *
 * <p>Hotkeys: the ledger serves only the current metagraph, so the hotkeys of a report are those of the metagraph
 * read when the report arrived. The follower reads it again when a report names a UID it does not know, or is newer
 * than the metagraph it holds (a UID may have been re-registered since): about once per epoch while live, once per
 * connection while catching up (old reports then get today's hotkeys).
 */
public final class EpochFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochFollower.class);

    /** What the follower is doing; delivered to the listener on the follower's thread. */
    public sealed interface State {
        /** Opening a connection to the ledger. */
        record Connecting() implements State {
        }

        /**
         * The ledger answers; {@code epoch} is the newest epoch stored (0: none yet) and {@code block} the block it
         * ended at (0 when it was stored before this connection).
         */
        record Connected(long epoch, long block) implements State {
        }

        /** The connection failed; the next attempt is in {@code in}. */
        record Reconnecting(Duration in, String reason) implements State {
        }

        /** Closed; the thread has ended or is about to. */
        record Stopped() implements State {
        }
    }

    /** Receives every state change. Must not block; exceptions it throws are logged and ignored. */
    @FunctionalInterface
    public interface Listener {
        void onState(State state);
    }

    /** Waits between reconnections: {@code first}, doubling up to {@code max}. */
    public record Backoff(Duration first, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

        public Backoff {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("back-off needs 0 < first <= max");
            }
        }

        Duration after(Duration current) {
            Duration doubled = current.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    /** How to reach a ledger; {@code tlsPin} null for plaintext (loopback, the embedded devnet). */
    /**
     * Where the ledger is, and the id its rows are stored under: {@code id}, or {@code host:port} when null. Give an
     * id when the address is not the ledger's identity — the embedded devnet listens on a new free port at every
     * start, so it is stored under its owner's SS58 address instead.
     */
    public record Address(String host, int port, String tlsPin, String id) {
        public Address {
            Objects.requireNonNull(host, "host");
        }

        public Address(String host, int port, String tlsPin) {
            this(host, port, tlsPin, null);
        }

        /** The id the ledger's rows are stored under. */
        public String ledgerId() {
            return id != null ? id : host + ":" + port;
        }

        LedgerClient connect() {
            return tlsPin == null ? LedgerClient.plaintext(host, port, null)
                    : LedgerClient.pinned(host, port, tlsPin, null);
        }
    }

    private final Address address;
    private final String ledgerId;
    private final NetworkStore store;
    private final Listener listener;
    private final Backoff backoff;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean closed;
    private LedgerClient client;

    private EpochFollower(Address address, NetworkStore store, Listener listener, Backoff backoff) {
        this.address = Objects.requireNonNull(address, "address");
        this.ledgerId = address.ledgerId();
        this.store = Objects.requireNonNull(store, "store");
        this.listener = listener == null ? s -> { } : listener;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.thread = new Thread(this::run, "epoch-follower-" + ledgerId);
        this.thread.setDaemon(true);
    }

    /** Starts following the ledger at {@code address} into {@code store}, with the default back-off. */
    public static EpochFollower start(Address address, NetworkStore store, Listener listener) {
        return start(address, store, listener, Backoff.DEFAULT);
    }

    public static EpochFollower start(Address address, NetworkStore store, Listener listener, Backoff backoff) {
        EpochFollower f = new EpochFollower(address, store, listener, backoff);
        f.thread.start();
        return f;
    }

    /** The id this follower stores the ledger's rows under ({@code host:port}). */
    public String ledgerId() {
        return ledgerId;
    }

    private void run() {
        Duration delay = backoff.first();
        try {
            while (true) {
                emit(new State.Connecting());
                String reason;
                LedgerClient c = null;
                answered = false;
                try {
                    c = address.connect();
                    if (!hold(c)) {
                        return;
                    }
                    follow(c);
                    reason = "the ledger ended the stream";
                } catch (RuntimeException e) {
                    reason = describe(e);
                } finally {
                    if (c != null) {
                        release(c);
                    }
                }
                if (isClosed()) {
                    return;
                }
                if (answered) {
                    delay = backoff.first();
                }
                LOG.info("Lost the ledger {} ({}); trying again in {} ms", ledgerId, reason, delay.toMillis());
                delay = pause(delay, reason);
                if (delay == null) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("The epoch follower of {} stopped on an unexpected error", ledgerId, e);
        } finally {
            emit(new State.Stopped());
        }
    }

    /** Whether the ledger answered on the current connection (the back-off then starts over); follower thread only. */
    private boolean answered;

    /** Stores the reports after the last stored epoch until the stream fails, ends, or the follower is closed. */
    private void follow(LedgerClient c) {
        MetagraphResponse meta = c.metagraph();
        Map<Integer, String> hotkeys = hotkeys(meta);
        long metaEpoch = meta.getEpoch();
        long last = store.lastEpoch(ledgerId).orElse(0);
        answered = true;
        emit(new State.Connected(last, 0));
        Iterator<EpochReport> reports = c.epochReports(last + 1);
        while (!isClosed() && reports.hasNext()) {
            EpochReport r = reports.next();
            if (r.getEpoch() <= last) {
                continue; // already stored (a ledger that repeats itself must not make a duplicate)
            }
            boolean unknownUid = false;
            for (EpochShare s : r.getSharesList()) {
                unknownUid |= !hotkeys.containsKey(s.getUid());
            }
            if (unknownUid || r.getEpoch() > metaEpoch) {
                meta = c.metagraph();
                hotkeys = hotkeys(meta);
                metaEpoch = meta.getEpoch();
            }
            List<NetworkStore.Share> shares = new ArrayList<>(r.getSharesCount());
            for (EpochShare s : r.getSharesList()) {
                shares.add(new NetworkStore.Share(s.getUid(), hotkeys.getOrDefault(s.getUid(), ""),
                        s.getIncentive(), s.getDividends(), s.getEmission()));
            }
            store.putEpoch(new NetworkStore.Epoch(ledgerId, r.getEpoch(), r.getBlock(), r.getTotalEmission(),
                    r.getOwnerEmission(), Instant.now(), shares));
            last = r.getEpoch();
            emit(new State.Connected(last, r.getBlock()));
        }
    }

    private static Map<Integer, String> hotkeys(MetagraphResponse meta) {
        Map<Integer, String> m = new HashMap<>();
        for (Neuron n : meta.getNeuronsList()) {
            m.put(n.getUid(), n.getHotkeySs58());
        }
        return m;
    }

    /** Announces the wait, sleeps it (or until closed); returns the next delay, or null when closed. */
    private Duration pause(Duration delay, String reason) {
        emit(new State.Reconnecting(delay, reason));
        long deadline = System.nanoTime() + delay.toNanos();
        lock.lock();
        try {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return backoff.after(delay);
                }
                try {
                    wake.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private boolean hold(LedgerClient c) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            client = c;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void release(LedgerClient c) {
        lock.lock();
        try {
            if (client == c) {
                client = null;
            }
        } finally {
            lock.unlock();
        }
        c.close();
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void emit(State s) {
        try {
            listener.onState(s);
        } catch (RuntimeException e) {
            LOG.warn("An epoch follower listener failed on {}", s, e);
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            return s.getStatus().getCode() + (d == null ? "" : ": " + d);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Stops following: cancels the stream, ends the wait, and waits (up to 10 s) for the thread to end. An epoch
     * being stored is finished first (its transaction is not interrupted).
     */
    @Override
    public void close() {
        LedgerClient c;
        lock.lock();
        try {
            closed = true;
            c = client;
            client = null;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.close();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
