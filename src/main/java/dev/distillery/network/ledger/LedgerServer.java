package dev.distillery.network.ledger;

import dev.distillery.store.Database;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ledger: its H2 database, the gRPC service and a block clock that advances one block every
 * {@code blockMillis} (devnet 1 s, DESIGN.md §4), running an epoch at every tempo. Close it to stop.
 */
public final class LedgerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerServer.class);

    private final Database db;
    private final Ledger ledger;
    private final Server server;
    private final ScheduledExecutorService clock;

    private LedgerServer(Database db, Ledger ledger, Server server, ScheduledExecutorService clock) {
        this.db = db;
        this.ledger = ledger;
        this.server = server;
        this.clock = clock;
    }

    /**
     * Opens (or creates) the ledger database at {@code base}, serves it on {@code host:port} (0: any free port) and
     * starts the clock.
     */
    public static LedgerServer start(Path base, String host, int port, Ledger.Config config, long blockMillis,
                                     ToDoubleFunction<String> stakeOf) throws IOException {
        return start(base, host, port, config, blockMillis, stakeOf, null);
    }

    /**
     * As above, over TLS with {@code tls} (null: plaintext, for loopback tests and the embedded devnet); the genesis
     * challenge is {@code config.genesis()} ({@link dev.distillery.network.score.Challenge#devnetDefault()} unless
     * the config names another).
     */
    public static LedgerServer start(Path base, String host, int port, Ledger.Config config, long blockMillis,
                                     ToDoubleFunction<String> stakeOf,
                                     dev.distillery.network.tls.ServerIdentity tls) throws IOException {
        return start(base, host, port, config, blockMillis, stakeOf, tls, config.genesis());
    }

    /**
     * As above with {@code genesis} as the challenge a new ledger starts with (version 1); a ledger database that
     * already has a version 1 keeps its own, and the owner's changes since.
     */
    public static LedgerServer start(Path base, String host, int port, Ledger.Config config, long blockMillis,
                                     ToDoubleFunction<String> stakeOf,
                                     dev.distillery.network.tls.ServerIdentity tls,
                                     dev.distillery.network.score.Challenge genesis) throws IOException {
        config = config.withGenesis(genesis);
        Database db = Database.openLedger(base);
        try {
            Ledger ledger = new Ledger(db.ledger(), config);
            LedgerService service = new LedgerService(ledger, db.ledger(), stakeOf);
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                    .addService(service.secured())
                    // liveness and the block in one small answer (read from the store, not under the ledger's lock,
                    // so a client signing a request does not wait for an epoch being applied)
                    .addService(new dev.distillery.network.NodeService(() -> db.ledger().meta().block()));
            if (tls != null) {
                builder.sslContext(dev.distillery.network.tls.PinnedTls.server(tls));
            }
            Server server = builder.build().start();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ledger-clock");
                t.setDaemon(true);
                return t;
            });
            clock.scheduleAtFixedRate(() -> {
                try {
                    ledger.advanceTo(ledger.block() + 1);
                } catch (RuntimeException e) {
                    LOG.error("The ledger could not advance a block; it will try again", e);
                }
            }, blockMillis, blockMillis, TimeUnit.MILLISECONDS);
            LOG.info("Ledger serving on {}:{} (block {}, tempo {})", host, server.getPort(), ledger.block(),
                    config.tempo());
            return new LedgerServer(db, ledger, server, clock);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    public Ledger ledger() {
        return ledger;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        // shutdown, not shutdownNow: interrupting the clock thread inside an H2 write closes the database file
        // under it (ClosedByInterruptException) and logs a failed epoch; a block takes milliseconds, so wait for it.
        clock.shutdown();
        server.shutdownNow();
        try {
            clock.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
