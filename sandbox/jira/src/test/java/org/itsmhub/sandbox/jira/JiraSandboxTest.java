package org.itsmhub.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.jira.JiraConnectorFactory;
import org.itsmhub.plugin.jira.dto.CommentPage;
import org.itsmhub.plugin.jira.dto.SearchResponse;
import org.itsmhub.plugin.jira.dto.User;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The real Jira connector against the sandbox, and the sandbox's answers against the real samples. */
class JiraSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String FIXTURE = "spec-examples/GET_rest_api_3_search_jql_200_example.json";

    @TempDir
    Path tmp;

    private JiraSandbox sandbox;
    private final List<Connector> connectors = new ArrayList<>();

    @AfterEach
    void stop() {
        connectors.forEach(Connector::close);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private JiraSandbox start(SandboxOptions options, Path... seeds) {
        List<SandboxOptions.Seed> list = new ArrayList<>();
        for (Path p : seeds) {
            list.add(new SandboxOptions.Seed(null, p));
        }
        sandbox = new JiraSandbox(options.withSeeds(list), Clock.systemUTC());
        sandbox.start();
        return sandbox;
    }

    private Connector connector(String project, Map<String, Object> overrides) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("base.url", sandbox.baseUrl());
        raw.put("auth.email", JiraSandbox.EMAIL);
        raw.put("auth.api.token", JiraSandbox.API_TOKEN);
        raw.put("project", project);
        raw.put("service.desk.id", JiraSandbox.SERVICE_DESK_ID);
        raw.put("request.type.id", "25");
        raw.put("correlation.field", "customfield_10050");
        raw.putAll(overrides);
        JiraConnectorFactory factory = new JiraConnectorFactory();
        Connector c = factory.create(TestConnectorContext.of(factory, raw, Clock.systemUTC()));
        connectors.add(c);
        return c;
    }

    private static TicketSource source(Connector c) {
        return c.capability(TicketSource.class).orElseThrow();
    }

    private static TicketSink sink(Connector c) {
        return c.capability(TicketSink.class).orElseThrow();
    }

    private static List<Ticket> readAll(TicketSource source, Cursor from, int pageSize, List<Cursor> last) {
        List<Ticket> all = new ArrayList<>();
        Cursor cursor = from;
        for (int guard = 0; guard < 100; guard++) {
            Page<Ticket> page = source.readChanges(new ReadRequest(cursor, Map.of(), pageSize));
            all.addAll(page.items());
            cursor = page.next();
            if (!page.hasMore()) {
                last.add(cursor);
                return all;
            }
        }
        throw new AssertionError("paging does not end");
    }

    private Path seedFile(String project, int count) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode issues = root.putArray("issues");
        Instant base = Instant.now().minus(Duration.ofHours(2));
        for (int n = 1; n <= count; n++) {
            ObjectNode i = issues.addObject();
            i.put("id", String.valueOf(20000 + n)).put("key", project + "-" + n);
            ObjectNode f = i.putObject("fields");
            f.put("summary", "Seeded " + n);
            f.put("updated", JiraIssue.JIRA_TIME.format(base.plusSeconds(60L * n)));
            f.put("created", JiraIssue.JIRA_TIME.format(base));
            f.putObject("project").put("id", "10100").put("key", project).put("name", "Ops");
            ObjectNode st = f.putObject("status");
            st.put("name", "Waiting for support").put("id", "10001");
            st.putObject("statusCategory").put("id", 2).put("key", "new").put("name", "To Do");
        }
        Path file = tmp.resolve(project + ".json");
        Files.writeString(file, root.toString());
        return file;
    }

    // ------------------------------------------------------------------ the connector against the sandbox

    @Test
    void aReadReturnsEveryTicketSeededFromTheRealSearchExample() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));

        List<Ticket> tickets = readAll(source(connector("EX", Map.of())), null, 50, new ArrayList<>());

        assertThat(tickets).extracting(t -> t.ref().id()).containsExactly("ED-1");
        assertThat(tickets.get(0).description()).isEqualTo("Main order flow broken");
    }

    @Test
    void readsPageByPageWithNextPageTokenAndResumesWithOnlyRealChanges() throws IOException {
        start(SandboxOptions.defaults(), seedFile("OPS", 7));
        Connector jira = connector("OPS", Map.of());
        List<Cursor> last = new ArrayList<>();

        List<Ticket> first = readAll(source(jira), null, 3, last);
        assertThat(first).extracting(t -> t.ref().id())
                .containsExactly("OPS-1", "OPS-2", "OPS-3", "OPS-4", "OPS-5", "OPS-6", "OPS-7");
        assertThat(sandbox.wiremock().getAllServeEvents()).hasSizeGreaterThanOrEqualTo(3);

        sink(jira).update("OPS-2", Ticket.builder().title("Seeded 2, edited").build(), EnumSet.of(TicketField.TITLE));
        List<Ticket> second = readAll(source(jira), last.get(0), 3, last);

        assertThat(second).extracting(Ticket::title).containsExactly("Seeded 2, edited");
    }

    @Test
    void aTicketCreatedThroughTheConnectorCanBeFoundUpdatedMovedAndCommented() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        Connector jira = connector("EX", Map.of());
        TicketSink sink = sink(jira);

        ExternalRef ref = sink.create(Ticket.builder().title("Printer jammed").description("Tray 2\nagain").build(), "hub-42");
        assertThat(ref.id()).isEqualTo("ED-2");
        assertThat(sandbox.issue("ED-2").orElseThrow().path("fields").path("customfield_10050").asText()).isEqualTo("hub-42");

        Ticket found = sink.findByCorrelationId("hub-42").orElseThrow();
        assertThat(found.ref().id()).isEqualTo("ED-2");
        assertThat(found.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(found.description()).isEqualTo("Tray 2\nagain");
        assertThat(sink.findByCorrelationId("hub-4")).isEmpty();

        Instant before = found.updatedAt();
        sink.update("ED-2", found.toBuilder().priority(Priority.P1).title("Printer jammed (floor 3)").build(),
                EnumSet.of(TicketField.PRIORITY, TicketField.TITLE));
        sink.changeStatus("ED-2", TicketStatus.IN_PROGRESS, null);
        sink.addComment("ED-2", new Comment(null, null, "We are on it", Instant.now(), Visibility.PUBLIC));
        sink.addComment("ED-2", new Comment(null, null, "VIP customer", Instant.now(), Visibility.INTERNAL));
        sink.changeStatus("ED-2", TicketStatus.RESOLVED, "fixed");

        Ticket after = source(jira).fetch("ED-2").orElseThrow();
        assertThat(after.title()).isEqualTo("Printer jammed (floor 3)");
        assertThat(after.priority()).isEqualTo(Priority.P1);
        assertThat(after.status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(after.attributes()).containsEntry("resolution", "Done");
        assertThat(after.updatedAt()).isAfter(before);
        List<Comment> comments = source(jira).comments("ED-2");
        assertThat(comments).extracting(Comment::body).containsExactly("We are on it", "VIP customer", "fixed");
        assertThat(comments).extracting(Comment::visibility)
                .containsExactly(Visibility.PUBLIC, Visibility.INTERNAL, Visibility.INTERNAL);
        assertThat(comments.get(0).author().email()).isEqualTo(JiraSandbox.EMAIL);
        assertThat(sandbox.wiremock().findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/rest/api/3/issue/ED-2/properties/itsmhub"))))
                .hasSize(1);
    }

    @Test
    void createsUpdatesAndCommentsWith64KbBodiesArriveWhole() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        Connector jira = connector("EX", Map.of());
        TicketSink sink = sink(jira);
        String description = org.itsmhub.testkit.contract.LargeText.of("description", 64 * 1024);
        String changed = org.itsmhub.testkit.contract.LargeText.of("changed", 64 * 1024);
        String reply = org.itsmhub.testkit.contract.LargeText.of("reply", 64 * 1024);
        String note = org.itsmhub.testkit.contract.LargeText.of("note", 64 * 1024);

        ExternalRef ref = sink.create(Ticket.builder().title("Large").description(description).build(), "hub-large");
        String created = source(jira).fetch(ref.id()).orElseThrow().description();
        sink.update(ref.id(), Ticket.builder().title("Large").description(changed).build(),
                EnumSet.of(TicketField.DESCRIPTION));
        sink.addComment(ref.id(), new Comment(null, null, reply, Instant.now(), Visibility.PUBLIC));
        sink.addComment(ref.id(), new Comment(null, null, note, Instant.now(), Visibility.INTERNAL));

        assertThat(created).isEqualTo(description);
        assertThat(source(jira).fetch(ref.id()).orElseThrow().description()).isEqualTo(changed);
        assertThat(source(jira).comments(ref.id())).extracting(Comment::body).containsExactly(reply, note);
        assertThat(sandbox.wiremock().getAllServeEvents()).filteredOn(e -> e.getRequest().getBody().length > 64 * 1024)
                .extracting(e -> e.getRequest().getMethod().getName() + " " + e.getResponse().getStatus())
                .hasSize(4).allSatisfy(line -> assertThat(line).matches("(POST|PUT) 20[014]"));
    }

    @Test
    void aMultiLineCommentWithTheHubsZeroWidthMarkerAndAResolutionNoteRoundTrip() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        Connector jira = connector("EX", Map.of());
        TicketSink sink = sink(jira);
        ExternalRef ref = sink.create(Ticket.builder().title("Toner").build(), "hub-43");
        String marker = "\u200D\u200B\u200C\u200C\u200B\u200D";
        String text = "Toner ordered\nnext week\n\n— Ann, via servicenow" + marker;

        sink.addComment(ref.id(), new Comment(null, null, text, Instant.now(), Visibility.PUBLIC));
        sink.changeStatus(ref.id(), TicketStatus.RESOLVED, "Synced by ITSM Hub" + marker, "Toner getauscht" + marker);

        assertThat(source(jira).comments(ref.id())).extracting(Comment::body, Comment::visibility).containsExactly(
                org.assertj.core.groups.Tuple.tuple(text, Visibility.PUBLIC),
                org.assertj.core.groups.Tuple.tuple("Toner getauscht" + marker, Visibility.PUBLIC),
                org.assertj.core.groups.Tuple.tuple("Synced by ITSM Hub" + marker, Visibility.INTERNAL));
    }

    @Test
    void wrongCredentialsGetJirasRefusalAndTheCheckNamesTheKey() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        Connector wrong = connector("EX", Map.of("auth.api.token", "not-the-token"));

        assertThatThrownBy(() -> source(wrong).readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Client must be authenticated");
        assertThat(wrong.checkConnection()).extracting(ConfigProblem::key).containsExactly("auth.api.token");
        assertThat(connector("EX", Map.of()).checkConnection()).isEmpty();
    }

    @Test
    void theSandboxRateLimitIsJirasRetriable429() {
        start(SandboxOptions.defaults().withRateLimit(1, Duration.ofMinutes(1)), VendorTestData.path("jira", FIXTURE));
        Connector jira = connector("EX", Map.of("jql.timezone", "UTC", "timeouts.call", "4s"));
        source(jira).readChanges(new ReadRequest(null, Map.of(), 10));

        // the first answer said no requests remain: the connector waits (at most half its call timeout), then gets the 429
        assertThatThrownBy(() -> source(jira).readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> {
                    assertThat(e.retryAfter()).isPresent();
                    assertThat(e.getMessage()).contains("HTTP 429", "jira-burst-based");
                });
    }

    @Test
    void aHostileProjectFilterStaysALiteralInTheSandboxToo() {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        TicketSource source = source(connector("EX", Map.of()));

        Page<Ticket> page = source.readChanges(new ReadRequest(null,
                Map.of("project", "x\" OR project is not EMPTY OR summary ~ \""), 10));

        assertThat(page.items()).isEmpty();
        assertThatThrownBy(() -> source.readChanges(new ReadRequest(null, Map.of("jql", "nosuchfield = 1"), 10)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("does not exist");
    }

    // ------------------------------------------------------------------ fidelity against the real samples

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (JiraSandbox.EMAIL + ":" + JiraSandbox.API_TOKEN).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aSearchAnswerDecodesWithTheConnectorsDtosAndCarriesTheFixturesFields() throws Exception {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        JsonNode fixture = JSON.readTree(VendorTestData.read("jira", FIXTURE));

        HttpResponse<String> answer = call("POST", "/rest/api/3/search/jql",
                "{\"jql\":\"project = EX ORDER BY updated ASC\",\"fields\":[\"*all\"],\"maxResults\":10}");

        assertThat(answer.statusCode()).isEqualTo(200);
        SearchResponse decoded = JSON.readValue(answer.body(), SearchResponse.class);
        assertThat(decoded.isLast()).isTrue();
        assertThat(decoded.issues()).hasSize(1);
        JsonNode mine = JSON.readTree(answer.body());
        assertThat(fieldNames(mine)).containsAll(fieldNames(fixture));
        JsonNode fixtureIssue = fixture.path("issues").get(0);
        JsonNode myIssue = mine.path("issues").get(0);
        assertThat(fieldNames(myIssue)).containsAll(fieldNames(fixtureIssue));
        assertThat(fieldNames(myIssue.path("fields"))).containsAll(fieldNames(fixtureIssue.path("fields")));
        assertThat(myIssue.path("fields").path("description")).isEqualTo(fixtureIssue.path("fields").path("description"));
        assertThat(myIssue.path("key").asText()).isEqualTo("ED-1");
    }

    @Test
    void commentsAndMyselfDecodeAndCarryTheRecordedCloudFields() throws Exception {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));
        call("POST", "/rest/servicedeskapi/request/ED-1/comment", "{\"body\":\"Hello\",\"public\":true}");
        JsonNode recorded = JSON.readTree(VendorTestData.read("jira", "airbyte_source-jira_issue_comments.json"));

        HttpResponse<String> answer = call("GET", "/rest/api/3/issue/ED-1/comment?startAt=0&maxResults=50&expand=properties", null);

        CommentPage page = JSON.readValue(answer.body(), CommentPage.class);
        assertThat(page.total()).isEqualTo(2); // the seeded embedded comment and the new one
        JsonNode mine = JSON.readTree(answer.body()).path("comments").get(1);
        assertThat(fieldNames(mine)).containsAll(fieldNames(recorded.path("comments").get(0))
                .stream().filter(f -> !f.equals("visibility")).toList());
        assertThat(fieldNames(mine.path("author"))).contains("accountId", "displayName", "emailAddress", "timeZone");
        assertThat(page.comments().get(1).jsdPublic()).isTrue();

        User me = JSON.readValue(call("GET", "/rest/api/3/myself", null).body(), User.class);
        assertThat(me.accountId()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(me.timeZone()).isEqualTo("UTC");
        JsonNode myself = JSON.readTree(VendorTestData.read("jira", "spec-examples/GET_rest_api_3_myself_200_example.json"));
        assertThat(fieldNames(JSON.readTree(call("GET", "/rest/api/3/myself", null).body())))
                .containsAll(fieldNames(myself).stream().filter(f -> !Set.of("key", "name", "avatarUrls").contains(f)).toList());
    }

    @Test
    void errorsComeInJirasShapes() throws Exception {
        start(SandboxOptions.defaults(), VendorTestData.path("jira", FIXTURE));

        HttpResponse<String> missing = call("GET", "/rest/api/3/issue/NOPE-1", null);
        HttpResponse<String> badToken = call("POST", "/rest/api/3/search/jql", "{\"jql\":\"project = EX\",\"nextPageToken\":\"zzz\"}");
        HttpResponse<String> removed = call("GET", "/rest/api/3/search?jql=project%20%3D%20EX", null);
        HttpResponse<String> noSummary = call("POST", "/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"25\",\"requestFieldValues\":{}}");
        HttpResponse<String> needsResolution = call("POST", "/rest/api/3/issue/ED-1/transitions", "{\"transition\":{\"id\":\"51\"}}");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("errorMessages").get(0).asText()).contains("Issue does not exist");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(badToken.body()).contains("Invalid format of nextPageToken");
        assertThat(removed.statusCode()).isEqualTo(410);
        assertThat(noSummary.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noSummary.body()).path("errorMessage").asText()).contains("You must specify a summary");
        assertThat(needsResolution.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(needsResolution.body()).path("errors").path("resolution").asText()).isNotBlank();
    }
}
