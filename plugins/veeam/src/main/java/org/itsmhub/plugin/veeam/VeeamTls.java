package org.itsmhub.plugin.veeam;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;

import okhttp3.OkHttpClient;

/**
 * Trust for a VBR server with a self-signed certificate: exactly the one certificate whose SHA-256
 * fingerprint the admin pinned, nothing else (no CA, no "trust all"). The host name check is
 * replaced by the same fingerprint check, since self-signed VBR certificates rarely name the host.
 */
final class VeeamTls {

    private VeeamTls() {
    }

    static OkHttpClient.Builder pin(OkHttpClient.Builder builder, String sha256) {
        String expected = normalise(sha256);
        X509TrustManager trust = new PinnedTrustManager(expected);
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {trust}, new SecureRandom());
            return builder.sslSocketFactory(tls.getSocketFactory(), trust).hostnameVerifier((host, session) -> {
                try {
                    return session.getPeerCertificates().length > 0
                            && session.getPeerCertificates()[0] instanceof X509Certificate c
                            && expected.equals(fingerprint(c));
                } catch (SSLPeerUnverifiedException e) {
                    return false;
                }
            });
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with a pinned certificate", e);
        }
    }

    static String normalise(String sha256) {
        return sha256.replace(":", "").toLowerCase(Locale.ROOT);
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    private record PinnedTrustManager(String expected) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !expected.equals(fingerprint(chain[0]))) {
                throw new CertificateException("the VBR server's certificate is not the pinned one (tls.pinned.sha256)");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
