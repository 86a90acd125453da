package dev.distillery.network.miner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.crypto.HotkeyPair;
import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerClient;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.miner.EpochFollower.State;
import dev.distillery.store.Database;
import dev.distillery.store.NetworkStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EpochFollower} against a real ledger on loopback whose clock ticks every 20 ms (tempo 5, an epoch every
 * ~100 ms): the ledger is stopped and started again on the same port and folder under a running follower, and a
 * second follower takes over the database of a first one; the app's database must end with every epoch exactly once.
 */
class EpochFollowerTest {
    static final long TEMPO = 5;
    static final EpochFollower.Backoff FAST = new EpochFollower.Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

    @TempDir
    Path dir;
    final HotkeyPair owner = HotkeyPair.generate();
    final HotkeyPair validator = HotkeyPair.generate();
    final HotkeyPair miner = HotkeyPair.generate();
    final List<State> states = new CopyOnWriteArrayList<>();
    Database db;
    NetworkStore store;
    LedgerServer ledger;
    int validatorUid;
    int minerUid;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("app"));
        store = db.network();
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
        db.close();
    }

    LedgerServer startLedger(int port) throws IOException {
        Ledger.Config config = new Ledger.Config(TEMPO, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18,
                owner.hotkey().ss58());
        return LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", port, config, 20,
                k -> k.equals(validator.hotkey().ss58()) ? 100 : 0);
    }

    /** A ledger where a validator weights a miner, so every report has shares with emission. */
    void startPayingLedger() throws Exception {
        ledger = startLedger(0);
        try (LedgerClient v = LedgerClient.plaintext("127.0.0.1", ledger.port(), validator);
             LedgerClient m = LedgerClient.plaintext("127.0.0.1", ledger.port(), miner)) {
            validatorUid = v.register(false).getUid();
            minerUid = m.register(false).getUid();
            // a weight set in the miner's registration block is masked by Yuma for good: let a block pass
            long registeredBy = m.block();
            await("a block after the miner registered", () -> m.block() > registeredBy);
            v.setWeights(Map.of(minerUid, 1.0));
        }
    }

    /** The ledger again on {@code port}, trying for a while should the old socket still hold it. */
    LedgerServer restartOn(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return startLedger(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    long ledgerEpoch() {
        try (LedgerClient c = LedgerClient.plaintext("127.0.0.1", ledger.port(), null)) {
            return c.metagraph().getEpoch();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    EpochFollower follow() {
        return EpochFollower.start(new EpochFollower.Address("127.0.0.1", ledger.port(), null), store, states::add,
                FAST);
    }

    /** The stored epochs are exactly 1..n, each once; returns n. */
    long assertOneToN(String ledgerId) {
        List<Long> epochs = store.epochs(ledgerId).stream().map(NetworkStore.EpochRow::epoch).toList();
        long n = epochs.size();
        assertThat(epochs).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        assertThat(store.countEpochs(ledgerId)).isEqualTo(n);
        return n;
    }

    @Test
    void aLedgerRestartedOnTheSamePortLeavesNoGapAndNoDuplicate() throws Exception {
        startPayingLedger();
        int port = ledger.port();
        try (EpochFollower f = follow()) {
            String id = f.ledgerId();
            assertThat(id).isEqualTo("127.0.0.1:" + port);
            await("three epochs stored", () -> store.lastEpoch(id).orElse(0) >= 3);

            ledger.close();
            ledger = null;
            await("the follower to notice", () -> states.stream().anyMatch(s -> s instanceof State.Reconnecting));
            long before = store.lastEpoch(id).orElse(0);
            ledger = restartOn(port); // same folder, same port: the ledger came back
            long back = ledgerEpoch();
            assertThat(back).isGreaterThanOrEqualTo(before);

            await("the ledger to pass several more epochs and the follower to keep up", () -> {
                long now = ledgerEpoch();
                return now >= back + 4 && store.lastEpoch(id).orElse(0) >= now;
            });
            long n = assertOneToN(id);
            assertThat(n).isGreaterThanOrEqualTo(back + 4);

            List<State> seen = List.copyOf(states);
            int lost = seen.indexOf(seen.stream().filter(s -> s instanceof State.Reconnecting).findFirst()
                    .orElseThrow());
            assertThat(seen.subList(0, lost)).anyMatch(s -> s instanceof State.Connected);
            assertThat(seen.subList(lost, seen.size())).anyMatch(s -> s instanceof State.Connected c
                    && c.epoch() > before);

            // every UID's share carries its hotkey, read from the metagraph
            // (the first epochs may have run before the two registered)
            Map<Integer, String> expected = Map.of(minerUid, miner.hotkey().ss58(), validatorUid,
                    validator.hotkey().ss58());
            for (long e = 1; e <= n; e++) {
                for (NetworkStore.Share s : store.shares(id, e)) {
                    assertThat(s.hotkey()).as("epoch %d uid %d", e, s.uid()).isEqualTo(expected.get(s.uid()));
                }
            }
            assertThat(store.shares(id, n)).extracting(NetworkStore.Share::uid)
                    .containsExactlyInAnyOrder(minerUid, validatorUid);
        }
        assertThat(states.get(states.size() - 1)).isInstanceOf(State.Stopped.class);
    }

    @Test
    void aNewFollowerOverTheSameDatabaseContinuesFromTheLastStoredEpoch() throws Exception {
        startPayingLedger();
        String id;
        List<NetworkStore.EpochRow> first;
        try (EpochFollower f = follow()) {
            id = f.ledgerId();
            await("two epochs stored", () -> store.lastEpoch(id).orElse(0) >= 2);
        }
        first = store.epochs(id);
        long stoppedAt = first.get(first.size() - 1).epoch();
        await("the ledger to run ahead of the stopped follower", () -> ledgerEpoch() >= stoppedAt + 3);
        states.clear();

        try (EpochFollower f = follow()) {
            await("the backlog and two more epochs stored", () -> store.lastEpoch(id).orElse(0) >= stoppedAt + 5);
            // it resumed from the database's last epoch, not from the start
            assertThat(states.stream().filter(s -> s instanceof State.Connected).findFirst().orElseThrow())
                    .isEqualTo(new State.Connected(stoppedAt, 0));
        }
        assertOneToN(id);
        // the rows stored by the first follower were not written again
        assertThat(store.epochs(id).subList(0, first.size())).isEqualTo(first);
    }

    @Test
    void closingWhileTheLedgerIsAwayStopsPromptly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free again once closed: nothing listens there
        }
        EpochFollower f = EpochFollower.start(new EpochFollower.Address("127.0.0.1", port, null), store,
                states::add, new EpochFollower.Backoff(Duration.ofMillis(50), Duration.ofSeconds(30)));
        await("two failed attempts", () -> states.stream().filter(s -> s instanceof State.Reconnecting).count() >= 2);
        List<Duration> waits = states.stream().filter(s -> s instanceof State.Reconnecting)
                .map(s -> ((State.Reconnecting) s).in()).limit(2).toList();
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(((State.Reconnecting) states.stream().filter(s -> s instanceof State.Reconnecting).findFirst()
                .orElseThrow()).reason()).contains("UNAVAILABLE");
        f.close();
        assertThat(states.get(0)).isInstanceOf(State.Connecting.class);
        assertThat(states.get(states.size() - 1)).isInstanceOf(State.Stopped.class);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("epoch-follower-127.0.0.1:" + port));
        assertThat(store.countEpochs("127.0.0.1:" + port)).isZero();
    }

    @Test
    void aLedgerIsStoredUnderItsAddressOrUnderTheIdGiven() {
        assertThat(new EpochFollower.Address("10.0.0.2", 7733, null).ledgerId()).isEqualTo("10.0.0.2:7733");
        // the embedded devnet moves port at every start: its rows follow its owner's address instead
        assertThat(new EpochFollower.Address("127.0.0.1", 41234, null, "devnet:5Owner").ledgerId())
                .isEqualTo("devnet:5Owner");
    }
}
