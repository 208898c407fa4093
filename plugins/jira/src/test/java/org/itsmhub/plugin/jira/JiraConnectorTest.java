package org.itsmhub.plugin.jira;

import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class JiraConnectorTest {

    private static final String TOKEN = "api-t0ken-xyz";
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String SEARCH = "/rest/api/3/search/jql";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString(("hub@acme.example:" + TOKEN).getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static final WireMockExtension JIRA = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @AfterEach
    void everyPlatformRequestConformsToTheOpenApiSpec() {
        JiraOpenApi.assertConform(recorded());
    }

    private JiraConnector connector() {
        return connector(Map.of());
    }

    private JiraConnector connector(Map<String, Object> overrides) {
        Map<String, Object> raw = new LinkedHashMap<>(JiraStubs.config(JIRA.baseUrl(), TOKEN));
        raw.putAll(overrides);
        raw.values().removeIf(v -> v == null || "".equals(v));
        return (JiraConnector) new JiraConnectorFactory().create(
                TestConnectorContext.of(new JiraConnectorFactory(), raw, clock));
    }

    private static List<LoggedRequest> recorded() {
        return JIRA.findAll(anyRequestedFor(anyUrl()));
    }

    private static JsonNode body(LoggedRequest r) {
        return JiraStubs.json(r.getBodyAsString());
    }

    // ------------------------------------------------------------------ reading

    @Test
    void aFirstReadAsksForTheInitialWindowInTheAccountsTimeZone() {
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(
                List.of(JiraStubs.issue("ITSD-7", "Printer jammed", NOW.minusSeconds(600), "Waiting for support", "new")),
                null))));

        Page<Ticket> page = connector().readChanges(new ReadRequest(null, Map.of(), 50));

        assertThat(page.hasMore()).isFalse();
        Ticket t = page.items().get(0);
        assertThat(t.ref()).isEqualTo(ExternalRef.of("jira", "contract-jira", "ITSD-7"));
        assertThat(t.ref().url()).isEqualTo(JIRA.baseUrl() + "/browse/ITSD-7");
        assertThat(t.title()).isEqualTo("Printer jammed");
        assertThat(t.description()).isEqualTo("Body of ITSD-7");
        assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(t.vendorStatus()).isEqualTo("Waiting for support");
        assertThat(t.priority()).isEqualTo(Priority.P2);
        assertThat(t.requester()).isEqualTo(new Person("557058:cust-1", "Carla Customer", "carla@customer.example"));
        assertThat(t.category()).isEqualTo("Get IT help");
        assertThat(t.attributes()).containsEntry("request.type", "25").containsEntry("project", "ITSD");
        assertThat(t.updatedAt()).isEqualTo(NOW.minusSeconds(600));

        LoggedRequest r = recorded().get(0);
        assertThat(r.getMethod().getName()).isEqualTo("POST");
        assertThat(r.getUrl()).isEqualTo(SEARCH);
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        JsonNode b = body(r);
        // 30 days before 10:00Z is 28 Oct, 11:00 in Berlin (CET)
        assertThat(b.path("jql").asText())
                .isEqualTo("project = ITSD AND updated >= \"2026-10-28 11:00\" ORDER BY updated ASC, key ASC");
        assertThat(b.path("maxResults").asInt()).isEqualTo(50);
        assertThat(b.has("nextPageToken")).isFalse();
        assertThat(b.path("fields").toString()).contains("\"summary\"", "\"status\"", "\"updated\"",
                "\"customfield_10010\"", "\"customfield_10050\"");
    }

    @Test
    void followingPagesSendTheTokenWithTheSameJql() {
        Instant t0 = NOW.minusSeconds(3600);
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(notContaining("nextPageToken"))
                .willReturn(okJson(JiraStubs.page(JiraStubs.issues(1, 2, t0), "CAEaAggD"))));
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("CAEaAggD")))
                .willReturn(okJson(JiraStubs.page(JiraStubs.issues(3, 1, t0), null))));
        JiraConnector jira = connector();

        Page<Ticket> first = jira.readChanges(new ReadRequest(null, Map.of(), 2));
        Page<Ticket> second = jira.readChanges(new ReadRequest(first.next(), Map.of(), 2));

        assertThat(first.hasMore()).isTrue();
        assertThat(second.hasMore()).isFalse();
        assertThat(second.items()).extracting(t -> t.ref().id()).containsExactly("ITSD-3");
        List<LoggedRequest> rs = recorded();
        assertThat(body(rs.get(1)).path("jql").asText()).isEqualTo(body(rs.get(0)).path("jql").asText());
        assertThat(body(rs.get(1)).path("nextPageToken").asText()).isEqualTo("CAEaAggD");
    }

    @Test
    void theNextCycleRereadsTheLookbackAndReturnsOnlyRealChanges() {
        Instant t1 = Instant.parse("2026-11-27T09:40:30Z");
        Instant t2 = Instant.parse("2026-11-27T09:50:15Z");
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(
                JiraStubs.issue("ITSD-1", "One", t1, "Open", "new"),
                JiraStubs.issue("ITSD-2", "Two", t2, "Open", "new")), null))));
        JiraConnector jira = connector();
        Page<Ticket> cycle1 = jira.readChanges(new ReadRequest(null, Map.of(), 50));
        assertThat(cycle1.items()).hasSize(2);

        JIRA.resetAll();
        Instant t3 = Instant.parse("2026-11-27T09:51:00Z");
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(
                JiraStubs.issue("ITSD-2", "Two", t2, "Open", "new"), // already returned: same key and updated
                JiraStubs.issue("ITSD-1", "One again", t3, "In Progress", "indeterminate")), null))));
        Page<Ticket> cycle2 = jira.readChanges(new ReadRequest(cycle1.next(), Map.of(), 50));

        assertThat(cycle2.items()).extracting(Ticket::title).containsExactly("One again");
        // 09:50:15Z minus the 5 minute lookback = 09:45:15Z = 10:45 in Berlin, floored to the minute
        assertThat(body(recorded().get(0)).path("jql").asText())
                .isEqualTo("project = ITSD AND updated >= \"2026-11-27 10:45\" ORDER BY updated ASC, key ASC");
        JiraCursor c = JiraCursor.decode(cycle2.next());
        assertThat(c.high()).isEqualTo(t3.toEpochMilli());
        assertThat(c.seen()).contains("ITSD-1@" + t3.toEpochMilli(), "ITSD-2@" + t2.toEpochMilli())
                .doesNotContain("ITSD-1@" + t1.toEpochMilli());
    }

    @Test
    void withoutAConfiguredTimeZoneTheAccountsZoneIsReadFromMyself() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(JiraStubs.resource("myself.json"))));
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(), null))));
        Map<String, Object> noZone = new LinkedHashMap<>();
        noZone.put("jql.timezone", null);
        JiraConnector jira = connector(noZone);

        jira.readChanges(new ReadRequest(null, Map.of(), 10));
        jira.readChanges(new ReadRequest(null, Map.of(), 10));

        JIRA.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/myself")));
        // America/New_York: 30 days before 10:00Z is 06:00 on 28 Oct (still EDT, UTC-4)
        assertThat(body(JIRA.findAll(postRequestedFor(urlPathEqualTo(SEARCH))).get(0)).path("jql").asText())
                .contains("updated >= \"2026-10-28 06:00\"");
    }

    @Test
    void filtersAddTheProjectTheAdminsJqlAndTheRequestType() {
        ObjectNode other = JiraStubs.issue("OPS-2", "Other type", NOW.minusSeconds(60), "Open", "new");
        ((ObjectNode) other.path("fields").path("customfield_10010").path("requestType")).put("id", "31");
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(
                JiraStubs.issue("OPS-1", "Wanted type", NOW.minusSeconds(120), "Open", "new"), other), null))));
        JiraConnector jira = connector(Map.of("jql", "labels = vip OR priority = Highest"));

        Page<Ticket> page = jira.readChanges(new ReadRequest(null,
                Map.of("project", "OPS", "request.type", "25", "jql", "component = Printers"), 10));

        assertThat(page.items()).extracting(t -> t.ref().id()).containsExactly("OPS-1");
        assertThat(body(recorded().get(0)).path("jql").asText()).isEqualTo("project = OPS AND (labels = vip OR "
                + "priority = Highest) AND (component = Printers) AND updated >= \"2026-10-28 11:00\" "
                + "ORDER BY updated ASC, key ASC");
    }

    @Test
    void aRequestTypeFilterThatIsNotAnIdIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> connector().readChanges(new ReadRequest(null,
                Map.of("request.type", "25 OR 1=1"), 10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connector().readChanges(new ReadRequest(null, Map.of("group", "x"), 10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void fetchReadsOneIssueAndIsEmptyWhenJiraSaysNotFound() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-9")).willReturn(okJson(
                JiraStubs.issue("ITSD-9", "Nine", NOW, "Resolved", "done").toString())));
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-404")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],\"errors\":{}}")));
        JiraConnector jira = connector();

        Optional<Ticket> nine = jira.fetch("ITSD-9");
        Optional<Ticket> missing = jira.fetch("ITSD-404");

        assertThat(nine).get().satisfies(t -> assertThat(t.status()).isEqualTo(TicketStatus.RESOLVED));
        assertThat(missing).isEmpty();
        assertThat(recorded().get(0).queryParameter("fields").firstValue()).contains("summary", "customfield_10050");
        assertThatThrownBy(() -> jira.fetch("ITSD-1 OR 1=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commentsArePagedAndKeepTheirVisibilityAndAuthor() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42/comment"))
                .withQueryParam("startAt", equalTo("0"))
                .willReturn(okJson(JiraStubs.resource("comments-page1.json"))));
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42/comment"))
                .withQueryParam("startAt", equalTo("2"))
                .willReturn(okJson(JiraStubs.resource("comments-page2.json"))));

        List<Comment> comments = connector().comments("ITSD-42");

        assertThat(comments).hasSize(3);
        assertThat(comments.get(0).visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(comments.get(0).author()).isEqualTo(new Person("557058:cust-1", "Carla Customer", "carla@customer.example"));
        assertThat(comments.get(0).body()).isEqualTo("My printer is jammed again.");
        assertThat(comments.get(0).createdAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
        assertThat(comments.get(1).visibility()).isEqualTo(Visibility.INTERNAL);
        assertThat(comments.get(1).author().displayName()).isEqualTo("Andy Agent");
        assertThat(comments.get(2).visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(comments.get(2).body()).isEqualTo("Steps:\n\n1. Open tray 2\n2. See the guide (https://kb.acme.example/jam)");
        assertThat(comments.get(2).ref().id()).isEqualTo("ITSD-42/10003");
        LoggedRequest first = recorded().get(0);
        assertThat(first.queryParameter("expand").firstValue()).isEqualTo("properties");
        assertThat(first.queryParameter("maxResults").firstValue()).isEqualTo("100");
        assertThat(first.getHeader("Authorization")).isEqualTo(BASIC);
    }

    // ------------------------------------------------------------------ writing

    @Test
    void createRaisesAJsmRequestCarryingTheCorrelationIdAndSetsTheEntityProperty() {
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(JiraStubs.resource("request-created.json"))));
        JIRA.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ITSD-42/properties/itsmhub"))
                .willReturn(aResponse().withStatus(201)));
        Ticket ticket = Ticket.builder().title("Printer on floor 3 is jammed").description("Paper jam in tray 2")
                .priority(Priority.P2).build();

        ExternalRef ref = connector().create(ticket, "hub-7f3a9c");

        assertThat(ref.id()).isEqualTo("ITSD-42");
        assertThat(ref.url()).isEqualTo("https://acme.atlassian.net/servicedesk/customer/portal/4/ITSD-42");
        JIRA.verify(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request"))
                .withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("{\"serviceDeskId\":\"4\",\"requestTypeId\":\"25\",\"requestFieldValues\":"
                        + "{\"summary\":\"Printer on floor 3 is jammed\",\"description\":\"Paper jam in tray 2\","
                        + "\"customfield_10050\":\"hub-7f3a9c\"}}")));
        JIRA.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ITSD-42/properties/itsmhub"))
                .withRequestBody(equalToJson("{\"correlationId\":\"hub-7f3a9c\",\"tenant\":\"contract\","
                        + "\"connection\":\"contract-jira\"}")));
    }

    @Test
    void inLabelModeTheCorrelationIdIsALabelOfTheNewRequest() {
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(JiraStubs.resource("request-created.json"))));
        JIRA.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ITSD-42/properties/itsmhub"))
                .willReturn(aResponse().withStatus(200)));
        Map<String, Object> labelMode = new LinkedHashMap<>();
        labelMode.put("correlation.mode", "label");
        labelMode.put("correlation.field", null);

        connector(labelMode).create(Ticket.builder().title("Hi").build(), "hub-1");

        JsonNode values = body(JIRA.findAll(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request"))).get(0))
                .path("requestFieldValues");
        assertThat(values.path("labels").toString()).isEqualTo("[\"itsmhub-hub-1\"]");
        assertThatThrownBy(() -> connector(labelMode).create(Ticket.builder().title("Hi").build(), "has space"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRejectedCreateIsADataErrorWithJsmsMessage() {
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(JiraStubs.resource("error-400-create.json"))));

        assertThatThrownBy(() -> connector().create(Ticket.builder().title("x").build(), "hub-2"))
                .isInstanceOf(DataMappingException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("You must specify a summary of the issue");
    }

    @Test
    void findByCorrelationIdSearchesTheEscapedValueAndKeepsOnlyTheExactTwin() {
        String hostile = "hub-1\" OR project is not EMPTY OR summary ~ \"";
        ObjectNode near = JiraStubs.issue("ITSD-5", "Near", NOW, "Open", "new");
        ((ObjectNode) near.path("fields")).put("customfield_10050", "hub-1 other");
        ObjectNode twin = JiraStubs.issue("ITSD-6", "Twin", NOW, "Open", "new");
        ((ObjectNode) twin.path("fields")).put("customfield_10050", hostile);
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(near, twin), null))));

        Optional<Ticket> found = connector().findByCorrelationId(hostile);

        assertThat(found).get().satisfies(t -> {
            assertThat(t.ref().id()).isEqualTo("ITSD-6");
            assertThat(t.correlationId()).isEqualTo(hostile);
        });
        String jql = body(recorded().get(0)).path("jql").asText();
        assertThat(jql).isEqualTo("project = ITSD AND cf[10050] ~ \"hub-1\\\" OR project is not EMPTY OR summary ~ \\\"\""
                + " ORDER BY key ASC");
        assertThat(JqlLexer.stringLiterals(jql)).containsExactly(hostile);
    }

    @Test
    void inLabelModeFindByCorrelationIdMatchesTheLabel() {
        ObjectNode twin = JiraStubs.issue("ITSD-6", "Twin", NOW, "Open", "new");
        ((ObjectNode) twin.path("fields")).putArray("labels").add("itsmhub-hub-9");
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(twin), null))));
        Map<String, Object> labelMode = new LinkedHashMap<>();
        labelMode.put("correlation.mode", "label");
        labelMode.put("correlation.field", null);

        assertThat(connector(labelMode).findByCorrelationId("hub-9")).get()
                .satisfies(t -> assertThat(t.correlationId()).isEqualTo("hub-9"));
        assertThat(body(recorded().get(0)).path("jql").asText())
                .isEqualTo("project = ITSD AND labels = \"itsmhub-hub-9\" ORDER BY key ASC");
    }

    private static Map<String, Object> labelMode() {
        Map<String, Object> labelMode = new LinkedHashMap<>();
        labelMode.put("correlation.mode", "label");
        labelMode.put("correlation.field", null);
        return labelMode;
    }

    private static ObjectNode labelled(String key, String correlationId) {
        ObjectNode issue = JiraStubs.issue(key, "Twin " + key, NOW, "Open", "new");
        ((ObjectNode) issue.path("fields")).putArray("labels").add("itsmhub-" + correlationId);
        return issue;
    }

    @Test
    void aHundredTwinsInLabelModeAreLookedUpWithOneLabelsInSearch() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add("ih:desk:L:" + (1000 + i));
        }
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(okJson(JiraStubs.page(List.of(
                labelled("ITSD-11", "ih:desk:L:1000"), labelled("ITSD-12", "ih:desk:L:1099"),
                labelled("ITSD-13", "ih:desk:L:10")), null))));

        Map<String, Ticket> found = connector(labelMode()).findByCorrelationIds(ids);

        assertThat(found).containsOnlyKeys("ih:desk:L:1000", "ih:desk:L:1099");
        assertThat(found.get("ih:desk:L:1099").ref().id()).isEqualTo("ITSD-12");
        assertThat(recorded()).hasSize(1);
        JsonNode body = body(recorded().get(0));
        String jql = body.path("jql").asText();
        assertThat(jql).startsWith("project = ITSD AND labels in (\"itsmhub-ih:desk:L:1000\", \"itsmhub-ih:desk:L:1001\", ")
                .endsWith(", \"itsmhub-ih:desk:L:1099\") ORDER BY key ASC");
        assertThat(JqlLexer.stringLiterals(jql)).containsExactlyElementsOf(ids.stream().map(id -> "itsmhub-" + id).toList());
        assertThat(body.path("maxResults").asInt()).isEqualTo(100);
        assertThat(body.path("fields").toString()).contains("labels");
        assertThat(recorded().get(0).getHeader("Authorization")).isEqualTo(BASIC);
    }

    @Test
    void inFieldModeTheTwinLookupOrsEscapedTextClausesFollowsNextPageTokenAndKeepsTheOldestExactTwin() {
        String hostile = "hub-1\" OR project is not EMPTY OR summary ~ \"";
        ObjectNode near = JiraStubs.issue("ITSD-5", "Near", NOW, "Open", "new");
        ((ObjectNode) near.path("fields")).put("customfield_10050", "ih:desk:L:7 other");
        ObjectNode newer = JiraStubs.issue("ITSD-9", "Duplicate", NOW, "Open", "new");
        ((ObjectNode) newer.path("fields")).put("customfield_10050", "ih:desk:L:7");
        ObjectNode odd = JiraStubs.issue("ITSD-10", "Odd", NOW, "Open", "new");
        ((ObjectNode) odd.path("fields")).put("customfield_10050", hostile);
        ObjectNode older = JiraStubs.issue("ITSD-3", "Twin", NOW, "Open", "new");
        ((ObjectNode) older.path("fields")).put("customfield_10050", "ih:desk:L:7");
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(notContaining("nextPageToken"))
                .willReturn(okJson(JiraStubs.page(List.of(near, newer, odd), "tok-2"))));
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(containing("\"nextPageToken\":\"tok-2\""))
                .willReturn(okJson(JiraStubs.page(List.of(older), null))));

        Map<String, Ticket> found = connector().findByCorrelationIds(List.of("ih:desk:L:7", hostile, "ih:desk:L:8"));

        assertThat(found).containsOnlyKeys("ih:desk:L:7", hostile);
        assertThat(found.get("ih:desk:L:7").ref().id()).isEqualTo("ITSD-3");
        assertThat(found.get(hostile).ref().id()).isEqualTo("ITSD-10");
        assertThat(recorded()).hasSize(2);
        String jql = body(recorded().get(0)).path("jql").asText();
        assertThat(jql).isEqualTo("project = ITSD AND (cf[10050] ~ \"ih:desk:L:7\" OR cf[10050] ~ "
                + "\"hub-1\\\" OR project is not EMPTY OR summary ~ \\\"\" OR cf[10050] ~ \"ih:desk:L:8\") ORDER BY key ASC");
        assertThat(JqlLexer.stringLiterals(jql)).containsExactly("ih:desk:L:7", hostile, "ih:desk:L:8");
        assertThat(body(recorded().get(1)).path("jql").asText()).isEqualTo(jql);
    }

    @Test
    void aBatchHoldingAnIdThatCannotBeALabelIsRefusedBeforeAnythingIsSent() {
        JiraConnector c = connector(labelMode());

        assertThatThrownBy(() -> c.findByCorrelationIds(List.of("ih:desk:L:1", "two words")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void updateWritesSummaryAdfDescriptionPriorityNameAndAssignee() {
        JIRA.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ITSD-42")).willReturn(aResponse().withStatus(204)));
        Ticket t = Ticket.builder().title("New title").description("Line one\nline two\n\n- a\n- b https://x.example/y")
                .priority(Priority.P1).assignee(new Person("557058:agent-1", "Andy Agent", null)).build();

        connector(Map.of("priority.write.map", Map.of("P1", "Critical"))).update("ITSD-42", t,
                EnumSet.of(TicketField.TITLE, TicketField.DESCRIPTION, TicketField.PRIORITY, TicketField.ASSIGNEE,
                        TicketField.CATEGORY));

        JsonNode fields = body(recorded().get(0)).path("fields");
        assertThat(fields.path("summary").asText()).isEqualTo("New title");
        assertThat(fields.path("priority").toString()).isEqualTo("{\"name\":\"Critical\"}");
        assertThat(fields.path("assignee").toString()).isEqualTo("{\"accountId\":\"557058:agent-1\"}");
        assertThat(fields.path("description").path("type").asText()).isEqualTo("doc");
        assertThat(AdfText.toText(fields.path("description"))).isEqualTo("Line one\nline two\n\n- a\n- b https://x.example/y");
        assertThat(fields.has("category")).isFalse();
        assertThat(recorded().get(0).getMethod().getName()).isEqualTo("PUT");
    }

    @Test
    void changeStatusPicksTheTransitionIntoTheWantedStatusAndSuppliesTheResolution() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions"))
                .willReturn(okJson(JiraStubs.resource("transitions.json"))));
        JIRA.stubFor(post(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions")).willReturn(aResponse().withStatus(204)));
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(JiraStubs.resource("comment-created.json"))));
        JiraConnector jira = connector();

        jira.changeStatus("ITSD-42", TicketStatus.RESOLVED, "Fixed by the hub");
        jira.changeStatus("ITSD-42", TicketStatus.PENDING, null);
        jira.changeStatus("ITSD-42", TicketStatus.CANCELLED, null);

        List<LoggedRequest> posts = JIRA.findAll(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions")));
        assertThat(body(posts.get(0)).toString())
                .isEqualTo("{\"transition\":{\"id\":\"761\"},\"fields\":{\"resolution\":{\"name\":\"Done\"}}}");
        assertThat(body(posts.get(1)).toString()).isEqualTo("{\"transition\":{\"id\":\"11\"}}");
        assertThat(body(posts.get(2)).toString()).isEqualTo("{\"transition\":{\"id\":\"871\"}}");
        assertThat(JIRA.findAll(getRequestedFor(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions")))
                .get(0).queryParameter("expand").firstValue()).isEqualTo("transitions.fields");
        // the note is internal: it explains the change to agents, never to the customer
        JIRA.verify(1, postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment"))
                .withRequestBody(equalToJson("{\"body\":\"Fixed by the hub\",\"public\":false}")));
    }

    @Test
    void aResolutionNoteFollowsTheTransitionAsAPublicCommentThenTheHubsNoteAsAnInternalOne() {
        stubTransitionsAndComments();

        connector().changeStatus("ITSD-42", TicketStatus.RESOLVED, "Synced by ITSM Hub", "Toner getauscht");

        assertThat(recorded()).filteredOn(r -> r.getMethod().getName().equals("POST"))
                .extracting(r -> r.getUrl() + " " + r.getBodyAsString()).containsExactly(
                        "/rest/api/3/issue/ITSD-42/transitions "
                                + "{\"transition\":{\"id\":\"761\"},\"fields\":{\"resolution\":{\"name\":\"Done\"}}}",
                        "/rest/servicedeskapi/request/ITSD-42/comment {\"body\":\"Toner getauscht\",\"public\":true}",
                        "/rest/servicedeskapi/request/ITSD-42/comment {\"body\":\"Synced by ITSM Hub\",\"public\":false}");
    }

    @Test
    void theResolutionNoteCanBeInternalOrLeftOutAndAnUnknownModeIsAConfigProblem() {
        stubTransitionsAndComments();

        connector(Map.of("resolution.note", "internal-comment")).changeStatus("ITSD-42", TicketStatus.RESOLVED, null,
                "Toner getauscht");
        connector(Map.of("resolution.note", "none")).changeStatus("ITSD-42", TicketStatus.RESOLVED, null, "Trommel");

        JIRA.verify(1, postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment")));
        JIRA.verify(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment"))
                .withRequestBody(equalToJson("{\"body\":\"Toner getauscht\",\"public\":false}")));
        Map<String, Object> raw = new LinkedHashMap<>(JiraStubs.config(JIRA.baseUrl(), TOKEN));
        raw.put("resolution.note", "public");
        assertThat(JiraConnectorConfig.CONFIG.parse(raw).problems()).anySatisfy(p ->
                assertThat(p.key()).isEqualTo("resolution.note"));
    }

    private void stubTransitionsAndComments() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions"))
                .willReturn(okJson(JiraStubs.resource("transitions.json"))));
        JIRA.stubFor(post(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions")).willReturn(aResponse().withStatus(204)));
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(JiraStubs.resource("comment-created.json"))));
    }

    @Test
    void changeStatusWithoutAMatchingTransitionIsANoOpWhenAlreadyThereAndADataErrorOtherwise() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42/transitions"))
                .willReturn(okJson("{\"transitions\":[]}")));
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/issue/ITSD-42")).willReturn(okJson(
                JiraStubs.issue("ITSD-42", "x", NOW, "Closed", "done").toString())));
        JiraConnector jira = connector();

        jira.changeStatus("ITSD-42", TicketStatus.CLOSED, null);
        assertThatThrownBy(() -> jira.changeStatus("ITSD-42", TicketStatus.IN_PROGRESS, null))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("no transition from 'Closed'");
        JIRA.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void commentsAreWrittenPublicOrInternalThroughServiceManagement() {
        JIRA.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request/ITSD-42/comment")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(JiraStubs.resource("comment-created.json"))));
        JiraConnector jira = connector();

        ExternalRef ref = jira.addComment("ITSD-42", new Comment(null, null, "Hello there", NOW, Visibility.PUBLIC));
        jira.addComment("ITSD-42", new Comment(null, null, "Agents only", NOW, Visibility.INTERNAL));

        assertThat(ref.id()).isEqualTo("ITSD-42/1000");
        List<LoggedRequest> rs = recorded();
        assertThat(body(rs.get(0)).toString()).isEqualTo("{\"body\":\"Hello there\",\"public\":true}");
        assertThat(body(rs.get(1)).toString()).isEqualTo("{\"body\":\"Agents only\",\"public\":false}");
        assertThat(rs.get(1).getHeader("Authorization")).isEqualTo(BASIC);
    }

    // ------------------------------------------------------------------ errors and rate limits

    @Test
    void aQuotaRateLimitIsRetriableAfterTheResetAndNamesTheReason() {
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(429)
                .withHeader("RateLimit-Reason", "jira-quota-tenant-based")
                .withHeader("X-RateLimit-Reset", "2026-11-27T10:02:00Z")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")));

        assertThatThrownBy(() -> connector().readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofMinutes(2));
                    assertThat(e.getMessage()).contains("HTTP 429", "RateLimit-Reason: jira-quota-tenant-based",
                            "Rate limit exceeded.");
                });
    }

    @Test
    void aPerIssueWriteLimitDoesNotPauseTheWholeConnection() {
        JiraErrorClassifier classifier = new JiraErrorClassifier(clock);
        okhttp3.Headers perIssue = okhttp3.Headers.of("Retry-After", "3", "RateLimit-Reason", "jira-per-issue-on-write");
        okhttp3.Headers burst = okhttp3.Headers.of("Retry-After", "3", "RateLimit-Reason", "jira-burst-based");

        assertThat(classifier.connectionPause(perIssue)).contains(Duration.ZERO);
        assertThat(classifier.retryAfter(perIssue)).contains(Duration.ofSeconds(3));
        assertThat(classifier.connectionPause(burst)).contains(Duration.ofSeconds(3));
    }

    @Test
    void badJqlIsADataErrorWithJirasMessages() {
        JIRA.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(JiraStubs.resource("error-400-jql.json"))));

        assertThatThrownBy(() -> connector().readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(DataMappingException.class)
                .hasMessageContaining("Error in the JQL Query");
    }

    @Test
    void aForbiddenWriteIsAnAuthenticationError() {
        JIRA.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ITSD-42")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"You do not have permission to edit issues in this project.\"],\"errors\":{}}")));

        assertThatThrownBy(() -> connector().update("ITSD-42", Ticket.builder().title("x").build(),
                EnumSet.of(TicketField.TITLE)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("You do not have permission to edit issues");
    }

    @Test
    void errorFieldsAreIncludedInTheMessage() {
        JiraErrorClassifier classifier = new JiraErrorClassifier(clock);
        String msg = classifier.classify("update issue", 400, okhttp3.Headers.of(),
                "{\"errorMessages\":[],\"errors\":{\"priority\":\"Specify the Priority (name) in the string format\"}}")
                .getMessage();
        assertThat(msg).isEqualTo("Jira update issue failed: HTTP 400 priority: Specify the Priority (name) in the string format");
        assertThat(classifier.classify("search", 401, okhttp3.Headers.of(),
                "Client must be authenticated to access this resource.")).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Client must be authenticated");
    }

    // ------------------------------------------------------------------ connection check

    @Test
    void checkConnectionCallsMyselfAndReportsProblemsAgainstTheResponsibleKey() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(JiraStubs.resource("myself.json"))));
        assertThat(connector().checkConnection()).isEmpty();
        assertThat(recorded().get(0).getHeader("Authorization")).isEqualTo(BASIC);

        JIRA.resetAll();
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(JiraStubs.resource("error-401.json"))));
        List<ConfigProblem> refused = connector().checkConnection();
        assertThat(refused).extracting(ConfigProblem::key).containsExactly("auth.api.token");
        assertThat(refused.get(0).message()).contains("User is not logged in").doesNotContain(TOKEN);

        List<ConfigProblem> unreachable = connector(Map.of("base.url", "http://127.0.0.1:1")).checkConnection();
        assertThat(unreachable).extracting(ConfigProblem::key).containsExactly("base.url");
    }

    @Test
    void aBearerTokenIsSentInsteadOfBasicAuth() {
        JIRA.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(JiraStubs.resource("myself.json"))));
        Map<String, Object> bearer = new LinkedHashMap<>();
        bearer.put("auth.email", null);
        bearer.put("auth.api.token", null);
        bearer.put("auth.bearer.token", "oauth-access-123");

        assertThat(connector(bearer).checkConnection()).isEmpty();
        assertThat(recorded().get(0).getHeader("Authorization")).isEqualTo("Bearer oauth-access-123");
    }

    // ------------------------------------------------------------------ webhooks

    private static final String WEBHOOK_BODY = "{\"timestamp\":1796032800000,\"webhookEvent\":\"jira:issue_updated\","
            + "\"issue_event_type_name\":\"issue_generic\",\"user\":{\"accountId\":\"557058:agent-1\"},"
            + "\"issue\":{\"id\":\"107001\",\"self\":\"https://acme.atlassian.net/rest/api/2/107001\",\"key\":\"ITSD-42\","
            + "\"fields\":{\"summary\":\"Printer\"}},\"changelog\":{\"id\":\"10100\",\"items\":[]}}";

    private static WebhookRequest webhook(String body, String signature, boolean retry) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (signature != null) {
            headers.put("X-Hub-Signature", List.of(signature));
        }
        if (retry) {
            headers.put("X-Atlassian-Webhook-Retry", List.of("1"));
        }
        return new WebhookRequest("POST", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedWebhookIsVerifiedAndParsedIntoAHint() throws Exception {
        JiraConnector jira = connector();
        WebhookRequest request = webhook(WEBHOOK_BODY, sign("whsec-" + TOKEN, WEBHOOK_BODY), false);

        jira.verify(request);
        List<ChangeHint> hints = jira.parse(request);

        assertThat(hints).containsExactly(new ChangeHint(ChangeHint.Kind.TICKET, "ITSD-42", "jira:issue_updated",
                Instant.ofEpochMilli(1796032800000L)));
        WebhookRequest retried = webhook(WEBHOOK_BODY, sign("whsec-" + TOKEN, WEBHOOK_BODY), true);
        jira.verify(retried);
        assertThat(jira.parse(retried)).isEqualTo(hints);
    }

    @Test
    void aWebhookDeliveryIsIdentifiedByItsAtlassianIdentifierTheSameOnRetries() throws Exception {
        JiraConnector jira = connector();
        WebhookRequest first = webhook(WEBHOOK_BODY, sign("whsec-" + TOKEN, WEBHOOK_BODY), false);
        Map<String, List<String>> headers = new LinkedHashMap<>(first.headers());
        headers.put("X-Atlassian-Webhook-Identifier", List.of("d4a1c7e2-0b6f-4f1e-9c55-7f0e3b2a9d10"));
        WebhookRequest identified = new WebhookRequest("POST", headers, Map.of(), first.body());

        assertThat(jira.deliveryId(identified)).contains("d4a1c7e2-0b6f-4f1e-9c55-7f0e3b2a9d10");
        assertThat(jira.deliveryId(first)).isEmpty();
    }

    @Test
    void aWebhookWithABadOrMissingSignatureIsRefused() throws Exception {
        JiraConnector jira = connector();
        String tampered = WEBHOOK_BODY.replace("ITSD-42", "ITSD-43");

        assertThatThrownBy(() -> jira.verify(webhook(tampered, sign("whsec-" + TOKEN, WEBHOOK_BODY), false)))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> jira.verify(webhook(WEBHOOK_BODY, sign("other-secret", WEBHOOK_BODY), false)))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> jira.verify(webhook(WEBHOOK_BODY, null, false)))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> jira.verify(webhook(WEBHOOK_BODY, "sha1=abc", false)))
                .isInstanceOf(AuthenticationException.class);
        Map<String, Object> noSecret = new LinkedHashMap<>();
        noSecret.put("webhook.secret", null);
        assertThatThrownBy(() -> connector(noSecret).verify(webhook(WEBHOOK_BODY, sign("x", WEBHOOK_BODY), false)))
                .isInstanceOf(AuthenticationException.class).hasMessageNotContaining(TOKEN);
    }

    @Test
    void aMalformedWebhookBodyIsADataErrorAndNonIssueEventsAreIgnored() {
        JiraConnector jira = connector();

        assertThatThrownBy(() -> jira.parse(webhook("{\"webhookEvent\": ", null, false)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("Jira webhook body");
        assertThatThrownBy(() -> jira.parse(webhook("{\"issue\":{\"key\":\"ITSD-1\"}}", null, false)))
                .isInstanceOf(DataMappingException.class);
        assertThat(jira.parse(webhook("{\"webhookEvent\":\"project_created\",\"project\":{\"key\":\"NEW\"}}", null, false)))
                .isEmpty();
    }

    // ------------------------------------------------------------------ config rules

    @Test
    void configNeedsExactlyOneWayToAuthenticateAndACorrelationField() {
        JiraConnectorFactory factory = new JiraConnectorFactory();
        Map<String, Object> raw = new LinkedHashMap<>(JiraStubs.config("https://acme.atlassian.net", TOKEN));
        raw.put("auth.bearer.token", "b");
        raw.remove("correlation.field");
        raw.put("status.map", Map.of("Triage", "WAITING"));
        raw.put("priority.write.map", Map.of("P5", "Lowest"));

        var parsed = factory.configDef().parse(raw);
        assertThat(parsed.problems()).isEmpty();
        assertThat(factory.validate(parsed.config())).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("auth.bearer.token", "correlation.field", "status.map.Triage",
                        "priority.write.map.P5");

        raw.remove("auth.bearer.token");
        raw.remove("auth.api.token");
        raw.put("correlation.mode", "label");
        raw.remove("status.map");
        raw.remove("priority.write.map");
        assertThat(factory.validate(factory.configDef().parse(raw).config())).extracting(ConfigProblem::key)
                .containsExactly("auth.api.token");
        assertThat(factory.configDef().parse(Map.of("base.url", "http://acme.atlassian.net", "project", "it sd"))
                .problems()).extracting(ConfigProblem::key).contains("base.url", "project");
    }

    @Test
    void aVendorEchoingTheBasicEmailTokenHeaderQuotesExactlyWhatTheConnectorReportedAsSent() {
        JIRA.stubFor(any(anyUrl()).willReturn(CredentialEcho.refusing(401)));
        Map<String, Object> raw = new LinkedHashMap<>(JiraStubs.config(JIRA.baseUrl(), TOKEN));
        raw.values().removeIf(v -> v == null || "".equals(v));
        TestConnectorContext context = TestConnectorContext.of(new JiraConnectorFactory(), raw, clock);
        JiraConnector jira = (JiraConnector) new JiraConnectorFactory().create(context);

        Throwable error = catchThrowable(() -> jira.readChanges(new ReadRequest(null, Map.of(), 10)));

        assertThat(error).isInstanceOf(AuthenticationException.class);
        CredentialEcho.assertEchoedCredentialsWereReported(error, recorded(), context);
        assertThat(context.credentialsSent()).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString(("hub@acme.example:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    }
}
