package org.itsmhub.plugin.veeam;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.plugin.veeam.VeeamStubs.*;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A self-signed VBR certificate is accepted only when its fingerprint is pinned or it is given as tls.trust. */
class VeeamTlsTest {

    private static final String NOT_TRUSTED = "TLS: the server's certificate is not trusted (set tls.trust to its PEM,"
            + " or tls.pinned.sha256 to its SHA-256 fingerprint)";

    @RegisterExtension
    static final WireMockExtension VBR = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort()).build();

    private static String httpsUrl() {
        return "https://localhost:" + VBR.getRuntimeInfo().getHttpsPort();
    }

    /** The server's certificate as a client sees it (test-side only: records the chain, trusts nothing). */
    private static X509Certificate serverCertificate() throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                seen.set(chain[0]);
                throw new java.security.cert.CertificateException("recorded, not trusted");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {recorder}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost",
                VBR.getRuntimeInfo().getHttpsPort())) {
            socket.startHandshake();
        } catch (javax.net.ssl.SSLException expected) {
            // the recorder refused on purpose
        }
        return seen.get();
    }

    private Connector connect(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(config(httpsUrl(), "pw"));
        raw.putAll(extra);
        VeeamConnectorFactory factory = new VeeamConnectorFactory();
        return factory.create(TestConnectorContext.of(factory, raw, Clock.systemUTC()));
    }

    private static void read(Connector c) {
        c.capability(FindingSource.class).orElseThrow().readFindings(new ReadRequest(null, Map.of(), 10));
    }

    @Test
    void thePinnedSelfSignedCertificateIsAcceptedAndNothingElse() throws Exception {
        stubLogin(VBR, "access-1", "refresh-1", 3600);
        stubPaged(VBR, STATES_PATH, List.of());
        String fingerprint = VeeamTls.fingerprint(serverCertificate());
        String withColons = fingerprint.toUpperCase().replaceAll("(..)(?!$)", "$1:");

        try (Connector pinned = connect(Map.of("tls.pinned.sha256", withColons))) {
            read(pinned);
        }
        assertThat(VBR.getAllServeEvents()).hasSize(2);

        String other = (fingerprint.charAt(0) == '0' ? "1" : "0") + fingerprint.substring(1);
        try (Connector wrongPin = connect(Map.of("tls.pinned.sha256", other))) {
            assertThatThrownBy(() -> read(wrongPin)).isInstanceOf(TlsTrust.UntrustedCertificateException.class)
                    .hasMessageEndingWith(NOT_TRUSTED);
        }
        try (Connector unpinned = connect(Map.of())) {
            assertThatThrownBy(() -> read(unpinned)).isInstanceOf(TlsTrust.UntrustedCertificateException.class)
                    .hasMessageEndingWith(NOT_TRUSTED);
            assertThat(unpinned.checkConnection()).extracting(ConfigProblem::key).containsExactly("tls.trust");
        }
        assertThat(VBR.getAllServeEvents()).hasSize(2);
    }

    @Test
    void theServersCertificateAsTlsTrustStillHasToNameTheHostUnlikeAPinAndTheTwoDoNotGoTogether() throws Exception {
        stubLogin(VBR, "access-1", "refresh-1", 3600);
        stubPaged(VBR, STATES_PATH, List.of());
        X509Certificate certificate = serverCertificate();
        String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Map<String, Object> both = new HashMap<>(config(httpsUrl(), "pw"));
        both.put("tls.trust", pem);
        both.put("tls.pinned.sha256", VeeamTls.fingerprint(certificate));

        // WireMock's built-in certificate does not name localhost, which the connection reaches it as
        try (Connector trusting = connect(Map.of("tls.trust", pem))) {
            assertThatThrownBy(() -> read(trusting)).isInstanceOf(TlsTrust.UntrustedCertificateException.class)
                    .hasMessage("Veeam log in failed: TLS: the server's certificate is not issued for host localhost;"
                            + " check base.url (tls.trust never waives the host name check)");
        }
        assertThat(VBR.getAllServeEvents()).isEmpty();
        assertThat(new VeeamConnectorFactory().validate(ConnectorConfig.of(VeeamConnectorConfig.CONFIG, both)))
                .extracting(ConfigProblem::key).containsExactly("tls.pinned.sha256");
    }
}
