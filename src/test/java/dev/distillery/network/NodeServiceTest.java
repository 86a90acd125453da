package dev.distillery.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.network.proto.v1.NodeGrpc;
import dev.distillery.network.proto.v1.PingRequest;
import dev.distillery.network.proto.v1.PingResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The generated stubs and the Netty transport work: a real server and client over loopback. */
class NodeServiceTest {
    @Test
    void pingRoundTripsOverLoopback() throws Exception {
        AtomicLong block = new AtomicLong(41);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new NodeService(block::get))
                .build()
                .start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            var stub = NodeGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            block.incrementAndGet();
            PingResponse r = stub.ping(PingRequest.newBuilder().setClient(NodeService.self()).setNonce(987654321L).build());
            assertThat(r.getNonce()).isEqualTo(987654321L);
            assertThat(r.getBlock()).isEqualTo(42);
            assertThat(r.getServer().getProtocolVersion()).isEqualTo(NodeService.PROTOCOL_VERSION);
            assertThat(r.getServer().getSoftware()).startsWith("Distillery ");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
