package dev.distillery.network.crypto;

import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;

/**
 * Verifies the {@link dev.distillery.network.proto.v1.SignedHeader} of state-changing requests
 * before the service sees them, so services can trust {@code request.getHeader().getHotkey()}.
 *
 * <p>A request message whose type declares a SignedHeader {@code header} field is checked with
 * {@link RequestVerifier}: the first message of a call must carry a header (for a client stream
 * such as Validator.Upload, only the first message does); a later message is checked when it
 * carries one. Messages of other types (reads) pass untouched. A refused call is closed with
 * {@link RequestVerifier.Verdict#status()} (the reason's code, "REASON: description") and the
 * reason's name in the {@link #REASON_KEY} trailer, and the service never sees it.
 *
 * <p>Methods in {@code openMethods} (full names, e.g. Ledger/Register) accept hotkeys that are not
 * registered yet; everything else is still checked.
 */
public final class SignedHeaderInterceptor implements ServerInterceptor {
    /** Trailer with the {@link RequestVerifier.Reason} name of a refusal. */
    public static final Metadata.Key<String> REASON_KEY =
            Metadata.Key.of("distillery-refusal", Metadata.ASCII_STRING_MARSHALLER);

    private final RequestVerifier verifier;
    private final Set<String> openMethods;

    public SignedHeaderInterceptor(RequestVerifier verifier, Set<String> openMethods) {
        this.verifier = verifier;
        this.openMethods = Set.copyOf(openMethods);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        boolean mustBeRegistered = !openMethods.contains(method);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean first = true;
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                boolean isFirst = first;
                first = false;
                if (message instanceof Message m && SignedHeaders.isSigned(m.getDescriptorForType())
                        && (isFirst || SignedHeaders.hasHeader(m))) {
                    RequestVerifier.Verdict verdict = SignedHeaders.verify(verifier, method, m, mustBeRegistered);
                    if (!verdict.accepted()) {
                        refused = true;
                        Metadata trailers = new Metadata();
                        trailers.put(REASON_KEY, verdict.reason().name());
                        call.close(verdict.status(), trailers);
                        return;
                    }
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    super.onReady();
                }
            }
        };
    }
}
