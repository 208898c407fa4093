package org.itsmhub.sandbox.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.freshdesk.FreshdeskConnectorFactory;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversation;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicket;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Freshdesk connector against the sandbox, and the sandbox's answers against the real samples. */
class FreshdeskSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sandbox-key-1";


    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(Instant.parse("2024-03-10T12:00:00Z"));
    private FreshdeskSandbox sandbox;
    private Connector connector;

    private FreshdeskSandbox start(SandboxOptions options) {
        sandbox = new FreshdeskSandbox(options, clock, KEY);
        sandbox.start();
        return sandbox;
    }

    private FreshdeskSandbox startSeeded() {
        return start(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null,
                VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json")))));
    }

    private Connector connect(String key, Map<String, Object> extra) {
        FreshdeskConnectorFactory factory = new FreshdeskConnectorFactory();
        Map<String, Object> raw = new java.util.HashMap<>(Map.of("base.url", sandbox.baseUrl(), "api.key", key,
                "initial.since", "2010-01-01T00:00:00Z", "default.requester.email", "desk@msp.example"));
        raw.putAll(extra);
        connector = factory.create(TestConnectorContext.of(factory, raw, clock));
        return connector;
    }

    private TicketSource source() {
        return connector.capability(TicketSource.class).orElseThrow();
    }

    private TicketSink sink() {
        return connector.capability(TicketSink.class).orElseThrow();
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private List<Ticket> readAll(Cursor from, int pageSize, List<Cursor> last) {
        List<Ticket> all = new ArrayList<>();
        Cursor cursor = from;
        for (int guard = 0; guard < 100; guard++) {
            Page<Ticket> page = source().readChanges(new ReadRequest(cursor, Map.of(), pageSize));
            all.addAll(page.items());
            cursor = page.next();
            if (!page.hasMore()) {
                last.add(cursor);
                return all;
            }
        }
        throw new AssertionError("paging does not end");
    }

    @Test
    void theConnectorReadsEverySeededTicket() {
        startSeeded();
        connect(KEY, Map.of());

        List<Ticket> all = readAll(null, 100, new ArrayList<>());

        assertThat(all).singleElement().satisfies(t -> {
            assertThat(t.ref().id()).isEqualTo("1");
            assertThat(t.title()).isEqualTo("This is a sample ticket");
            assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
        });
        assertThat(connector.checkConnection()).isEmpty();
    }

    @Test
    void manyTicketsArePagedThroughMovingWindowsEachReturnedOnce() throws IOException {
        StringBuilder seed = new StringBuilder("[");
        for (int i = 1; i <= 250; i++) {
            // three tickets per second, so windows meet inside a second
            Instant at = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i / 3);
            seed.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"subject\":\"T").append(i)
                    .append("\",\"status\":2,\"priority\":1,\"requester_id\":1,\"created_at\":\"").append(at)
                    .append("\",\"updated_at\":\"").append(at).append("\",\"tags\":[],\"custom_fields\":{}}");
        }
        Path file = tmp.resolve("tickets.json");
        Files.writeString(file, seed.append("]").toString());
        start(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, file))));
        connect(KEY, Map.of());

        List<Ticket> all = readAll(null, 100, new ArrayList<>());

        assertThat(all).hasSize(250);
        assertThat(all).extracting(t -> t.ref().id()).doesNotHaveDuplicates();
    }

    @Test
    void writesAreVisibleToLaterReadsAndUpdatedTimestampsMove() {
        startSeeded();
        connect(KEY, Map.of());
        List<Cursor> stored = new ArrayList<>();
        readAll(null, 100, stored);
        clock.advance(Duration.ofMinutes(5));

        ExternalRef ref = sink().create(Ticket.builder().title("Backup failed").description("Job FS01 failed")
                .status(TicketStatus.NEW).priority(Priority.P1)
                .requester(new Person(null, "Ann", "ann@acme.example")).build(), "hub-42");
        clock.advance(Duration.ofMinutes(1));
        sink().update(ref.id(), Ticket.builder().title("Backup failed (FS01)").build(), java.util.Set.of(TicketField.TITLE));
        clock.advance(Duration.ofMinutes(1));
        sink().addComment(ref.id(), new Comment(null, null, "We are on it", clock.instant(), Visibility.PUBLIC));
        sink().addComment(ref.id(), new Comment(null, null, "Disk 3 is failing", clock.instant(), Visibility.INTERNAL));
        clock.advance(Duration.ofMinutes(1));
        sink().changeStatus(ref.id(), TicketStatus.RESOLVED, null);

        Ticket read = source().fetch(ref.id()).orElseThrow();
        assertThat(read.title()).isEqualTo("Backup failed (FS01)");
        assertThat(read.status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(read.priority()).isEqualTo(Priority.P1);
        assertThat(read.correlationId()).isEqualTo("hub-42");
        assertThat(read.requester().email()).isEqualTo("ann@acme.example");
        assertThat(read.updatedAt()).isEqualTo(clock.instant());
        assertThat(read.createdAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(3)));
        assertThat(source().comments(ref.id())).extracting(Comment::body, Comment::visibility).containsExactly(
                org.assertj.core.groups.Tuple.tuple("We are on it", Visibility.PUBLIC),
                org.assertj.core.groups.Tuple.tuple("Disk 3 is failing", Visibility.INTERNAL));
        assertThat(sink().findByCorrelationId("hub-42")).get().extracting(t -> t.ref().id()).isEqualTo(ref.id());
        assertThat(sink().findByCorrelationId("hub-43")).isEmpty();

        List<Ticket> changed = readAll(stored.get(0), 100, new ArrayList<>());
        // the next read includes the changed ticket; tickets of the stored cursor's newest second come
        // again too (the connector re-reads that second so that no update is lost)
        assertThat(changed).extracting(t -> t.ref().id()).contains(ref.id());
    }

    @Test
    void createsUpdatesAndCommentsWith64KbBodiesArriveWhole() {
        start(SandboxOptions.defaults());
        connect(KEY, Map.of());
        String description = org.itsmhub.testkit.contract.LargeText.of("description", 64 * 1024);
        String changed = org.itsmhub.testkit.contract.LargeText.of("changed", 64 * 1024);
        String reply = org.itsmhub.testkit.contract.LargeText.of("reply", 64 * 1024);
        String note = org.itsmhub.testkit.contract.LargeText.of("note", 64 * 1024);

        ExternalRef ref = sink().create(Ticket.builder().title("Large").description(description)
                .requester(new Person(null, "Ann", "ann@acme.example")).build(), "hub-large");
        String created = source().fetch(ref.id()).orElseThrow().description();
        sink().update(ref.id(), Ticket.builder().title("Large").description(changed).build(),
                java.util.Set.of(TicketField.DESCRIPTION));
        sink().addComment(ref.id(), new Comment(null, null, reply, clock.instant(), Visibility.PUBLIC));
        sink().addComment(ref.id(), new Comment(null, null, note, clock.instant(), Visibility.INTERNAL));

        assertThat(created).contains(org.itsmhub.testkit.contract.LargeText.end("description")).hasSizeGreaterThan(64 * 1024);
        assertThat(source().fetch(ref.id()).orElseThrow().description())
                .contains(org.itsmhub.testkit.contract.LargeText.end("changed")).hasSizeGreaterThan(64 * 1024);
        assertThat(source().comments(ref.id())).extracting(Comment::body)
                .anySatisfy(b -> assertThat(b).contains(org.itsmhub.testkit.contract.LargeText.end("reply")))
                .anySatisfy(b -> assertThat(b).contains(org.itsmhub.testkit.contract.LargeText.end("note")));
        assertThat(sandbox.wiremock().getAllServeEvents()).filteredOn(e -> !e.getRequest().getMethod().getName()
                .equals("GET")).hasSize(4).allSatisfy(e -> {
                    assertThat(e.getResponse().getStatus()).isBetween(200, 201);
                    assertThat(e.getRequest().getBody().length).isGreaterThan(64 * 1024);
                });
    }

    @Test
    void aMultiLineCommentWithTheHubsInvisibleMarkerRoundTripsAndBodyTextKeepsItsLines() throws Exception {
        startSeeded();
        connect(KEY, Map.of());
        String marker = "\u200D\u200B\u200C\u200C\u200B\u200B\u200C\u200B\u200C\u200D";
        String text = "ordering laptop\nmodel X1\n\n— admin, via servicenow" + marker;

        sink().addComment("1", new Comment(null, Person.named("admin"), text, clock.instant(), Visibility.PUBLIC));

        assertThat(source().comments("1")).singleElement().extracting(Comment::body)
                .isEqualTo("admin wrote:\n\n" + text);
        JsonNode stored = JSON.readTree(get("/api/v2/tickets/1/conversations", KEY).body()).get(0);
        assertThat(stored.get("body").asText()).as("the HTML body keeps what was sent, marker included")
                .contains(marker).contains("<br>");
        assertThat(stored.get("body_text").asText()).isEqualTo("admin wrote:\nordering laptop\nmodel X1\n"
                + "— admin, via servicenow" + marker);
    }

    @Test
    void tagModeCorrelationWorksAgainstTheSandboxSearch() {
        startSeeded();
        connect(KEY, Map.of("correlation.mode", "tag"));

        ExternalRef ref = sink().create(Ticket.builder().title("Tagged").build(), "hub-7");

        assertThat(sink().findByCorrelationId("hub-7")).get().extracting(t -> t.ref().id()).isEqualTo(ref.id());
    }

    @Test
    void wrongCredentialsGetFreshdesksOwn401() throws Exception {
        startSeeded();
        connect("wrong-key", Map.of());

        assertThatThrownBy(() -> source().readChanges(ReadRequest.from(null)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("invalid_credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-key"));
        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("api.key");
        HttpResponse<String> raw = get("/api/v2/tickets", "nobody");
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.body()).isEqualTo(
                "{\"code\":\"invalid_credentials\",\"message\":\"You have to be logged in to perform this action.\"}");
    }

    @Test
    void theApiKeyWithAnyDummyPasswordIsLetInAsFreshdeskIgnoresThePassword() throws Exception {
        startSeeded();

        HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/api/v2/agents/me")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (KEY + ":dummy").getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noColon = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/api/v2/agents/me")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                KEY.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(noColon.statusCode()).isEqualTo(401);
    }

    @Test
    void aSearchJoinedWithOrFindsEachTermAndAQueryOver512CharactersGetsFreshdesksValidationError() throws Exception {
        start(SandboxOptions.defaults());
        connect(KEY, Map.of("correlation.mode", "tag"));
        String a = sink().create(Ticket.builder().title("a").build(), "ih:d:L:1").id();
        String b = sink().create(Ticket.builder().title("b").build(), "ih:d:L:2").id();
        sink().create(Ticket.builder().title("c").build(), "ih:d:L:3");
        StringBuilder tooLong = new StringBuilder("tag:'itsmhub:ih:d:L:1'");
        while (tooLong.length() < 511) {
            tooLong.append(" OR tag:'x'");
        }

        JsonNode both = JSON.readTree(get("/api/v2/search/tickets?query="
                + enc("\"tag:'itsmhub:ih:d:L:1' OR tag:'itsmhub:ih:d:L:2' OR tag:'itsmhub:ih:d:L:9'\""), KEY).body());
        HttpResponse<String> refused = get("/api/v2/search/tickets?query=" + enc("\"" + tooLong + "\""), KEY);

        assertThat(both.path("total").asInt()).isEqualTo(2);
        assertThat(both.path("results").findValuesAsText("id")).containsExactlyInAnyOrder(a, b);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body())).isEqualTo(JSON.readTree("{\"description\":\"Validation failed\","
                + "\"errors\":[{\"field\":\"query\",\"message\":\"Has " + (tooLong.length() + 2)
                + " characters, it can have maximum of 512 characters\",\"code\":\"invalid_value\"}]}"));
    }

    @Test
    void searchServesThirtyResultsAPageForPagesOneToTenAndRefusesPageEleven() throws Exception {
        start(SandboxOptions.defaults());
        for (int i = 0; i < 31; i++) {
            sandbox.put((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("{\"subject\":\"s\",\"status\":2}"));
        }
        String query = "/api/v2/search/tickets?query=" + enc("\"status:2\"");

        JsonNode first = JSON.readTree(get(query, KEY).body());
        JsonNode second = JSON.readTree(get(query + "&page=2", KEY).body());
        HttpResponse<String> tenth = get(query + "&page=10", KEY);
        HttpResponse<String> eleventh = get(query + "&page=11", KEY);

        assertThat(first.path("results")).hasSize(30);
        assertThat(first.path("total").asInt()).isEqualTo(31);
        assertThat(second.path("results")).hasSize(1);
        assertThat(tenth.statusCode()).isEqualTo(200);
        assertThat(eleventh.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(eleventh.body()).path("errors").get(0).path("field").asText()).isEqualTo("page");
    }

    @Test
    void aMissingRequesterAndBadParametersGetFreshdesksValidationErrors() throws Exception {
        startSeeded();

        HttpResponse<String> tooMany = get("/api/v2/tickets?per_page=101", KEY);
        HttpResponse<String> unquoted = get("/api/v2/search/tickets?query=" + enc("tag:'x'"), KEY);
        HttpResponse<String> injected = get("/api/v2/search/tickets?query=" + enc("\"tag:'x' OR status:2'\""), KEY);

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).path("errors").get(0).path("field").asText()).isEqualTo("per_page");
        assertThat(unquoted.statusCode()).isEqualTo(400);
        assertThat(injected.statusCode()).isEqualTo(400);
        connect(KEY, Map.of());
        connector.close();
        Map<String, Object> raw = Map.of("base.url", sandbox.baseUrl(), "api.key", KEY);
        FreshdeskConnectorFactory factory = new FreshdeskConnectorFactory();
        connector = factory.create(TestConnectorContext.of(factory, raw, clock));
        assertThatThrownBy(() -> sink().update("999", Ticket.builder().title("x").build(), java.util.Set.of(TicketField.TITLE)))
                .isInstanceOf(org.itsmhub.api.error.ConnectorException.class).hasMessageContaining("404");
    }

    @Test
    void theSandboxRateLimitAnswersLikeFreshdesk() {
        clock.set(Instant.parse("2024-03-10T12:00:59Z")); // "0 remaining" holds the client until 12:01:00
        start(SandboxOptions.defaults().withRateLimit(2, Duration.ofMinutes(1)));
        connect(KEY, Map.of("rate.limit.per.minute", 0));

        assertThat(connector.checkConnection()).isEmpty();
        assertThat(sandbox.wiremock().getAllServeEvents().get(0).getResponse().getHeaders()
                .getHeader("X-RateLimit-Remaining").firstValue()).isEqualTo("1");
        source().fetch("1");
        assertThat(sandbox.wiremock().getAllServeEvents().get(0).getResponse().getHeaders()
                .getHeader("X-RateLimit-Remaining").firstValue()).isEqualTo("0");
        assertThatThrownBy(() -> source().readChanges(ReadRequest.from(null)))
                .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.retryAfter())
                        .as(e.getMessage()).contains(Duration.ofSeconds(60)))
                .hasMessageContaining("HTTP 429");
    }

    // --- custom fields: what a real account enforces

    @Test
    void aWriteNamingACustomFieldTheAccountLacksGetsFreshdesks400AndChangesNothing() throws Exception {
        start(SandboxOptions.defaults());
        HttpResponse<String> ok = send("POST", "/api/v2/tickets",
                "{\"email\":\"a@b.example\",\"subject\":\"s\",\"custom_fields\":{\"cf_itsm_hub_id\":\"hub-1\"}}", KEY);
        String id = JSON.readTree(ok.body()).path("id").asText();

        HttpResponse<String> created = send("POST", "/api/v2/tickets",
                "{\"email\":\"a@b.example\",\"subject\":\"s\",\"custom_fields\":{\"cf_xyz\":\"1\"}}", KEY);
        HttpResponse<String> updated = send("PUT", "/api/v2/tickets/" + id,
                "{\"subject\":\"changed\",\"custom_fields\":{\"cf_itsm_hub_id\":\"hub-2\",\"itsm_hub_id\":\"x\"}}", KEY);

        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(created.body())).isEqualTo(JSON.readTree("""
                {"description":"Validation failed","errors":[{"field":"cf_xyz","message":"Unexpected/invalid field in request",\
                "code":"invalid_field"}]}"""));
        assertThat(updated.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(updated.body()).path("errors")).singleElement()
                .satisfies(e -> assertThat(e.path("field").asText()).isEqualTo("itsm_hub_id"));
        JsonNode stored = JSON.readTree(get("/api/v2/tickets/" + id, KEY).body());
        assertThat(stored.path("subject").asText()).isEqualTo("s");
        assertThat(stored.path("custom_fields").path("cf_itsm_hub_id").asText()).isEqualTo("hub-1");
        assertThat(JSON.readTree(get("/api/v2/tickets?updated_since=2000-01-01T00:00:00Z", KEY).body())).hasSize(1);
    }

    @Test
    void aBodyFieldFreshdeskDoesNotKnowIsRefusedByNameOnCreateUpdateReplyAndNote() throws Exception {
        start(SandboxOptions.defaults());
        String id = JSON.readTree(send("POST", "/api/v2/tickets", "{\"email\":\"a@b.example\",\"subject\":\"s\"}", KEY)
                .body()).path("id").asText();

        HttpResponse<String> create = send("POST", "/api/v2/tickets",
                "{\"email\":\"a@b.example\",\"subject\":\"s\",\"priorty\":3}", KEY);
        HttpResponse<String> update = send("PUT", "/api/v2/tickets/" + id, "{\"state\":4}", KEY);
        HttpResponse<String> reply = send("POST", "/api/v2/tickets/" + id + "/reply", "{\"body\":\"b\",\"private\":true}", KEY);
        HttpResponse<String> note = send("POST", "/api/v2/tickets/" + id + "/notes", "{\"body\":\"b\",\"public\":true}", KEY);

        assertThat(JSON.readTree(create.body())).isEqualTo(JSON.readTree("""
                {"description":"Validation failed","errors":[{"field":"priorty","message":"Unexpected/invalid field in request",\
                "code":"invalid_field"}]}"""));
        assertThat(List.of(create, update, reply, note)).extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(List.of(update, reply, note)).extracting(r -> JSON.readTree(r.body()).path("errors").get(0).path("field")
                .asText()).containsExactly("state", "private", "public");
        assertThat(JSON.readTree(get("/api/v2/tickets/" + id + "/conversations", KEY).body())).isEmpty();
        assertThat(JSON.readTree(get("/api/v2/tickets/" + id, KEY).body()).has("state")).isFalse();
    }

    @Test
    void fieldModeCorrelationNeedsTheCustomFieldToExistInTheAccount() {
        start(SandboxOptions.defaults());
        connect(KEY, Map.of("correlation.field", "cf_ticket_ref"));

        assertThatThrownBy(() -> sink().create(Ticket.builder().title("x").build(), "hub-1"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("HTTP 400")
                .hasMessageContaining("cf_ticket_ref: Unexpected/invalid field in request");

        sandbox.addCustomField("cf_ticket_ref");
        ExternalRef ref = sink().create(Ticket.builder().title("x").build(), "hub-1");
        assertThat(sink().findByCorrelationId("hub-1")).get().extracting(t -> t.ref().id()).isEqualTo(ref.id());
    }

    @Test
    void theTicketFieldsListShowsTheDefaultFieldsAndTheAccountsCustomFieldsOnBothPaths() throws Exception {
        Path seed = tmp.resolve("seed.json");
        Files.writeString(seed, "[{\"id\":7,\"subject\":\"s\",\"custom_fields\":{\"cf_contract\":null}}]");
        sandbox = new FreshdeskSandbox(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, seed))),
                clock, KEY, List.of("cf_itsm_hub_id", "site"));
        sandbox.start();

        JsonNode fields = JSON.readTree(get("/api/v2/ticket_fields", KEY).body());
        JsonNode admin = JSON.readTree(get("/api/v2/admin/ticket_fields", KEY).body());
        JsonNode customText = JSON.readTree(get("/api/v2/ticket_fields?type=custom_text", KEY).body());

        assertThat(fields.findValuesAsText("name")).startsWith("requester", "subject").endsWith("cf_itsm_hub_id",
                "cf_site", "cf_contract");
        assertThat(admin).isEqualTo(fields);
        assertThat(customText.findValuesAsText("name")).containsExactly("cf_itsm_hub_id", "cf_site", "cf_contract");
        assertThat(customText.get(0).path("default").asBoolean()).isFalse();
        assertThat(fields.get(0).path("default").asBoolean()).isTrue();
        assertThat(sandbox.customFieldNames()).containsExactly("cf_itsm_hub_id", "cf_site", "cf_contract");
    }

    // --- fidelity against the real samples

    @Test
    void whatTheSandboxReturnsDecodesWithTheConnectorsDtosAndCarriesTheRealFields() throws Exception {
        startSeeded();
        connect(KEY, Map.of());
        ExternalRef ref = sink().create(Ticket.builder().title("Fidelity").description("d").build(), "hub-1");
        sink().addComment(ref.id(), new Comment(null, null, "reply", clock.instant(), Visibility.PUBLIC));
        sink().addComment(ref.id(), new Comment(null, null, "note", clock.instant(), Visibility.INTERNAL));

        JsonNode ticket = JSON.readTree(get("/api/v2/tickets/" + ref.id(), KEY).body());
        JsonNode real = JSON.readTree(VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1.json"));
        Set<String> expected = fieldNames(real);
        expected.removeAll(Set.of("stats", "requester")); // only with include=stats / include=requester
        assertThat(fieldNames(ticket)).containsAll(expected);
        FreshdeskTicket dto = org.itsmhub.plugin.support.json.JsonCodec.mapper().treeToValue(ticket, FreshdeskTicket.class);
        assertThat(dto.id()).isEqualTo(Long.parseLong(ref.id()));
        assertThat(dto.status()).isEqualTo(2);
        assertThat(dto.updatedAt()).isNotNull();
        assertThat(dto.customFields()).containsEntry("cf_itsm_hub_id", "hub-1");

        JsonNode conversations = JSON.readTree(get("/api/v2/tickets/" + ref.id() + "/conversations", KEY).body());
        JsonNode realConversations = JSON.readTree(VendorTestData.read("freshdesk", "python-freshdesk_v2_conversations.json"));
        assertThat(conversations).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(fieldNames(conversations.get(i))).containsAll(fieldNames(realConversations.get(0)));
            FreshdeskConversation c = org.itsmhub.plugin.support.json.JsonCodec.mapper().treeToValue(conversations.get(i), FreshdeskConversation.class);
            assertThat(c.id()).isNotNull();
            assertThat(c.createdAt()).isNotNull();
        }
        assertThat(conversations.get(0).path("private").asBoolean()).isFalse();
        assertThat(conversations.get(0).path("source").asInt()).isZero();
        assertThat(conversations.get(1).path("private").asBoolean()).isTrue();
        assertThat(conversations.get(1).path("source").asInt()).isEqualTo(2);

        JsonNode list = JSON.readTree(get("/api/v2/tickets?updated_since=2000-01-01T00:00:00Z&include=description", KEY).body());
        JsonNode realList = JSON.readTree(VendorTestData.read("freshdesk", "python-freshdesk_v2_all_tickets.json"));
        assertThat(list.get(list.size() - 1)).as("the seeded sample comes back unchanged").isEqualTo(realList.get(0));
        JsonNode search = JSON.readTree(get("/api/v2/search/tickets?query=" + enc("\"itsm_hub_id:'hub-1'\""), KEY).body());
        assertThat(fieldNames(search)).containsAll(fieldNames(JSON.readTree(
                VendorTestData.read("freshdesk", "python-freshdesk_v2_search_tickets.json"))));
        assertThat(search.path("total").asInt()).isEqualTo(1);
    }

    @Test
    void withoutUpdatedSinceTheListHasFreshdesksThirtyDayDefault() throws Exception {
        startSeeded();

        JsonNode list = JSON.readTree(get("/api/v2/tickets", KEY).body());

        assertThat(list).as("the 2014 sample is older than 30 days").isEmpty();
    }

    @Test
    void theSandboxPageListsExactlyTheEndpointsThisSandboxServes() {
        FreshdeskSandbox unstarted = new FreshdeskSandbox(SandboxOptions.defaults(), clock, KEY);

        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("freshdesk"),
                SandboxRoutes.docsEndMarker("freshdesk"), unstarted.routes().markdownTable());
    }

    @Test
    void aKnownPathWithAnotherMethodGetsFreshdesks405AndAnUnknownPathItsOwn404() throws Exception {
        startSeeded();

        HttpResponse<String> wrongMethod = send("PATCH", "/api/v2/tickets", "{}", KEY);
        HttpResponse<String> unknown = send("GET", "/api/v2/nothing-here", null, KEY);

        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(JSON.readTree(wrongMethod.body()).path("message").asText())
                .isEqualTo("PATCH method is not allowed. It should be one of these method(s): GET, POST");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void inHttpsModeTheLinkHeaderCarriesTheHttpsBaseUrlAndLeadsToTheNextPage() throws Exception {
        start(SandboxOptions.defaults().withTls(tmp.resolve("tls")));
        for (int i = 0; i < 3; i++) {
            sandbox.put((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                    "{\"subject\":\"t" + i + "\",\"status\":2,\"created_at\":\"2024-03-01T00:00:0" + i
                            + "Z\",\"updated_at\":\"2024-03-01T00:00:0" + i + "Z\"}"));
        }
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(sandbox)).build();

        HttpResponse<String> first = client.send(authorized(sandbox.baseUrl()
                + "/api/v2/tickets?order_by=created_at&order_type=asc&per_page=2"), HttpResponse.BodyHandlers.ofString());
        String link = first.headers().firstValue("link").orElseThrow();
        String next = link.replaceAll("^<(.*)>; rel=\"next\"$", "$1");
        HttpResponse<String> second = client.send(authorized(next), HttpResponse.BodyHandlers.ofString());

        assertThat(link).matches("<https://127\\.0\\.0\\.1:\\d+/api/v2/tickets\\?.*page=2>; rel=\"next\"");
        assertThat(JSON.readTree(first.body()).findValuesAsText("subject")).containsExactly("t0", "t1");
        assertThat(JSON.readTree(second.body()).findValuesAsText("subject")).containsExactly("t2");
        assertThat(second.headers().firstValue("link")).as("the last page has no next link").isEmpty();
    }

    private static HttpRequest authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8))).build();
    }

    static javax.net.ssl.SSLContext trusting(org.itsmhub.sandbox.VendorSandbox s) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(s.certificate().orElseThrow().trustStore())) {
            trust.load(in, org.itsmhub.sandbox.SandboxCertificate.STORE_PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":X")
                        .getBytes(StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String json, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":X")
                        .getBytes(StandardCharsets.UTF_8))).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
