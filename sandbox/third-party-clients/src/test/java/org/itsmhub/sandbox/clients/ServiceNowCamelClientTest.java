package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.servicenow.ServiceNowConstants;
import org.apache.camel.component.servicenow.ServiceNowException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.itsmhub.sandbox.SandboxCertificate;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.servicenow.ServiceNowSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The ServiceNow sandbox over https, driven by Apache Camel's camel-servicenow component (unpatched, in a
 * plain CamelContext, none of the hub's code in between) the way a Camel user would call an instance:
 * basic auth or OAuth, trusting exactly the sandbox's certificate through {@code SSLContextParameters},
 * paging with the offsets the component reads from the {@code Link} header.
 */
class ServiceNowCamelClientTest {

    private static final String PASSWORD = ServiceNowSandbox.DEFAULT_PASSWORD;

    @TempDir
    Path dir;

    private HttpsSandbox<ServiceNowSandbox> https;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        Path seed = dir.resolve("incidents.json");
        StringBuilder records = new StringBuilder("{\"result\":[");
        for (int i = 1; i <= 5; i++) {
            records.append(i == 1 ? "" : ",").append("""
                    {"sys_id":"%032x","number":"INC000000%d","short_description":"Seeded %d","state":"2",
                     "impact":"2","urgency":"2","priority":"3","sys_created_on":"2026-12-01 10:00:0%d",
                     "sys_updated_on":"2026-12-01 10:00:0%d"}""".formatted(0xbeef00 + i, i, i, i, i));
        }
        Files.writeString(seed, records.append("]}").toString());
        https = HttpsSandbox.start(o -> new ServiceNowSandbox(o, Clock.systemUTC(), ServiceNowSandbox.DEFAULT_USER, PASSWORD),
                SandboxOptions.defaults().withSeeds(List.of(SandboxOptions.Seed.parse("incident=" + seed))),
                dir.resolve("tls"));

        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("file:" + https.trustStore());
        trustStore.setPassword(SandboxCertificate.STORE_PASSWORD);
        trustStore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);

        camel = new DefaultCamelContext();
        camel.getRegistry().bind("sandboxTls", tls);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (https != null) {
            https.close();
        }
    }

    private String endpoint(String password) {
        return "servicenow:sandbox?apiUrl=RAW(" + https.baseUrl() + "/api)&userName=" + ServiceNowSandbox.DEFAULT_USER
                + "&password=RAW(" + password + ")&sslContextParameters=#sandboxTls&table=incident"
                + "&excludeReferenceLink=true";
    }

    private Exchange call(String action, Map<String, Object> headers, Object body) {
        Exchange exchange = template.request(endpoint(PASSWORD), e -> {
            e.getIn().setHeader(ServiceNowConstants.RESOURCE, ServiceNowConstants.RESOURCE_TABLE);
            e.getIn().setHeader(ServiceNowConstants.ACTION, action);
            e.getIn().setHeader(ServiceNowConstants.REQUEST_MODEL, Map.class);
            e.getIn().setHeader(ServiceNowConstants.RESPONSE_MODEL, Map.class);
            e.getIn().getHeaders().putAll(headers);
            e.getIn().setBody(body);
        });
        if (exchange.getException() != null) {
            throw new AssertionError("camel-servicenow failed", exchange.getException());
        }
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Exchange e) {
        return e.getMessage().getBody(Map.class);
    }

    private List<ServeEvent> journal() {
        return https.journal();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsEveryIncidentPagingWithTheOffsetsTheComponentReadsFromTheLinkHeader() {
        List<String> numbers = new ArrayList<>();
        Object offset = 0;
        int pages = 0;
        while (offset != null) {
            Exchange page = call(ServiceNowConstants.ACTION_RETRIEVE, Map.of(ServiceNowConstants.SYSPARM_QUERY,
                    "ORDERBYnumber", ServiceNowConstants.SYSPARM_LIMIT, 2, ServiceNowConstants.SYSPARM_OFFSET, offset), null);
            ((List<Map<String, Object>>) page.getMessage().getBody(List.class)).forEach(r -> numbers.add((String) r.get("number")));
            assertThat(page.getMessage().getHeader(ServiceNowConstants.OFFSET_FIRST, String.class)).isEqualTo("0");
            assertThat(page.getMessage().getHeader(ServiceNowConstants.OFFSET_LAST, String.class)).isEqualTo("4");
            offset = page.getMessage().getHeader(ServiceNowConstants.OFFSET_NEXT);
            pages++;
        }

        assertThat(numbers).containsExactly("INC0000001", "INC0000002", "INC0000003", "INC0000004", "INC0000005");
        assertThat(pages).isEqualTo(3);
        assertThat(journal()).extracting(e -> e.getRequest().queryParameter("sysparm_offset").firstValue())
                .containsExactly("0", "2", "4");
        assertThat(journal()).allSatisfy(e -> {
            assertThat(e.getRequest().getAbsoluteUrl()).startsWith(https.baseUrl() + "/api/now/table/incident?");
            assertThat(e.getResponse().getHeaders().getHeader("X-Total-Count").firstValue()).isEqualTo("5");
            assertThat(e.getResponse().getHeaders().getHeader("Link").firstValue()).contains("<" + https.baseUrl());
        });
    }

    @Test
    void createsReadsUpdatesCommentsResolvesAndDeletesAnIncident() {
        Map<String, Object> created = record(call(ServiceNowConstants.ACTION_CREATE, Map.of(), new HashMap<>(Map.of(
                "short_description", "VPN drops every hour", "impact", "2", "urgency", "1",
                "correlation_id", "hub-42", "correlation_display", "ITSM Hub"))));
        String sysId = (String) created.get("sys_id");
        Map<String, Object> id = Map.of(ServiceNowConstants.PARAM_SYS_ID, sysId);

        Map<String, Object> read = record(call(ServiceNowConstants.ACTION_RETRIEVE, id, null));
        // "modify" (PUT), not "update" (PATCH): see patchIsRefusedByTheClientItselfWhenItTrustsThroughSslContextParameters
        Map<String, Object> updated = record(call(ServiceNowConstants.ACTION_MODIFY, id,
                new HashMap<>(Map.of("urgency", "3"))));
        call(ServiceNowConstants.ACTION_MODIFY, id, new HashMap<>(Map.of("work_notes", "checked the tunnel logs",
                "comments", "We are on it")));
        Map<String, Object> resolved = record(call(ServiceNowConstants.ACTION_MODIFY, id, new HashMap<>(Map.of(
                "state", "6", "close_code", "Solved (Permanently)", "close_notes", "Replaced the VPN profile"))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> journalEntries = call(ServiceNowConstants.ACTION_RETRIEVE, Map.of(
                ServiceNowConstants.PARAM_TABLE_NAME, ServiceNowSandbox.JOURNAL,
                ServiceNowConstants.SYSPARM_QUERY, "element_id=" + sysId + "^ORDERBYelement"), null)
                .getMessage().getBody(List.class);
        call(ServiceNowConstants.ACTION_DELETE, id, null);

        assertThat(created).containsEntry("state", "1").containsEntry("priority", "2")
                .containsEntry("correlation_id", "hub-42");
        assertThat((String) created.get("number")).matches("INC\\d{7}");
        assertThat(read).containsEntry("short_description", "VPN drops every hour").containsEntry("sys_id", sysId);
        assertThat(updated).containsEntry("urgency", "3").containsEntry("priority", "4");
        assertThat(resolved).containsEntry("state", "6").containsEntry("active", "false")
                .containsEntry("close_code", "Solved (Permanently)");
        assertThat(journalEntries).extracting(j -> j.get("element") + ": " + j.get("value"))
                .containsExactly("comments: We are on it", "work_notes: checked the tunnel logs");
        String record = "/api/now/table/incident/" + sysId;
        assertThat(journal()).extracting(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl()
                        .replaceAll("\\?.*", ""))
                .containsExactly("POST /api/now/table/incident", "GET " + record, "PUT " + record, "PUT " + record,
                        "PUT " + record, "GET /api/now/table/" + ServiceNowSandbox.JOURNAL, "DELETE " + record);
        assertThat(https.sandbox().records("incident")).extracting(r -> r.get("sys_id").asText()).doesNotContain(sysId);
        assertThat(journal().get(0).getRequest().getBodyAsString()).contains("\"correlation_id\":\"hub-42\"");
        assertThat(journal()).allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).startsWith("Basic "));
    }

    /**
     * A limit of the client, not of the sandbox, kept as a test so that it is noticed when CXF lifts it:
     * with {@code sslContextParameters} camel-servicenow hands CXF an {@code SSLSocketFactory}, CXF then
     * falls back from the JDK HttpClient to {@code HttpURLConnection}, which cannot send PATCH. Against a
     * real instance with a private CA the same happens; PUT ("modify") works.
     */
    @Test
    void patchIsRefusedByTheClientItselfWhenItTrustsThroughSslContextParameters() {
        Map<String, Object> created = record(call(ServiceNowConstants.ACTION_CREATE, Map.of(),
                new HashMap<>(Map.of("short_description", "x"))));
        Exchange patch = template.request(endpoint(PASSWORD), e -> {
            e.getIn().setHeader(ServiceNowConstants.RESOURCE, ServiceNowConstants.RESOURCE_TABLE);
            e.getIn().setHeader(ServiceNowConstants.ACTION, ServiceNowConstants.ACTION_UPDATE);
            e.getIn().setHeader(ServiceNowConstants.REQUEST_MODEL, Map.class);
            e.getIn().setHeader(ServiceNowConstants.RESPONSE_MODEL, Map.class);
            e.getIn().setHeader(ServiceNowConstants.PARAM_SYS_ID, created.get("sys_id"));
            e.getIn().setBody(new HashMap<>(Map.of("urgency", "1")));
        });

        assertThat(patch.getException()).hasRootCauseInstanceOf(java.net.ProtocolException.class)
                .rootCause().hasMessage("Invalid HTTP method: PATCH");
        assertThat(journal()).extracting(e -> e.getRequest().getMethod().getName()).containsExactly("POST");
    }

    /**
     * Another limit of the client: its OAuth token call makes a plain CXF {@code WebClient} that ignores
     * {@code sslContextParameters}, so the token request never trusts the sandbox's (or a private CA's)
     * certificate and fails in the TLS handshake, before the sandbox sees a request.
     */
    @Test
    void theOAuthTokenCallIgnoresTheEndpointsTrustSettings() {
        String oauth = endpoint(PASSWORD) + "&oauthClientId=hub&oauthClientSecret=RAW(s3cret)&oauthTokenUrl=RAW("
                + https.baseUrl() + "/oauth_token.do)";
        Exchange list = template.request(oauth, e -> {
            e.getIn().setHeader(ServiceNowConstants.RESOURCE, ServiceNowConstants.RESOURCE_TABLE);
            e.getIn().setHeader(ServiceNowConstants.ACTION, ServiceNowConstants.ACTION_RETRIEVE);
            e.getIn().setHeader(ServiceNowConstants.RESPONSE_MODEL, Map.class);
        });

        assertThat(list.getException()).rootCause()
                .hasMessageContaining("unable to find valid certification path to requested target");
        assertThat(journal()).isEmpty();
    }

    @Test
    void aRefusedPasswordGetsServiceNows401WithItsErrorBody() {
        assertThatThrownBy(() -> template.requestBodyAndHeaders(endpoint("wrong-password"), null, Map.of(
                ServiceNowConstants.RESOURCE, ServiceNowConstants.RESOURCE_TABLE,
                ServiceNowConstants.ACTION, ServiceNowConstants.ACTION_RETRIEVE,
                ServiceNowConstants.RESPONSE_MODEL, Map.class)))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(ServiceNowException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getStatus()).isEqualTo("failure");
                    assertThat(e.getMessage()).isEqualTo("User Not Authenticated");
                    assertThat(e.getDetail()).isEqualTo("Required to provide Auth information");
                });
        assertThat(journal()).singleElement().satisfies(e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo(401);
            assertThat(e.getResponse().getHeaders().getHeader("WWW-Authenticate").firstValue())
                    .isEqualTo("BASIC realm=\"Service-now\"");
        });
    }
}
