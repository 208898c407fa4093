package org.itsmhub.plugin.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.INCIDENTS;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.JOURNAL;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.USER;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.incident;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.resource;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.sysId;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import okhttp3.tls.HeldCertificate;

/** The connector against an instance that speaks https with a self-signed certificate. */
class ServiceNowTlsTest {

    private static final String PASSWORD = "pa55-word-of-the-integration-user";
    private static final String TICKET = "03dbb48fdb040010a704fe1b6896191b";
    private static final String NOT_TRUSTED = "TLS: the server's certificate is not trusted (set tls.trust to its PEM)";

    @TempDir
    static Path dir;

    private static HeldCertificate certificate;
    /** A certificate for another host name only. */
    private static HeldCertificate elsewhere;
    private static WireMockServer sn;
    private static WireMockServer misnamed;
    /** A second instance with a certificate of its own, for a second connection. */
    private static HeldCertificate otherCertificate;
    private static WireMockServer other;
    private static DefaultCamelContext camel;
    private ServiceNowConnector connector;

    @BeforeAll
    static void start() throws Exception {
        certificate = certificate("127.0.0.1", "localhost");
        elsewhere = certificate("instance.example");
        sn = https(certificate, dir.resolve("instance.p12"));
        misnamed = https(elsewhere, dir.resolve("misnamed.p12"));
        otherCertificate = certificate("127.0.0.1", "localhost");
        other = https(otherCertificate, dir.resolve("other.p12"));
        camel = new DefaultCamelContext();
        camel.start();
    }

