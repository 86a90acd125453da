package dev.distillery.network.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.proto.v1.LedgerGrpc;
import dev.distillery.network.proto.v1.MetagraphRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running ledger's clock advances blocks and runs epochs on its own; the state survives a restart. */
class LedgerServerTest {
    @TempDir
    Path dir;

    @Test
    void theClockRunsEpochsAndARestartContinuesFromTheSameBlock() throws Exception {
        Ledger.Config config = new Ledger.Config(5, 256, 5, 64, 5000, 0.5, 0.1, 1, 1, 0.18, "owner");
        long block;
        try (LedgerServer s = LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 20, k -> 0)) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                long epoch = 0;
                while (epoch < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    epoch = LedgerGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .metagraph(MetagraphRequest.getDefaultInstance()).getEpoch();
                }
                assertThat(epoch).isGreaterThanOrEqualTo(2);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            block = s.ledger().block();
        }
        try (LedgerServer again = LedgerServer.start(dir.resolve("ledger"), "127.0.0.1", 0, config, 60_000, k -> 0)) {
            assertThat(again.ledger().block()).isGreaterThanOrEqualTo(block);
        }
    }
}
