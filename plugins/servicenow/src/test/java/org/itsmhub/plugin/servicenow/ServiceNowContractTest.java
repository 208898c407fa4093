package org.itsmhub.plugin.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.INCIDENTS;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.incident;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.resource;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.sysId;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.ts;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.TicketConnectorContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class ServiceNowContractTest extends TicketConnectorContractTest {

    static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    /** Records change one minute apart from here. */
    static final Instant FIRST_CHANGE = Instant.parse("2026-01-09T10:00:00Z");

    private static DefaultCamelContext camel;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @Override
    protected ConnectorFactory factory() {
        return new ServiceNowConnectorFactory();
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return Map.of("instance.url", baseUrl, "auth.user", ServiceNowStubs.USER, "auth.password", secret);
    }

    @Override
    protected Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Override
    protected TestConnectorContext context(TestConnectorContext context) {
        return context.withService(CamelContext.class, camel);
    }

    private static Instant changed(int i) {
        return FIRST_CHANGE.plusSeconds(60L * i);
    }

    @Override
    protected void stubChangedTickets(int total, int pageSize) {
        for (int from = 0; from < total; from += pageSize) {
            int to = Math.min(total, from + pageSize);
            List<String> records = new ArrayList<>();
            if (from > 0) {
                records.add(incident(from - 1, changed(from - 1))); // the boundary record, asked for again
            }
            for (int i = from; i < to; i++) {
                records.add(incident(i, changed(i)));
            }
            MappingBuilder page = get(urlPathEqualTo(INCIDENTS)).withQueryParam("sysparm_offset", equalTo("0"));
            if (from == 0) {
                page.withQueryParam("sysparm_query", containing("sys_updated_on>=" + ts(NOW.minusSeconds(7 * 86400))));
            } else {
                // continues at the previous page's newest record, which the connector skips by id
                page.withQueryParam("sysparm_query", containing("sys_updated_on>=" + ts(changed(from - 1)) + "^"));
            }
            VENDOR.stubFor(page.willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Total-Count", String.valueOf(total))
                    .withHeader("Link", ServiceNowStubs.link(VENDOR.baseUrl(), pageSize, from, to < total))
                    .withBody(ServiceNowStubs.result(records))));
        }
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS))
                .withQueryParam("sysparm_offset", equalTo("0"))
                .withQueryParam("sysparm_query", containing("sys_updated_on>=" + ts(changed(total - 1)) + "^"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("X-Total-Count", "1").withBody("{\"result\":[]}")));
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        ServiceNowCursor position = ServiceNowCursor.decode(cursor);
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.queryParameter("sysparm_query").firstValue())
                    .startsWith("sys_updated_on>=" + ts(position.since()) + "^")
                    .endsWith("^ORDERBYsys_updated_on^ORDERBYsys_id");
            assertThat(r.queryParameter("sysparm_offset").firstValue()).isEqualTo("0");
        });
    }

    @Override
    protected Set<String> stubChangedAround(Instant since) {
        List<String> after = List.of(incident(100, since), incident(101, since.plusSeconds(1)),
                incident(102, since.plusSeconds(7200)));
        List<String> all = new ArrayList<>(List.of(incident(90, since.minusSeconds(86400)),
                incident(91, since.minusSeconds(1))));
        all.addAll(after);
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).atPriority(9).willReturn(okResult(all)));
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).atPriority(1)
                .withQueryParam("sysparm_query", containing("sys_updated_on>=" + ts(since) + "^"))
                .willReturn(okResult(after)));
        return Set.of(sysId(100), sysId(101), sysId(102));
    }

    @Override
    protected void assertAskedForChangesSince(Instant since, List<LoggedRequest> requests) {
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.queryParameter("sysparm_query").firstValue())
                .startsWith("sys_updated_on>=" + ts(since) + "^")
                .endsWith("^ORDERBYsys_updated_on^ORDERBYsys_id"));
    }

    private static ResponseDefinitionBuilder okResult(List<String> records) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("X-Total-Count", String.valueOf(records.size())).withBody(ServiceNowStubs.result(records));
    }

    @Override
    protected void stubAuthenticationFailure() {
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withHeader("WWW-Authenticate", "BASIC realm=\"Service-now\"")
                .withBody(resource("error_401_not_authenticated.json"))));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("Retry-After", String.valueOf(seconds))
                .withHeader("X-RateLimit-Limit", "1000")
                .withHeader("X-RateLimit-Reset", String.valueOf(NOW.getEpochSecond() + seconds))
                .withBody(resource("error_429_rate_limited.json"))));
    }

    @Override
    protected void stubServerError() {
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(resource("error_500.json"))));
    }

    @Override
    protected void stubMalformedBody() {
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody(resource("hibernating_instance.html"))));
    }

    @Override
    protected Map<String, String> filterWith(String value) {
        return Map.of(ServiceNowConnector.FILTER_GROUP, value);
    }

    @Override
    protected void assertNeutralised(String hostile, List<LoggedRequest> requests) {
        for (LoggedRequest r : requests) {
            String query = r.queryParameter("sysparm_query").isPresent()
                    ? r.queryParameter("sysparm_query").firstValue() : "";
            assertThat(query).doesNotContain(hostile).doesNotContain("^NQ").doesNotContain("^OR");
        }
    }

    /**
     * The recorded incident of the fixture, varied: three good ones and one poison record of each kind,
     * as the Table API lists them.
     */
    @Override
    protected Set<String> stubPageWithPoison() {
        com.fasterxml.jackson.databind.node.ObjectNode real = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.itsmhub.plugin.support.json.JsonCodec.readTree(org.itsmhub.testkit.contract.VendorTestData.read(
                        "servicenow", "itential_GET_table_incident_by_sys_id.json"), "fixture").get("result");
        java.util.function.IntFunction<com.fasterxml.jackson.databind.node.ObjectNode> incident = i -> real.deepCopy()
                .put("sys_id", ServiceNowStubs.sysId(i)).put("number", String.format("INC%07d", i))
                .put("sys_updated_on", ts(changed(Math.min(i, 3))));
        List<String> records = new ArrayList<>(List.of(incident.apply(1).toString(), incident.apply(2).toString()));
        records.add(incident.apply(301).without("sys_updated_on").toString());
        records.add(incident.apply(3).toString());
        records.add(incident.apply(302).set("sys_id", org.itsmhub.plugin.support.json.JsonCodec.mapper().createArrayNode()
                .add(ServiceNowStubs.sysId(302))).toString());
        records.add(incident.apply(303).put("sys_updated_on", "yesterday").toString());
        records.add("null");
        records.add(incident.apply(305).put("description", Poison.hugeText()).toString());
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).atPriority(9).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"result\":[]}")));
        VENDOR.stubFor(get(urlPathEqualTo(INCIDENTS)).atPriority(1)
                .withQueryParam("sysparm_query", containing("sys_updated_on>=" + ts(NOW.minusSeconds(7 * 86400))))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(ServiceNowStubs.result(records))));
        return Set.of(ServiceNowStubs.sysId(1), ServiceNowStubs.sysId(2), ServiceNowStubs.sysId(3));
    }
}
