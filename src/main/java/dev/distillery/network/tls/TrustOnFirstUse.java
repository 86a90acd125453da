package dev.distillery.network.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Trust on first use, as SSH does with host keys: the first time the app connects to a server it reads the
 * certificate's fingerprint and remembers it; later connections pin that fingerprint ({@link PinnedTls}), and a
 * different one is reported as {@link Changed} — loudly, never accepted silently.
 */
public final class TrustOnFirstUse {
    /** Where remembered fingerprints live (the app keeps them in its settings). */
    public interface PinStore {
        Optional<String> pinned(String address);

        void pin(String address, String fingerprint);
    }

    /** What a connection found. */
    public sealed interface Verdict permits FirstUse, Known, Changed {
        String fingerprint();
    }

    /** Never seen before: the fingerprint is now remembered. */
    public record FirstUse(String fingerprint) implements Verdict {
    }

    /** The remembered fingerprint. */
    public record Known(String fingerprint) implements Verdict {
    }

    /**
     * Not the remembered certificate: the server was reinstalled, or someone is in between. Nothing is changed; the
     * user decides.
     */
    public record Changed(String expected, String fingerprint) implements Verdict {
        public String warning(String address) {
            return "The certificate of " + address + " changed: it was " + expected + ", it is now " + fingerprint
                    + ". If you did not reinstall that server, someone may be intercepting the connection. "
                    + "Distillery will not connect until you accept the new certificate.";
        }
    }

    private TrustOnFirstUse() {
    }

    /**
     * Reads the SHA-256 fingerprint of the certificate {@code host:port} presents, without trusting it (nothing is
     * sent but the TLS handshake).
     */
    public static String probe(String host, int port, int timeoutMillis) throws IOException {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        X509TrustManager capture = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                if (chain != null && chain.length > 0) {
                    seen.set(chain[0]);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client certificates are not used");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {capture}, null);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                SSLParameters p = socket.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2"}); // what a gRPC server expects
                socket.setSSLParameters(p);
                try {
                    socket.startHandshake();
                } catch (IOException e) {
                    if (seen.get() == null) {
                        throw e;
                    } // the certificate was read before the handshake failed: that is all we need
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available: " + e.getMessage(), e);
        }
        if (seen.get() == null) {
            throw new IOException(host + ":" + port + " sent no certificate");
        }
        return ServerIdentity.fingerprint(seen.get());
    }

    /** Compares {@code fingerprint} with what {@code store} remembers for {@code address}; remembers a first one. */
    public static Verdict check(String address, String fingerprint, PinStore store) {
        String fp = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        Optional<String> pinned = store.pinned(address);
        if (pinned.isEmpty()) {
            store.pin(address, fp);
            return new FirstUse(fp);
        }
        return pinned.get().equals(fp) ? new Known(fp) : new Changed(pinned.get(), fp);
    }
}
