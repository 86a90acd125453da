package dev.distillery.network.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.X509TrustManager;

/**
 * TLS contexts for the network's gRPC: the server side from its {@link ServerIdentity}; the client side trusting
 * exactly one certificate, given by its SHA-256 fingerprint (pinning, as with SSH host keys: no CA involved).
 */
public final class PinnedTls {
    private PinnedTls() {
    }

    public static SslContext server(ServerIdentity id) throws IOException {
        return GrpcSslContexts.forServer(id.certFile().toFile(), id.keyFile().toFile()).build();
    }

    /** A client context that accepts only the server certificate with this fingerprint. */
    public static SslContext client(String fingerprint) throws IOException {
        return GrpcSslContexts.forClient().trustManager(new Pinned(fingerprint)).build();
    }

    /** Trusts one certificate by fingerprint; anything else fails the handshake with both fingerprints named. */
    static final class Pinned implements X509TrustManager {
        private final String expected;

        Pinned(String fingerprint) {
            this.expected = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            String actual = ServerIdentity.fingerprint(chain[0]);
            if (!actual.equals(expected)) {
                throw new CertificateException("the server's certificate " + actual + " is not the pinned " + expected);
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
