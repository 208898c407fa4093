package org.itsmhub.plugin.support.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.error.ConnectorException;

/**
 * The certificates a connection trusts instead of the JVM's CAs: {@value #KEY}, a key every
 * connection has (declared with the {@code timeouts.*} keys by {@link HttpTimeouts#define}). Its value
 * is PEM text of one or more X.509 certificates, the server's own self-signed one or the private CA
 * that issued it, usually {@code ${file:/path/to/server.pem}}. Only the trust anchors change: the
 * certificate chain is still validated and the host name is still checked against the certificate.
 *
 * <p>The certificates are public, but their text is never logged or echoed in an error: a mistaken
 * value may be something else (a private key pasted by accident).
 */
public final class TlsTrust {

    public static final String KEY = "tls.trust";

    /** What a call whose server presented a certificate outside the trust fails with (one line). */
    public static final String NOT_TRUSTED = "TLS: the server's certificate is not trusted (set " + KEY
            + " to its PEM)";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");

    static final ConfigValidator VALID = value -> {
        try {
            parse(String.valueOf(value));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    };

    /**
     * The server's certificate is not trusted, or does not name the host it was reached at: a setting
     * to fix, so not retried.
     */
    public static final class UntrustedCertificateException extends ConnectorException {
        private final String key;

        /** @param key the config key to fix: {@value TlsTrust#KEY}, or the URL's key for another host name */
        public UntrustedCertificateException(String key, String message, Throwable cause) {
            super(message, cause);
            this.key = key == null ? "" : key;
        }

        /** The config key a connection check reports this against. */
        public String key() {
            return key;
        }
    }

    private final List<X509Certificate> certificates;
    private final X509TrustManager trustManager;
    private final SSLSocketFactory socketFactory;

    private TlsTrust(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore());
            X509TrustManager found = null;
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    found = x;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the JVM offers no X.509 trust manager");
            }
            this.trustManager = found;
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {found}, null);
            this.socketFactory = tls.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trusting " + KEY, e);
        }
    }

    /** Adds {@value #KEY} to a connector's definition. */
    static ConfigDef define(ConfigDef def) {
        return def.defineOptional(KEY, ConfigType.STRING, null,
                "PEM text of the certificates this connection trusts instead of the JVM's CAs: the server's own"
                        + " (self-signed) certificate or the CA that issued it, usually ${file:/path/to/server.pem}."
                        + " The host name is still checked. Unset: the JVM's trusted CAs decide.", VALID);
    }

    /** The connection's trust, when {@value #KEY} is set. */
    public static Optional<TlsTrust> of(ConnectorConfig config) {
        return config.findString(KEY).map(TlsTrust::parse);
    }

    /**
     * Reads PEM text; text around the certificate blocks (as {@code openssl} writes it) is ignored.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the text
     */
    public static TlsTrust parse(String pem) {
        String text = pem == null ? "" : pem;
        if (text.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException("holds a private key: give only the certificate(s), never the key");
        }
        List<X509Certificate> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("certificate " + (found.size() + 1) + " is not valid base64");
                }
                try {
                    found.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der)));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("certificate " + (found.size() + 1)
                            + " is not a readable X.509 certificate");
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the JVM cannot read X.509 certificates", e);
        }
        if (found.isEmpty()) {
            boolean oneLine = !text.strip().contains("\n");
            throw new IllegalArgumentException("must be PEM text of one or more X.509 certificates (-----BEGIN CERTIFICATE-----"
                    + " ... -----END CERTIFICATE-----) and holds none" + (oneLine && !text.isBlank()
                            ? "; to read a file write ${file:/path/to/server.pem}" : ""));
        }
        return new TlsTrust(found);
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Trusts exactly {@link #certificates()}; checks chains with the JVM's PKIX rules. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /** The certificates as an in-memory key store of trusted entries (for clients that take one). */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("tls-trust-" + (i + 1), certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold certificates in a key store", e);
        }
    }

    /** Subjects only: never the certificates' text. */
    @Override
    public String toString() {
        return certificates.size() + " trusted certificate(s): "
                + certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
