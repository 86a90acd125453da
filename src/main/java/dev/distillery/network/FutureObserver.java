package dev.distillery.network;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The answer of a call with a single response (a client-streaming upload, say) as a {@link CompletableFuture}: the
 * first response completes it, an error fails it, and a call that ends with no response completes it with null.
 */
public final class FutureObserver<T> implements StreamObserver<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();

    public CompletableFuture<T> future() {
        return future;
    }

    @Override
    public void onNext(T value) {
        future.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        future.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        future.complete(null);
    }
}