    private static HeldCertificate certificate(String... names) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(names[0]);
        for (String name : names) {
            b.addSubjectAlternativeName(name);
        }
        return b.build();
    }

    private static WireMockServer https(HeldCertificate held, Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", held.keyPair().getPrivate(), "changeit".toCharArray(),
                new Certificate[] {held.certificate()});
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            store.store(out, "changeit".toCharArray());
        }
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(keyStore.toString()).keystoreType("PKCS12")
                .keystorePassword("changeit").keyManagerPassword("changeit"));
        server.start();
        return server;
    }

    @AfterAll
    static void stop() {
        camel.stop();
        sn.stop();
        misnamed.stop();
        other.stop();
    }

    @BeforeEach
    void stub() {
        misnamed.resetAll();
        other.resetAll();
        sn.resetAll();
        sn.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(1, Instant.parse("2026-01-09T10:00:00Z")))))));
        sn.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));
        sn.stubFor(post(urlPathEqualTo("/oauth_token.do")).willReturn(json(200, resource("oauth_token.json"))));
        for (WireMockServer instance : List.of(sn, other)) {
            instance.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                    VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        }
        sn.stubFor(get(urlPathEqualTo(JOURNAL)).willReturn(json(200, """
                {"result":[{"sys_id":"%s","element_id":"%s","element":"comments",
                  "value":"Alice Smith wrote:\\n\\nWe are on it","sys_created_on":"2026-01-10 00:00:00",
                  "sys_created_by":"itsm.hub"}]}""".formatted(sysId(70), TICKET))));
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.close();
        }
    }

    private ServiceNowConnector connect(Map<String, Object> extra) {
        return connect(sn, extra);
    }

    private ServiceNowConnector connect(WireMockServer instance, Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("instance.url", "https://127.0.0.1:" + instance.httpsPort(),
                "auth.user", USER, "auth.password", PASSWORD));
        raw.putAll(extra);
        connector = (ServiceNowConnector) new ServiceNowConnectorFactory().create(TestConnectorContext.of(
                new ServiceNowConnectorFactory(), raw, Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC))
                .withService(CamelContext.class, camel));
        return connector;
    }

    private static Ticket ticket() {
        return Ticket.builder().title("VPN down for the Leeds office").description("Since 9:00").priority(Priority.P2)
                .build();
    }

    @Test
    void readsAndCreatesIncidentsOverHttpsWhenTlsTrustHoldsTheInstancesCertificate() {
        connect(Map.of("tls.trust", certificate.certificatePem()));

        Page<Ticket> page = connector.readChanges(new ReadRequest(null, Map.of(), 10));
        ExternalRef created = connector.create(ticket(), "hub-7c1e2f");

        assertThat(page.items()).extracting(t -> t.ref().id()).containsExactly(sysId(1));
        assertThat(created.id()).isEqualTo("03dbb48fdb040010a704fe1b6896191b");
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        sn.verify(1, getRequestedFor(urlPathEqualTo(INCIDENTS)).withHeader("Authorization", equalTo(basic)));
        sn.verify(1, postRequestedFor(urlPathEqualTo(INCIDENTS)).withHeader("Authorization", equalTo(basic))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                        "$.correlation_id", equalTo("hub-7c1e2f"))));
    }

    /**
     * Every incident update, comment, work note and close is a PATCH through camel-servicenow's CXF
     * client, which cannot send PATCH once it trusts through an {@code SSLSocketFactory} (it falls back
     * to {@code HttpURLConnection} then).
     */
    @Test
    void updatesAnIncidentAndAddsACommentWithPatchOverHttpsWhenTlsTrustHoldsTheInstancesCertificate() {
        connect(Map.of("tls.trust", certificate.certificatePem()));

        connector.update(TICKET, Ticket.builder().title("VPN down in Leeds and York").priority(Priority.P4).build(),
                EnumSet.of(TicketField.TITLE, TicketField.PRIORITY));
        ExternalRef comment = connector.addComment(TICKET, new Comment(null, Person.named("Alice Smith"), "We are on it",
                Instant.parse("2026-01-10T00:00:00Z"), Visibility.PUBLIC));

        assertThat(comment.id()).isEqualTo(sysId(70));
        assertThat(sn.findAll(anyRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))))
                .extracting(r -> r.getMethod().getName()).containsExactly("PATCH", "PATCH");
        sn.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"short_description\":\"VPN down in Leeds and York\",\"impact\":\"3\",\"urgency\":\"3\"}")));
        sn.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"comments\":\"Alice Smith wrote:\\n\\nWe are on it\"}")));
    }

    @Test
    void twoConnectionsWithTheirOwnInstanceAndTlsTrustEachTrustOnlyTheirOwnCertificate() {
        ServiceNowConnector first = connect(sn, Map.of("tls.trust", certificate.certificatePem()));
        ServiceNowConnector second = connect(other, Map.of("tls.trust", otherCertificate.certificatePem()));
        ServiceNowConnector astray = connect(other, Map.of("tls.trust", certificate.certificatePem()));
        try {
            first.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));
            second.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));

            assertThatThrownBy(() -> astray.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE)))
                    .isInstanceOf(TlsTrust.UntrustedCertificateException.class)
                    .hasMessageEndingWith(" failed: " + NOT_TRUSTED);
            sn.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
            other.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void withoutTlsTrustReadsWritesAndTheConnectionCheckFailInOneLineNamingTheKeyAndAreNotRetried() {
        connect(Map.of());

        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class,
                        e -> assertThat(e.isRetriable()).isFalse())
                .hasMessage("ServiceNow list incident records failed: " + NOT_TRUSTED);
        assertThatThrownBy(() -> connector.create(ticket(), "hub-7c1e2f"))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class,
                        e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageEndingWith(" failed: " + NOT_TRUSTED);
        assertThat(connector.checkConnection()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("tls.trust");
            assertThat(p.message()).endsWith(" failed: " + NOT_TRUSTED);
        });
        sn.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void camelServiceNowsOwnOauthTokenRequestTrustsTlsTrustToo() {
        connect(Map.of("tls.trust", certificate.certificatePem(), "oauth.client.id", "3e57bb02663102004d010ee8f561307a",
                "oauth.client.secret", "client-s3cret"));

        ExternalRef created = connector.create(ticket(), "hub-7c1e2f");
        connector.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));

        assertThat(created.id()).isEqualTo("03dbb48fdb040010a704fe1b6896191b");
        sn.verify(1, postRequestedFor(urlPathEqualTo("/oauth_token.do")));
        sn.verify(1, postRequestedFor(urlPathEqualTo(INCIDENTS)).withHeader("Authorization",
                equalTo("Bearer oauth-access-7f3a")));
        sn.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withHeader("Authorization",
                equalTo("Bearer oauth-access-7f3a")));
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefusedOnBothPathsNamingTheUrlsKey() {
        connect(misnamed, Map.of("tls.trust", elsewhere.certificatePem()));

        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.key()).isEqualTo("instance.url");
                })
                .hasMessage("ServiceNow list incident records failed: TLS: the server's certificate is not issued for host"
                        + " 127.0.0.1; check instance.url (tls.trust never waives the host name check)");
        assertThatThrownBy(() -> connector.create(ticket(), "hub-7c1e2f"))
                .isInstanceOfSatisfying(TlsTrust.UntrustedCertificateException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.key()).isEqualTo("instance.url");
                })
                .hasMessageEndingWith(" failed: TLS: the server's certificate is not issued for the host it was reached"
                        + " at; check instance.url (tls.trust never waives the host name check)");
        misnamed.verify(0, anyRequestedFor(anyUrl()));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body);
    }
}
