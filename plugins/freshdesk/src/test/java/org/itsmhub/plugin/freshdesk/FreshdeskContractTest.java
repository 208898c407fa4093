package org.itsmhub.plugin.freshdesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.TicketConnectorContractTest;

class FreshdeskContractTest extends TicketConnectorContractTest {

    private static final Instant INITIAL = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant FIRST_UPDATE = Instant.parse("2024-01-02T10:00:00Z");
    private static final Set<String> LIST_PARAMS = Set.of("updated_since", "order_by", "order_type", "per_page", "page",
            "include");

    @Override
    protected ConnectorFactory factory() {
        return new FreshdeskConnectorFactory();
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return Map.of("base.url", baseUrl, "api.key", secret, "initial.since", INITIAL.toString());
    }

    @Override
    protected void stubChangedTickets(int total, int pageSize) {
        FreshdeskStubs.stubTicketList(VENDOR, total, pageSize, INITIAL, FIRST_UPDATE, Duration.ofSeconds(1), SECRET);
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        FreshdeskCursor stored = FreshdeskCursor.decode(cursor);
        assertThat(requests).isNotEmpty();
        assertThat(Instant.parse(stored.since())).isAfter(INITIAL);
        for (LoggedRequest r : requests) {
            assertThat(r.getUrl()).startsWith(FreshdeskStubs.LIST_PATH + "?");
            assertThat(r.queryParameter("updated_since").firstValue()).isEqualTo(stored.since());
            assertThat(r.queryParameter("order_by").firstValue()).isEqualTo("updated_at");
            assertThat(r.queryParameter("order_type").firstValue()).isEqualTo("asc");
        }
    }

    @Override
    protected Set<String> stubChangedAround(Instant since) {
        List<String> after = List.of(FreshdeskStubs.ticket(100, since, null),
                FreshdeskStubs.ticket(101, since.plusSeconds(1), null),
                FreshdeskStubs.ticket(102, since.plusSeconds(7200), null));
        List<String> all = new ArrayList<>(List.of(FreshdeskStubs.ticket(90, since.minusSeconds(86400), null),
                FreshdeskStubs.ticket(91, since.minusSeconds(1), null)));
        all.addAll(after);
        VENDOR.stubFor(get(urlPathEqualTo(FreshdeskStubs.LIST_PATH)).atPriority(9)
                .willReturn(okJson(FreshdeskStubs.array(all))));
        VENDOR.stubFor(get(urlPathEqualTo(FreshdeskStubs.LIST_PATH)).atPriority(1)
                .withQueryParam("updated_since", equalTo(FreshdeskClient.iso(since)))
                .willReturn(okJson(FreshdeskStubs.array(after))));
        return Set.of("100", "101", "102");
    }

    @Override
    protected void assertAskedForChangesSince(Instant since, List<LoggedRequest> requests) {
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getUrl()).startsWith(FreshdeskStubs.LIST_PATH + "?");
            assertThat(r.queryParameter("updated_since").firstValue()).isEqualTo(since.toString());
            assertThat(r.queryParameter("order_by").firstValue()).isEqualTo("updated_at");
            assertThat(r.queryParameter("order_type").firstValue()).isEqualTo("asc");
        });
    }

    @Override
    protected void stubAuthenticationFailure() {
        VENDOR.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"code\":\"invalid_credentials\",\"message\":\"You have to be logged in to perform this action.\"}")));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        VENDOR.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Retry-After", Integer.toString(seconds))
                .withHeader("X-RateLimit-Total", "200").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Used-CurrentRequest", "1")
                .withBody("{\"message\":\"You have exceeded the limit of requests per minute\"}")));
    }

    @Override
    protected void stubServerError() {
        VENDOR.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Service Unavailable</body></html>")));
    }

    @Override
    protected void stubMalformedBody() {
        VENDOR.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"tickets\": \"this is not an array of tickets\"}")));
    }

    /** The tag filter is applied to each page in the connector: the value never reaches Freshdesk. */
    @Override
    protected Map<String, String> filterWith(String value) {
        return Map.of(FreshdeskConnectorConfig.FILTER_TAG, value);
    }

    @Override
    protected void assertNeutralised(String hostile, List<LoggedRequest> requests) {
        for (LoggedRequest r : requests) {
            assertThat(r.getUrl()).startsWith(FreshdeskStubs.LIST_PATH + "?");
            assertThat(URLDecoder.decode(r.getUrl(), StandardCharsets.UTF_8)).doesNotContain(hostile);
            assertThat(r.getQueryParams().keySet()).isSubsetOf(LIST_PARAMS);
        }
    }

    /** The real ticket of the fixture, varied: three good ones and one poison ticket of each kind. */
    @Override
    protected Set<String> stubPageWithPoison() {
        com.fasterxml.jackson.databind.node.ObjectNode real = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.itsmhub.plugin.support.json.JsonCodec.readTree(org.itsmhub.testkit.contract.VendorTestData.read(
                        "freshdesk", "python-freshdesk_v2_ticket_1.json"), "fixture");
        List<String> page = new ArrayList<>();
        for (int id : List.of(201, 202, 203)) {
            page.add(real.deepCopy().put("id", id).put("updated_at", "2024-01-02T10:00:0" + (id - 200) + "Z").toString());
        }
        page.add(2, real.deepCopy().put("id", 301).without("updated_at").toString());
        page.add(real.deepCopy().put("id", "T-302").toString());
        page.add(real.deepCopy().put("id", 303).put("updated_at", "yesterday").toString());
        page.add("null");
        page.add(real.deepCopy().put("id", 305).put("description", Poison.hugeText()).toString());
        VENDOR.stubFor(get(urlPathEqualTo(FreshdeskStubs.LIST_PATH)).atPriority(9).willReturn(okJson("[]")));
        VENDOR.stubFor(get(urlPathEqualTo(FreshdeskStubs.LIST_PATH)).atPriority(1)
                .withQueryParam("updated_since", equalTo(FreshdeskClient.iso(INITIAL)))
                .willReturn(okJson(FreshdeskStubs.array(page))));
        return Set.of("201", "202", "203");
    }
}
