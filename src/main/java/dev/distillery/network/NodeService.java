package dev.distillery.network;

import dev.distillery.core.BuildInfo;
import dev.distillery.network.proto.v1.NodeGrpc;
import dev.distillery.network.proto.v1.PeerInfo;
import dev.distillery.network.proto.v1.PingRequest;
import dev.distillery.network.proto.v1.PingResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;

/**
 * {@code distillery.v1.Node}: liveness and version check that every Distillery server (ledger,
 * validator) answers. The block height comes from the node's chain; 0 when it has none.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {
    public static final int PROTOCOL_VERSION = 1;

    private final LongSupplier currentBlock;

    public NodeService(LongSupplier currentBlock) {
        this.currentBlock = currentBlock;
    }

    public static PeerInfo self() {
        return PeerInfo.newBuilder()
                .setSoftware("Distillery " + BuildInfo.get().version())
                .setProtocolVersion(PROTOCOL_VERSION)
                .build();
    }

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> response) {
        response.onNext(PingResponse.newBuilder()
                .setServer(self())
                .setNonce(request.getNonce())
                .setBlock(currentBlock.getAsLong())
                .build());
        response.onCompleted();
    }
}
