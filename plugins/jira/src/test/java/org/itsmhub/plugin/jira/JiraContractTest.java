package org.itsmhub.plugin.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.testkit.contract.TicketConnectorContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class JiraContractTest extends TicketConnectorContractTest {

    private static final String SEARCH = "/rest/api/3/search/jql";

    @AfterEach
    void everyRequestConformsToTheOpenApiSpec() {
        JiraOpenApi.assertConform(requests());
    }

    @Override
    protected ConnectorFactory factory() {
        return new JiraConnectorFactory();
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return JiraStubs.config(baseUrl, secret);
    }

    @Override
    protected void stubChangedTickets(int total, int pageSize) {
        Instant first = Instant.now().minusSeconds(3600);
        int pages = (total + pageSize - 1) / pageSize;
        for (int p = 0; p < pages; p++) {
            int from = p * pageSize + 1;
            int count = Math.min(pageSize, total - p * pageSize);
            String next = p + 1 < pages ? "token-" + (p + 2) : null;
            var stub = post(urlPathEqualTo(SEARCH));
            stub = p == 0 ? stub.withRequestBody(notContaining("nextPageToken"))
                    : stub.withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("token-" + (p + 1))));
            VENDOR.stubFor(stub.willReturn(okJson(JiraStubs.page(JiraStubs.issues(from, count, first), next))));
        }
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        JiraCursor c = JiraCursor.decode(cursor);
        assertThat(c.token()).isNull();
        String since = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .format(Instant.ofEpochMilli(c.high()).minusSeconds(300).atZone(ZoneId.of("Europe/Berlin")));
        assertThat(requests).isNotEmpty();
        String first = JiraStubs.json(requests.get(0).getBodyAsString()).path("jql").asText();
        assertThat(first).isEqualTo("project = ITSD AND updated >= \"" + since + "\" ORDER BY updated ASC, key ASC");
        assertThat(requests.get(0).getBodyAsString()).doesNotContain("nextPageToken");
    }

    /** JQL compares minutes: Jira answers the start's whole minute, so also what changed 20 s before it. */
    @Override
    protected Set<String> stubChangedAround(Instant since) {
        List<ObjectNode> after = List.of(issue(100, since), issue(101, since.plusSeconds(1)),
                issue(102, since.plusSeconds(7200)));
        List<ObjectNode> answered = new ArrayList<>(List.of(issue(91, since.minusSeconds(20))));
        answered.addAll(after);
        List<ObjectNode> all = new ArrayList<>(List.of(issue(90, since.minusSeconds(86400))));
        all.addAll(answered);
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).atPriority(9).willReturn(okJson(JiraStubs.page(all, null))));
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.jql", containing("updated >= \"" + jqlMinute(since) + "\" ")))
                .willReturn(okJson(JiraStubs.page(answered, null))));
        return Set.of("ITSD-100", "ITSD-101", "ITSD-102");
    }

    @Override
    protected void assertAskedForChangesSince(Instant since, List<LoggedRequest> requests) {
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(JiraStubs.json(r.getBodyAsString()).path("jql")
                .asText()).isEqualTo("project = ITSD AND updated >= \"" + jqlMinute(since)
                        + "\" ORDER BY updated ASC, key ASC"));
    }

    @Test
    void theNextCyclesOverlapReachesNoFurtherBackThanSince() {
        Instant since = readSince();
        String answer = JiraStubs.page(List.of(issue(91, since.minusSeconds(20)), issue(100, since.plusSeconds(1))), null);
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(answer)));

        Page<Ticket> first = read(new ReadRequest(null, Map.of(), 10, since));
        VENDOR.resetRequests();
        Page<Ticket> next = read(new ReadRequest(first.next(), Map.of(), 10, since));

        assertThat(first.items()).extracting(t -> t.ref().id()).containsExactly("ITSD-100");
        assertThat(next.items()).as("read.lookback (5 min) before the newest change would reach before since").isEmpty();
        assertThat(JiraStubs.json(requests().get(0).getBodyAsString()).path("jql").asText())
                .contains("updated >= \"" + jqlMinute(since) + "\"");
    }

    private static ObjectNode issue(int n, Instant updated) {
        return JiraStubs.issue("ITSD-" + n, "Ticket " + n, updated, "Waiting for support", "new");
    }

    /** The start as JQL takes it: whole minutes, in the account's time zone (jql.timezone). */
    private static String jqlMinute(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(t.atZone(ZoneId.of("Europe/Berlin")));
    }

    @Override
    protected void stubAuthenticationFailure() {
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(JiraStubs.resource("error-401.json"))));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", String.valueOf(seconds))
                .withHeader("RateLimit-Reason", "jira-burst-based")
                .withHeader("X-RateLimit-Limit", "350")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")));
    }

    @Override
    protected void stubServerError() {
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Service Unavailable\"],\"errors\":{}}")));
    }

    @Override
    protected void stubMalformedBody() {
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"issues\": [ {\"key\": ")));
    }

    @Override
    protected Map<String, String> filterWith(String value) {
        return Map.of("project", value);
    }

    @Override
    protected void assertNeutralised(String hostile, List<LoggedRequest> requests) {
        String literal = "\"" + hostile.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        for (LoggedRequest r : requests) {
            String jql = JiraStubs.json(r.getBodyAsString()).path("jql").asText();
            assertThat(jql).startsWith("project = " + literal + " AND updated >= \"");
            String rest = jql.substring(("project = " + literal).length());
            assertThat(rest).matches(" AND updated >= \"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\" ORDER BY updated ASC, key ASC");
            assertThat(JqlLexer.stringLiterals(jql)).first().isEqualTo(hostile);
        }
    }

    /** Three good issues and one poison issue of each kind, in the shape /rest/api/3/search/jql returns. */
    @Override
    protected Set<String> stubPageWithPoison() {
        Instant first = Instant.now().minusSeconds(3600);
        List<JsonNode> page = new ArrayList<>(JiraStubs.issues(1, 3, first));
        ObjectNode noUpdated = issue(301, first);
        ((ObjectNode) noUpdated.get("fields")).remove("updated");
        page.add(1, noUpdated);
        page.add(issue(302, first).set("key", JsonCodec.mapper().createObjectNode().put("value", "ITSD-302")));
        ObjectNode badDate = issue(303, first);
        ((ObjectNode) badDate.get("fields")).put("updated", "yesterday");
        page.add(badDate);
        page.add(com.fasterxml.jackson.databind.node.NullNode.getInstance());
        ObjectNode huge = issue(305, first);
        ((ObjectNode) huge.get("fields")).put("summary", Poison.hugeText());
        page.add(huge);
        VENDOR.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(page, null))));
        return Set.of("ITSD-1", "ITSD-2", "ITSD-3");
    }
}
