package dev.distillery.network.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.distillery.network.ledger.Ledger;
import dev.distillery.network.ledger.LedgerServer;
import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.MetagraphRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-signed server identity made once and kept; clients that pin it connect, others are refused. */
class PinnedTlsTest {
    @TempDir
    Path dir;

    @Test
    void theIdentityIsMadeOnceWithAPrivateKey() throws Exception {
        ServerIdentity a = ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        ServerIdentity b = ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint()).hasSize(64);
        assertThat(a.privateKey().getAlgorithm()).isEqualTo("EC");
        if (Files.getFileStore(a.keyFile()).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.keyFile()))).isEqualTo("rw-------");
        }
    }

    @Test
    void onlyAClientPinningTheCertificateGetsThrough() throws Exception {
        ServerIdentity id = ServerIdentity.loadOrCreate(dir.resolve("tls"), "127.0.0.1");
        Ledger.Config config = new Ledger.Config(5, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18, "owner");
        try (LedgerServer s = LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 60_000, k -> 0, id)) {
            assertThat(metagraph(s.port(), id.fingerprint())).isZero();
            String wrong = "00".repeat(32);
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> metagraph(s.port(), wrong));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            // a plaintext client cannot talk to a TLS server either
            ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
            try {
                assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> LedgerGrpc.newBlockingStub(plain)
                        .withDeadlineAfter(5, TimeUnit.SECONDS).metagraph(MetagraphRequest.getDefaultInstance())))
                        .isNotNull();
            } finally {
                plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    static long metagraph(int port, String pin) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(PinnedTls.client(pin))
                .build();
        try {
            return LedgerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .metagraph(MetagraphRequest.getDefaultInstance()).getEpoch();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
