package org.itsmhub.plugin.support.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import okhttp3.Request;
import okhttp3.tls.HeldCertificate;

class TlsTrustTest {

    private static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef());

    @TempDir
    static Path dir;

    /** A self-signed certificate for 127.0.0.1 and localhost, as a sandbox makes at start. */
    private static HeldCertificate server;
    /** Another self-signed certificate for the same names (another key). */
    private static HeldCertificate stranger;
    /** A self-signed certificate for another host name only. */
    private static HeldCertificate elsewhere;
    private static WireMockServer vendor;
    private static WireMockServer misnamed;

    private final HttpErrorClassifier classifier = new HttpErrorClassifier("Acme", Clock.systemUTC(), "base.url", null);

    @BeforeAll
    static void startHttpsServers() throws Exception {
        server = HttpsStubs.certificate("127.0.0.1", "localhost");
        stranger = HttpsStubs.certificate("127.0.0.1", "localhost");
        elsewhere = HttpsStubs.certificate("vendor.example");
        vendor = HttpsStubs.start(server, dir.resolve("vendor.p12"));
        misnamed = HttpsStubs.start(elsewhere, dir.resolve("misnamed.p12"));
    }

    @AfterAll
    static void stopHttpsServers() {
        vendor.stop();
        misnamed.stop();
    }

    @BeforeEach
    void stub() {
        for (WireMockServer s : List.of(vendor, misnamed)) {
            s.resetAll();
            s.stubFor(get("/api/me").willReturn(aResponse().withStatus(200).withBody("{\"id\":1}")));
        }
    }

    private HttpExecutor executor(Map<String, Object> raw) {
        HttpTimeouts.Values values = HttpTimeouts.of(parsed(raw).config());
        return new HttpExecutor(VendorHttpClients.forConnection("acme", null, null, values), classifier);
    }

    private static ConfigDef.Parsed parsed(Map<String, Object> raw) {
        return CONFIG.parse(raw);
    }

    private static Request me(WireMockServer s) {
        return new Request.Builder().url("https://127.0.0.1:" + s.httpsPort() + "/api/me").build();
    }

    @Test
    void aConnectionTrustingTheServersCertificateTalksToIt() {
        String body = executor(Map.of("tls.trust", server.certificatePem()))
                .execute("who am I", me(vendor), r -> r.body().string());

        assertThat(body).isEqualTo("{\"id\":1}");
        vendor.verify(1, getRequestedFor(urlPathEqualTo("/api/me"))
                .withHeader("User-Agent", equalTo("itsm-hub (acme connector)")));
    }

    @Test
    void aBundleOfSeveralCertificatesWithOpensslsTextAroundThemIsTrustedWhole() {
        String bundle = "subject=CN=stranger\n" + stranger.certificatePem() + "\nsubject=CN=server\n"
                + server.certificatePem();

        String body = executor(Map.of("tls.trust", bundle)).execute("who am I", me(vendor), r -> r.body().string());

        assertThat(body).isEqualTo("{\"id\":1}");
        assertThat(TlsTrust.parse(bundle).certificates()).hasSize(2);
        vendor.verify(1, getRequestedFor(urlPathEqualTo("/api/me")));
    }

    @Test
    void withoutTlsTrustTheCallFailsWithOneLineNamingTheKeyAndIsNotRetried() {
        assertThatThrownBy(() -> executor(Map.of()).execute("who am I", me(vendor), r -> null))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.key()).isEqualTo("tls.trust");
                })
                .hasMessage("Acme who am I failed: TLS: the server's certificate is not trusted (set tls.trust to its PEM)");
        vendor.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTlsTrustHoldingAnotherCertificateFailsTheSameWay() {
        assertThatThrownBy(() -> executor(Map.of("tls.trust", stranger.certificatePem()))
                .execute("who am I", me(vendor), r -> null))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class,
                        e -> assertThat(e.isRetriable()).isFalse())
                .hasMessage("Acme who am I failed: TLS: the server's certificate is not trusted (set tls.trust to its PEM)");
        vendor.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theHostNameIsStillCheckedForATrustedCertificate() {
        assertThatThrownBy(() -> executor(Map.of("tls.trust", elsewhere.certificatePem()))
                .execute("who am I", me(misnamed), r -> null))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.key()).isEqualTo("base.url");
                })
                .hasMessage("Acme who am I failed: TLS: the server's certificate is not issued for host 127.0.0.1;"
                        + " check base.url (tls.trust never waives the host name check)");
        misnamed.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTlsTrustThatIsNotPemCertificatesIsAConfigErrorNamingTheKeyWithoutQuotingIt() {
        String corrupt = server.certificatePem().replace("MII", "MIIAAAA");
        String withKey = server.certificatePem() + server.privateKeyPkcs8Pem();
        Map<String, Object> raw = new HashMap<>();
        raw.put("tls.trust", "/etc/itsm-hub/sandbox.pem");
        raw.put("timeouts.read", "soon");

        List<ConfigProblem> problems = parsed(raw).problems();

        assertThat(problems).extracting(ConfigProblem::key).containsExactlyInAnyOrder("tls.trust", "timeouts.read");
        assertThat(problems).filteredOn(p -> p.key().equals("tls.trust")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("must be PEM text of one or more X.509 certificates"
                        + " (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) and holds none; to read a file"
                        + " write ${file:/path/to/server.pem}"));
        assertThat(parsed(Map.of("tls.trust", corrupt)).problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("tls.trust")
                        .contains("certificate 1 is not a readable X.509 certificate").doesNotContain("MII"));
        assertThat(parsed(Map.of("tls.trust", withKey)).problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("tls.trust")
                        .contains("holds a private key").doesNotContain("MII"));
    }

    @Test
    void withoutTlsTrustTheJvmsCasDecideAndNothingElseChanges() {
        HttpTimeouts.Values values = HttpTimeouts.of(parsed(Map.of()).config());

        assertThat(values.trust()).isNull();
        assertThat(VendorHttpClients.forConnection("acme", null, null, values).sslSocketFactory())
                .isSameAs(VendorHttpClients.shared().sslSocketFactory());
        assertThat(TlsTrust.parse(server.certificatePem()).toString())
                .isEqualTo("1 trusted certificate(s): [CN=127.0.0.1]").doesNotContain("MII");
    }
}
