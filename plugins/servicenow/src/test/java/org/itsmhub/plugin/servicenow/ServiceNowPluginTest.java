package org.itsmhub.plugin.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.INCIDENTS;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.USER;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.incident;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.resource;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.sysId;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * {@link ServiceNowPlugin#stop()}: PF4J closes the plugin's class loader right after it, so no thread
 * the plugin's Table API calls made (CXF's JDK HttpClients, the call workers) may outlive it.
 */
class ServiceNowPluginTest {

    private static final String TICKET = "03dbb48fdb040010a704fe1b6896191b";
    /** camel-servicenow's CXF clients (JDK HttpClient selector and workers) and the connector's call workers. */
    private static final Pattern PLUGIN_THREADS = Pattern.compile("HttpClient-\\d+-.*|servicenow-call-\\d+");
    /** Bound for threads to finish what they run; nothing here waits for an idle timeout. */
    private static final long SETTLE_MILLIS = 5_000;

    private WireMockServer sn;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        sn = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        sn.start();
        sn.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(1, Instant.parse("2026-01-09T10:00:00Z")))))));
        sn.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));
        sn.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        sn.stubFor(post(urlPathEqualTo("/oauth_token.do")).willReturn(json(200, resource("oauth_token.json"))));
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        sn.stop();
    }

    @Test
    void stoppingThePluginAfterTableApiCallsLeavesNoHttpClientOrCallThreadOfItsOwnRunning() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ServiceNowConnector basic = connect(Map.of());
        ServiceNowConnector oauth = connect(Map.of("oauth.client.id", "3e57bb02663102004d010ee8f561307a",
                "oauth.client.secret", "client-s3cret"));

        for (ServiceNowConnector connector : List.of(basic, oauth)) {
            assertThat(connector.findByCorrelationId("hub-7c1e2f")).map(t -> t.ref().id()).contains(sysId(1));
            assertThat(connector.create(ticket(), "hub-7c1e2f").id()).isEqualTo(TICKET);
            connector.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));
        }
        assertThat(madeSince(before)).as("the calls ran on the plugin's own threads").isNotEmpty();
        basic.close();
        oauth.close();
        new ServiceNowPlugin().stop();

        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (!madeSince(before).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(madeSince(before)).as("threads made by the calls, alive after the plugin stopped").isEmpty();
        sn.verify(2, getRequestedFor(urlPathEqualTo(INCIDENTS)));
        sn.verify(2, postRequestedFor(urlPathEqualTo(INCIDENTS)));
        sn.verify(2, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
        sn.verify(1, postRequestedFor(urlPathEqualTo("/oauth_token.do")));
        sn.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))
                .withHeader("Authorization", equalTo("Bearer oauth-access-7f3a")));
    }

    /**
     * The host's Camel context outlives the plugin: a component left in it would keep the plugin's class
     * loader, and the plugin loaded again would find the old one's component under its scheme.
     */
    @Test
    void closedConnectorsLeaveNoComponentOrEndpointOfThePluginInTheHostsCamelContext() {
        ServiceNowConnector first = connect(Map.of());
        ServiceNowConnector second = connect(Map.of());
        first.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));
        second.update(TICKET, ticket(), EnumSet.of(TicketField.TITLE));

        first.close();
        second.close();

        assertThat(camel.getComponentNames()).doesNotContain(CamelTableApi.SCHEME);
        assertThat(camel.getEndpoints()).noneMatch(e -> e.getEndpointUri().startsWith(CamelTableApi.SCHEME));
        sn.verify(2, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
    }

    private ServiceNowConnector connect(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("instance.url", "http://127.0.0.1:" + sn.port(),
                "auth.user", USER, "auth.password", "pa55-word-of-the-integration-user"));
        raw.putAll(extra);
        return (ServiceNowConnector) new ServiceNowConnectorFactory().create(TestConnectorContext.of(
                new ServiceNowConnectorFactory(), raw, Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC))
                .withService(CamelContext.class, camel));
    }

    private static List<String> madeSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && PLUGIN_THREADS.matcher(t.getName()).matches())
                .map(Thread::getName).sorted().collect(Collectors.toList());
    }

    private static Ticket ticket() {
        return Ticket.builder().title("VPN down for the Leeds office").description("Since 9:00").priority(Priority.P2)
                .build();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body);
    }
}
