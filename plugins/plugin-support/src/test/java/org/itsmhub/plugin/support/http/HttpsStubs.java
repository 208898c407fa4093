package org.itsmhub.plugin.support.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;

import com.github.tomakehurst.wiremock.WireMockServer;

import okhttp3.tls.HeldCertificate;

/** WireMock over https on 127.0.0.1 with a certificate made for the test. */
final class HttpsStubs {

    private static final String PASSWORD = "changeit";

    private HttpsStubs() {
    }

    /** A self-signed certificate naming {@code names} (the first also as its common name). */
    static HeldCertificate certificate(String... names) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(names[0]);
        for (String name : names) {
            b.addSubjectAlternativeName(name);
        }
        return b.build();
    }

    /** A started https-only WireMock presenting {@code certificate}; its key store is written to {@code keyStore}. */
    static WireMockServer start(HeldCertificate certificate, Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.keyPair().getPrivate(), PASSWORD.toCharArray(),
                new Certificate[] {certificate.certificate()});
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            store.store(out, PASSWORD.toCharArray());
        }
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(keyStore.toString()).keystoreType("PKCS12")
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
        server.start();
        return server;
    }
}
