package dev.distillery.network.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.distillery.network.proto.v1.BalanceRequest;
import dev.distillery.network.proto.v1.SetWeightsRequest;
import dev.distillery.network.proto.v1.SignedHeader;
import dev.distillery.network.proto.v1.UploadChunk;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignedHeadersTest {
    static final String SET_WEIGHTS = "distillery.v1.Ledger/SetWeights";
    final HotkeyPair validator = HotkeyPair.generate();

    static SetWeightsRequest weights(float w) {
        return SetWeightsRequest.newBuilder().addUids(1).addUids(2).addWeights(w).addWeights(1 - w).build();
    }

    @Test
    void thePayloadIsTheMessageWithoutItsHeader() {
        SetWeightsRequest signed = SignedHeaders.sign(weights(0.25f), validator, SET_WEIGHTS, 9, 77);
        SignedHeader h = signed.getHeader();
        assertThat(h.getHotkey().toByteArray()).isEqualTo(validator.hotkey().bytes());
        assertThat(h.getNonce()).isEqualTo(9);
        assertThat(h.getBlock()).isEqualTo(77);
        assertThat(SignedHeaders.payload(signed)).isEqualTo(weights(0.25f).toByteArray());
        SignedRequest request = SignedHeaders.toRequest(SET_WEIGHTS, signed);
        assertThat(request.verifySignature()).isTrue();
        // re-signing replaces the header; a changed weight no longer matches the old signature
        SetWeightsRequest changed = signed.toBuilder().setWeights(0, 0.9f).build();
        assertThat(SignedHeaders.toRequest(SET_WEIGHTS, changed).verifySignature()).isFalse();
        assertThat(SignedHeaders.toRequest(SET_WEIGHTS, SignedHeaders.sign(changed, validator, SET_WEIGHTS, 10, 77))
                .verifySignature()).isTrue();
    }

    @Test
    void aServerWithAnOlderSchemaComputesTheSamePayload() throws Exception {
        // a newer client sends field 50, unknown to this schema; the server parses and re-serializes it
        SetWeightsRequest newer = weights(0.5f).toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(50, UnknownFieldSet.Field.newBuilder().addVarint(123).build()).build())
                .build();
        SetWeightsRequest sent = SignedHeaders.sign(newer, validator, SET_WEIGHTS, 1, 1);
        SetWeightsRequest received = SetWeightsRequest.parseFrom(sent.toByteArray());
        assertThat(SignedHeaders.toRequest(SET_WEIGHTS, received).verifySignature()).isTrue();
    }

    @Test
    void onlyRequestTypesWithAHeaderAreSigned() {
        assertThat(SignedHeaders.isSigned(SetWeightsRequest.getDescriptor())).isTrue();
        assertThat(SignedHeaders.isSigned(UploadChunk.getDescriptor())).isTrue();
        assertThat(SignedHeaders.isSigned(BalanceRequest.getDescriptor())).isFalse();
        assertThat(SignedHeaders.hasHeader(weights(0.5f))).isFalse();
        BalanceRequest read = BalanceRequest.newBuilder().setKey(ByteString.copyFrom(validator.hotkey().bytes())).build();
        assertThatThrownBy(() -> SignedHeaders.sign(read, validator, "x", 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no SignedHeader");
        RequestVerifier verifier = new RequestVerifier(() -> 1);
        assertThat(SignedHeaders.verify(verifier, SET_WEIGHTS, weights(0.5f), true).reason())
                .isEqualTo(RequestVerifier.Reason.MISSING_HEADER);
    }

    @Test
    void noncesAlwaysIncreaseEvenWhenTheClockStallsOrGoesBack() {
        AtomicLong clock = new AtomicLong(1_000);
        Nonces nonces = new Nonces(clock::get);
        assertThat(nonces.next()).isEqualTo(1_000);
        assertThat(nonces.next()).isEqualTo(1_001);
        clock.set(500);
        assertThat(nonces.next()).isEqualTo(1_002);
        clock.set(5_000);
        assertThat(nonces.next()).isEqualTo(5_000);
        Nonces real = new Nonces();
        long a = real.next();
        assertThat(real.next()).isGreaterThan(a);
    }
}
