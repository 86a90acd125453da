package dev.distillery.network.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A network server's TLS identity: a self-signed certificate (EC P-256, 10 years, names localhost, 127.0.0.1 and
 * the given host) generated on first start into {@code tls.crt} / {@code tls.key} (PEM, the key readable by its
 * owner only) and loaded on later starts. Clients pin its SHA-256 fingerprint instead of trusting a CA.
 */
public final class ServerIdentity {
    public static final String CERT_FILE = "tls.crt";
    public static final String KEY_FILE = "tls.key";

    private final Path certFile;
    private final Path keyFile;
    private final X509Certificate certificate;

    private ServerIdentity(Path certFile, Path keyFile, X509Certificate certificate) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.certificate = certificate;
    }

    /** Loads the identity in {@code folder}, creating it when absent. */
    public static ServerIdentity loadOrCreate(Path folder, String host) throws IOException {
        Path cert = folder.resolve(CERT_FILE);
        Path key = folder.resolve(KEY_FILE);
        if (!Files.exists(cert) || !Files.exists(key)) {
            create(folder, host);
        }
        return new ServerIdentity(cert, key, readCertificate(cert));
    }

    private static void create(Path folder, String host) throws IOException {
        try {
            Files.createDirectories(folder);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=distillery " + host);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                host.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host)}));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            Path key = folder.resolve(KEY_FILE);
            Path keyTmp = folder.resolve(KEY_FILE + ".tmp");
            Files.deleteIfExists(keyTmp);
            try {
                Files.createFile(keyTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(keyTmp); // not POSIX (Windows): the folder's ACL applies
            }
            // PKCS#8 ("PRIVATE KEY"), the form Netty reads
            Files.writeString(keyTmp, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null)));
            Files.move(keyTmp, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path certPath = folder.resolve(CERT_FILE);
            dev.distillery.core.AtomicFiles.write(certPath, pem(cert).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try {
                Files.setPosixFilePermissions(certPath, PosixFilePermissions.fromString("rw-r--r--")); // public
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
        } catch (java.security.GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot create the TLS certificate in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(file)))) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new IOException(file + " holds no certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw new IOException("Cannot read the certificate " + file + ": " + e.getMessage(), e);
        }
    }

    /** The private key (for tests and tools; servers use {@link #keyFile}). */
    PrivateKey privateKey() throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(keyFile)))) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            return o instanceof PEMKeyPair kp ? c.getKeyPair(kp).getPrivate()
                    : c.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
        }
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate's DER encoding, lower-case hex: what clients pin. */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    public static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
