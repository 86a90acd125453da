package dev.distillery.network.validator;

import dev.distillery.model.TeacherProfile;
import dev.distillery.network.NodeService;
import dev.distillery.network.tls.PinnedTls;
import dev.distillery.network.tls.ServerIdentity;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running validator: the {@link ValidatorNode} (evaluations, rounds, weights), its gRPC services
 * ({@code distillery.v1.Validator} behind signature checks, and {@code distillery.v1.Node}), optionally over TLS with
 * a self-signed certificate that clients pin, and the epoch loop that calls {@link ValidatorNode#tick()}. Close it
 * to stop everything, including a running evaluation's child JVM.
 */
public final class ValidatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorServer.class);

    /**
     * @param host       address to listen on
     * @param port       0: any free port
     * @param tls        null: plaintext (loopback tests, a devnet on one machine)
     * @param pollMillis how often the epoch loop asks the ledger for the epoch
     */
    public record Options(String host, int port, ServerIdentity tls, long pollMillis) {
    }

    private final ValidatorNode node;
    private final Server server;
    private final ScheduledExecutorService loop;
    private boolean closed;

    private ValidatorServer(ValidatorNode node, Server server, ScheduledExecutorService loop) {
        this.node = node;
        this.server = server;
        this.loop = loop;
    }

    /** Opens the node in {@code config.folder()}, serves it and starts the epoch loop. */
    public static ValidatorServer start(ValidatorNode.Config config, Options options, LedgerLink ledger,
                                        TeacherProfile teacherProfile) throws IOException {
        ValidatorNode node = ValidatorNode.open(config, ledger, teacherProfile);
        Server server = null;
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(options.host(),
                    options.port())).addService(node.service().secured()).addService(new NodeService(ledger::block));
            if (options.tls() != null) {
                builder.sslContext(PinnedTls.server(options.tls()));
            }
            server = builder.build().start();
            ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "validator-epochs");
                t.setDaemon(true);
                return t;
            });
            loop.scheduleWithFixedDelay(() -> {
                try {
                    node.tick();
                } catch (RuntimeException e) {
                    LOG.error("The epoch loop failed; it will try again", e);
                }
            }, options.pollMillis(), options.pollMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Validator serving on {}:{} ({}), epoch {}", options.host(), server.getPort(),
                    options.tls() == null ? "plaintext" : "TLS, certificate sha256 " + options.tls().fingerprint(),
                    node.current() == null ? "?" : node.current().epoch());
            return new ValidatorServer(node, server, loop);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.shutdownNow();
            }
            node.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    public ValidatorNode node() {
        return node;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops the loop, the server and the node (killing a running child). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.shutdownNow();
        server.shutdownNow();
        node.close();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
