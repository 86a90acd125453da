package dev.distillery.network.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.distillery.network.proto.v1.SignedHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Signing and checking protobuf requests that carry a {@link SignedHeader} in a field named
 * {@code header}. The signed payload is the message with {@code header} cleared, serialized
 * deterministically (map entries sorted; unknown fields kept as received), so client and server
 * compute the same bytes from the same message.
 *
 * <p>Schema evolution: a verifier re-serializes what it parsed, writing fields it knows in number
 * order and fields it does not know after them. So a field added to a signed request must take a
 * number higher than every existing field of that message, or older servers will see its requests
 * as forged. Signed requests use no map fields (parallel repeated fields instead).
 */
public final class SignedHeaders {
    public static final String HEADER_FIELD = "header";

    private SignedHeaders() {
    }

    /** The message type's {@code header} field, or null when the type is not a signed request. */
    public static FieldDescriptor headerField(Descriptor type) {
        FieldDescriptor field = type.findFieldByName(HEADER_FIELD);
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                || !field.getMessageType().getFullName().equals(SignedHeader.getDescriptor().getFullName())) {
            return null;
        }
        return field;
    }

    /** True when the message type declares a SignedHeader {@code header} field. */
    public static boolean isSigned(Descriptor type) {
        return headerField(type) != null;
    }

    /** The bytes a request's signature covers as payload: the message without its header. */
    public static byte[] payload(Message message) {
        FieldDescriptor field = requireHeaderField(message);
        Message bare = message.toBuilder().clearField(field).build();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(bare.getSerializedSize());
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            bare.writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
    }

    /**
     * The message with a header signed by pair for the gRPC method {@code fullMethodName} (e.g.
     * {@code LedgerGrpc.getCommitMethod().getFullMethodName()}). Any header already set is replaced.
     */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M sign(M message, HotkeyPair pair, String fullMethodName, long nonce, long block) {
        FieldDescriptor field = requireHeaderField(message);
        SignedRequest signed = SignedRequest.sign(pair, fullMethodName, nonce, block, payload(message));
        SignedHeader header = SignedHeader.newBuilder()
                .setHotkey(ByteString.copyFrom(signed.hotkey()))
                .setNonce(nonce)
                .setBlock(block)
                .setSignature(ByteString.copyFrom(signed.signature()))
                .build();
        return (M) message.toBuilder().setField(field, header).build();
    }

    /** True when the message has its header set. */
    public static boolean hasHeader(Message message) {
        FieldDescriptor field = headerField(message.getDescriptorForType());
        return field != null && message.hasField(field);
    }

    /** The request a signed message stands for, to give to {@link RequestVerifier#verify}. */
    public static SignedRequest toRequest(String fullMethodName, Message message) {
        FieldDescriptor field = requireHeaderField(message);
        SignedHeader header = (SignedHeader) message.getField(field);
        return new SignedRequest(fullMethodName, header.getHotkey().toByteArray(), header.getNonce(), header.getBlock(),
                payload(message), header.getSignature().toByteArray());
    }

    /** Verifies a signed message; a missing header is {@link RequestVerifier.Reason#MISSING_HEADER}. */
    public static RequestVerifier.Verdict verify(RequestVerifier verifier, String fullMethodName, Message message,
            boolean mustBeRegistered) {
        if (!hasHeader(message)) {
            return RequestVerifier.missingHeader(fullMethodName);
        }
        return verifier.verify(toRequest(fullMethodName, message), mustBeRegistered);
    }

    private static FieldDescriptor requireHeaderField(Message message) {
        FieldDescriptor field = headerField(message.getDescriptorForType());
        if (field == null) {
            throw new IllegalArgumentException(message.getDescriptorForType().getFullName()
                    + " has no SignedHeader field named 'header'");
        }
        return field;
    }
}
