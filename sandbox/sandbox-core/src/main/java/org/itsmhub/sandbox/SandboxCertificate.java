package org.itsmhub.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate of a sandbox in https mode, made fresh at each start for 127.0.0.1 and
 * {@code localhost}, and written where a client can pick exactly it to trust:
 *
 * <ul>
 *   <li>{@code <vendor>-sandbox.pem}: the certificate (for the hub's {@code tls.trust}, curl's
 *       {@code --cacert}, Python's {@code verify=});</li>
 *   <li>{@code <vendor>-sandbox-truststore.p12}: a PKCS#12 trust store holding only it, password
 *       {@value #STORE_PASSWORD} (for Java clients: {@code -Djavax.net.ssl.trustStore=});</li>
 *   <li>{@code <vendor>-sandbox-keystore.p12}: the key the sandbox serves with (same password).</li>
 * </ul>
 *
 * A new key each start means a client never trusts a stale sandbox by accident; the SHA-256
 * fingerprint is printed so a person can compare it with what their client shows.
 *
 * @since 0.3 (issue 16: https mode)
 */
public final class SandboxCertificate {

    /** The password of both PKCS#12 files; they guard a throw-away sandbox key, not a secret. */
    public static final String STORE_PASSWORD = "sandbox";

    private static final String ALIAS = "sandbox";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final X509Certificate certificate;
    private final Path pem;
    private final Path trustStore;
    private final Path keyStore;

    private SandboxCertificate(X509Certificate certificate, Path pem, Path trustStore, Path keyStore) {
        this.certificate = certificate;
        this.pem = pem;
        this.trustStore = trustStore;
        this.keyStore = keyStore;
    }

    /** Makes a new key and certificate for {@code vendor}'s sandbox and writes the three files into {@code dir}. */
    public static SandboxCertificate create(String vendor, Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X509Certificate cert = selfSigned(vendor, keys);
            Path pem = dir.resolve(vendor + "-sandbox.pem");
            Path trust = dir.resolve(vendor + "-sandbox-truststore.p12");
            Path key = dir.resolve(vendor + "-sandbox-keystore.p12");
            Files.writeString(pem, toPem(cert), StandardCharsets.US_ASCII);

            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry(ALIAS, cert);
            store(trustStore, trust);

            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, keys.getPrivate(), STORE_PASSWORD.toCharArray(),
                    new java.security.cert.Certificate[] {cert});
            store(keyStore, key);
            return new SandboxCertificate(cert, pem, trust, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox certificate into " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the sandbox certificate: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(String vendor, KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=ITSM Hub " + vendor + " sandbox, O=ITSM Hub sandbox");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")}));
        // A CA flag lets clients that only accept trust anchors with it (some JDK and Python paths)
        // take the certificate as the anchor and the server certificate at once.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static String toPem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Path pem() {
        return pem;
    }

    public Path trustStore() {
        return trustStore;
    }

    public Path keyStore() {
        return keyStore;
    }

    /** The certificate's SHA-256 fingerprint as {@code AB:CD:...}, the way browsers and {@code openssl} show it. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
