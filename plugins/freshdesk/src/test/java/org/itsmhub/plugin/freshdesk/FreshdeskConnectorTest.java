package org.itsmhub.plugin.freshdesk;

import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FreshdeskConnectorTest {

    private static final String KEY = "fd-api-key-123";
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2024-03-10T12:00:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @RegisterExtension
    static final WireMockExtension FD = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private FreshdeskConnector connector;

    private FreshdeskConnector connector(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("base.url", FD.baseUrl());
        raw.put("api.key", KEY);
        raw.put("default.requester.email", "servicedesk@msp.example");
        raw.put("webhook.secret", "hook-secret-1");
        raw.putAll(extra);
        connector = (FreshdeskConnector) new FreshdeskConnectorFactory().create(
                TestConnectorContext.of(new FreshdeskConnectorFactory(), raw, CLOCK));
        return connector;
    }

    private FreshdeskConnector connector() {
        return connector(Map.of());
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.close();
        }
    }

    private static List<LoggedRequest> requests() {
        return FD.findAll(anyRequestedFor(anyUrl()));
    }

    // --- reading

    @Test
    void aPageFarLargerThanAskedForFailsThatReadCleanlyAtTheConnectionsSizeCap() {
        List<String> tickets = new java.util.ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            tickets.add(FreshdeskStubs.ticket(i, Instant.parse("2024-03-01T00:00:00Z").plusSeconds(i), null));
        }
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).willReturn(okJson(FreshdeskStubs.array(tickets))));

        assertThatThrownBy(() -> connector(Map.of("max.response.size", "64KiB"))
                .readChanges(new ReadRequest(null, Map.of(), 5)))
                .isInstanceOfSatisfying(org.itsmhub.api.error.ConnectorException.class,
                        e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageStartingWith("freshdesk answer to GET /api/v2/tickets is larger than max.response.size (64 KiB)")
                .hasMessageNotContaining("\n");
        assertThat(requests()).singleElement().satisfies(r ->
                assertThat(r.queryParameter("per_page").firstValue()).isEqualTo("5"));
    }

    @Test
    void aFirstReadAsksForChangesSinceInitialSinceOldestFirstAndMapsEveryField() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).willReturn(okJson(FreshdeskStubs.resource("tickets-page.json"))));

        Page<Ticket> page = connector(Map.of("status.map", Map.of("7", "IN_PROGRESS")))
                .readChanges(new ReadRequest(null, Map.of(), 100));

        LoggedRequest sent = requests().get(0);
        assertThat(sent.getMethod().getName()).isEqualTo("GET");
        assertThat(sent.queryParameter("updated_since").firstValue()).isEqualTo("2024-02-09T12:00:30Z"); // 30d back
        assertThat(sent.queryParameter("order_by").firstValue()).isEqualTo("updated_at");
        assertThat(sent.queryParameter("order_type").firstValue()).isEqualTo("asc");
        assertThat(sent.queryParameter("per_page").firstValue()).isEqualTo("100");
        assertThat(sent.queryParameter("page").firstValue()).isEqualTo("1");
        assertThat(sent.queryParameter("include").firstValue()).isEqualTo("description");
        assertThat(sent.getHeader("Authorization")).isEqualTo(AUTH);

        assertThat(page.hasMore()).isFalse();
        assertThat(page.items()).hasSize(2);
        Ticket vpn = page.items().get(0);
        assertThat(vpn.ref()).isEqualTo(ExternalRef.of("freshdesk", "contract-freshdesk", "101"));
        assertThat(vpn.ref().url()).isEqualTo(FD.baseUrl() + "/a/tickets/101");
        assertThat(vpn.title()).isEqualTo("VPN drops every hour");
        assertThat(vpn.description()).isEqualTo("The VPN drops.\nEvery hour.");
        assertThat(vpn.status()).isEqualTo(TicketStatus.PENDING);
        assertThat(vpn.vendorStatus()).isEqualTo("3");
        assertThat(vpn.priority()).isEqualTo(Priority.P2);
        assertThat(vpn.correlationId()).isEqualTo("hub-0001");
        assertThat(vpn.requester()).isEqualTo(new Person("6012691534", null, null));
        assertThat(vpn.assignee()).isEqualTo(new Person("6010396333", null, null));
        assertThat(vpn.assignmentGroup()).isEqualTo("7001");
        assertThat(vpn.category()).isEqualTo("Incident");
        assertThat(vpn.createdAt()).isEqualTo(Instant.parse("2024-03-01T07:00:00Z"));
        assertThat(vpn.updatedAt()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
        assertThat(vpn.attributes()).containsEntry("tags", "vpn,network").containsEntry("company.id", "9001")
                .containsEntry("group.id", "7001").containsEntry("source", "1");
        Ticket printer = page.items().get(1);
        assertThat(printer.status()).as("custom status 7 through status.map").isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(printer.vendorStatus()).isEqualTo("7");
        assertThat(printer.priority()).isEqualTo(Priority.P4);
        assertThat(printer.correlationId()).isNull();
        assertThat(printer.description()).isEqualTo("Toner & drum");

        FreshdeskCursor next = FreshdeskCursor.decode(page.next());
        assertThat(next.since()).isEqualTo("2024-03-01T09:04:59Z");
        assertThat(next.seen()).as("after the last page nothing is skipped next cycle: no update may be lost")
                .isEmpty();
    }

    @Test
    void aFirstReadCanStartAtAnIsoInstant() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).willReturn(okJson("[]")));

        Page<Ticket> page = connector(Map.of("initial.since", "2020-01-01T00:00:00Z")).readChanges(ReadRequest.from(null));

        assertThat(requests().get(0).queryParameter("updated_since").firstValue()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(page.items()).isEmpty();
        assertThat(FreshdeskCursor.decode(page.next()).since()).as("nothing read: the window stays")
                .isEqualTo("2020-01-01T00:00:00Z");
    }

    @Test
    void theWindowMovesInsteadOfDeepPagingAndBoundaryTicketsAreNotReturnedTwice() {
        Instant t1 = Instant.parse("2024-03-01T09:00:00Z");
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("updated_since", equalTo("2024-02-09T12:00:30Z"))
                .willReturn(okJson(FreshdeskStubs.array(List.of(FreshdeskStubs.ticket(1, t1, null),
                        FreshdeskStubs.ticket(2, t1.plusSeconds(60), null))))
                        .withHeader("Link", "<" + FD.baseUrl() + "/api/v2/tickets?page=2>; rel=\"next\"")));
        // the next window starts one second (read.overlap) before the newest change read
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("updated_since", equalTo("2024-03-01T09:00:59Z"))
                .willReturn(okJson(FreshdeskStubs.array(List.of(FreshdeskStubs.ticket(2, t1.plusSeconds(60), null),
                        FreshdeskStubs.ticket(3, t1.plusSeconds(60), null),
                        FreshdeskStubs.ticket(1, t1.plusSeconds(120), null))))));
        FreshdeskConnector c = connector();

        Page<Ticket> first = c.readChanges(new ReadRequest(null, Map.of(), 2));
        Page<Ticket> second = c.readChanges(new ReadRequest(first.next(), Map.of(), 2));

        assertThat(first.hasMore()).isTrue();
        assertThat(first.items()).extracting(t -> t.ref().id()).containsExactly("1", "2");
        assertThat(second.items()).as("2 again unchanged is dropped; 1 changed again is returned")
                .extracting(t -> t.ref().id()).containsExactly("3", "1");
        assertThat(second.hasMore()).isFalse();
        assertThat(requests()).extracting(r -> r.queryParameter("page").firstValue()).containsOnly("1");
        assertThat(requests()).extracting(r -> r.queryParameter("per_page").firstValue()).containsOnly("2");
        FreshdeskCursor stored = FreshdeskCursor.decode(second.next());
        assertThat(stored.since()).isEqualTo("2024-03-01T09:01:59Z");
        assertThat(stored.seen()).as("after the last page nothing is skipped next cycle: no update may be lost")
                .isEmpty();
    }

    @Test
    void withSeveralPagesPerWindowTheConnectorFollowsTheLinkHeaderThenMovesTheWindow() {
        Instant t1 = Instant.parse("2024-03-01T09:00:00Z");
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(FreshdeskStubs.array(List.of(FreshdeskStubs.ticket(1, t1, null))))
                        .withHeader("Link", "<" + FD.baseUrl() + "/api/v2/tickets?page=2>; rel=\"next\"")));
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(FreshdeskStubs.array(List.of(FreshdeskStubs.ticket(2, t1.plusSeconds(30), null))))
                        .withHeader("Link", "<" + FD.baseUrl() + "/api/v2/tickets?page=3>; rel=\"next\"")));
        FreshdeskConnector c = connector(Map.of("read.pages.per.window", 2));

        Page<Ticket> first = c.readChanges(new ReadRequest(null, Map.of(), 1));
        Page<Ticket> second = c.readChanges(new ReadRequest(first.next(), Map.of(), 1));

        assertThat(FreshdeskCursor.decode(first.next()).page()).isEqualTo(2);
        assertThat(requests()).extracting(r -> r.queryParameter("page").firstValue()).containsExactlyInAnyOrder("1", "2");
        FreshdeskCursor moved = FreshdeskCursor.decode(second.next());
        assertThat(second.hasMore()).isTrue();
        assertThat(moved.page()).isEqualTo(1);
        assertThat(moved.since()).isEqualTo("2024-03-01T09:00:29Z");
    }

    @Test
    void groupAndTagFiltersApplyToEachPageAndCompanyGoesToFreshdesk() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets")).willReturn(okJson(FreshdeskStubs.resource("tickets-page.json"))));

        Page<Ticket> page = connector().readChanges(new ReadRequest(null,
                Map.of("group.id", "7001", "tag", "vpn", "company.id", "9001"), 100));

        assertThat(page.items()).extracting(t -> t.ref().id()).containsExactly("101");
        assertThat(requests().get(0).queryParameter("company_id").firstValue()).isEqualTo("9001");
        assertThat(FreshdeskCursor.decode(page.next()).max()).as("filtered-out tickets still move the window")
                .isNotNull();
    }

    @Test
    void aNonNumericCompanyOrGroupFilterIsRefusedBeforeAnyRequest() {
        FreshdeskConnector c = connector();
        for (String key : List.of("company.id", "group.id")) {
            assertThatThrownBy(() -> c.readChanges(new ReadRequest(null, Map.of(key, "1 OR 1=1"), 10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
        }
        assertThatThrownBy(() -> c.readChanges(new ReadRequest(null, Map.of("status", "2"), 10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(requests()).isEmpty();
    }

    @Test
    void aCursorFromSomewhereElseIsRejectedClearly() {
        assertThatThrownBy(() -> connector().readChanges(ReadRequest.from(Cursor.of("2024-01-01T00:00:00Z"))))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("Freshdesk cursor");
    }

    @Test
    void fetchReadsOneTicketWithItsRequesterAndIsEmptyOn404() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/1")).willReturn(
                okJson(VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1.json"))));
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/2")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("")));

        Optional<Ticket> one = connector().fetch("1");
        Optional<Ticket> gone = connector.fetch("2");

        assertThat(one).get().satisfies(t -> {
            assertThat(t.title()).isEqualTo("This is a sample ticket");
            assertThat(t.requester()).isEqualTo(new Person("43026449322", "Dummyname", "dummyname@example.com"));
        });
        assertThat(gone).isEmpty();
        assertThat(requests()).allSatisfy(r -> assertThat(r.queryParameter("include").firstValue()).isEqualTo("requester"));
    }

    // --- writing

    @Test
    void createCarriesTheCorrelationIdInTheCustomFieldOfTheCreateCall() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(FreshdeskStubs.resource("ticket-created.json"))));
        Ticket ticket = Ticket.builder().title("Backup failed on ACME-FS01").description("Job FS01 nightly failed.\n<see log>")
                .status(TicketStatus.NEW).priority(Priority.P1)
                .requester(new Person(null, "Ann", "ann@acme.example")).build();

        ExternalRef ref = connector().create(ticket, "hub-7f3a9c");

        assertThat(ref).isEqualTo(ExternalRef.of("freshdesk", "contract-freshdesk", "4242"));
        assertThat(ref.url()).isEqualTo(FD.baseUrl() + "/a/tickets/4242");
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets"))
                .withHeader("Authorization", equalTo(AUTH))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"subject":"Backup failed on ACME-FS01",
                         "description":"<p>Job FS01 nightly failed.<br>&lt;see log&gt;</p>",
                         "email":"ann@acme.example","status":2,"priority":4,
                         "custom_fields":{"cf_itsm_hub_id":"hub-7f3a9c"}}""")));
    }

    @Test
    void inTagModeTheCorrelationIdIsATagAndTheDefaultRequesterIsUsed() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(FreshdeskStubs.resource("ticket-created.json"))));
        Ticket ticket = Ticket.builder().title("Disk full").status(TicketStatus.OPEN).build();

        connector(Map.of("correlation.mode", "tag")).create(ticket, "hub-1");

        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets")).withRequestBody(equalToJson("""
                {"subject":"Disk full","description":"<p>Disk full</p>","email":"servicedesk@msp.example",
                 "status":2,"priority":1,"tags":["itsmhub:hub-1"]}""")));
    }

    @Test
    void aTicketWithoutRequesterAndNoDefaultIsRefusedBeforeSending() {
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", FD.baseUrl(), "api.key", KEY));
        connector = (FreshdeskConnector) new FreshdeskConnectorFactory().create(
                TestConnectorContext.of(new FreshdeskConnectorFactory(), raw, CLOCK));

        assertThatThrownBy(() -> connector.create(Ticket.builder().title("x").build(), "hub-2"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("default.requester.email");
        assertThat(requests()).isEmpty();
    }

    @Test
    void aValidationErrorBecomesADataErrorWithFreshdesksFieldMessages() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(FreshdeskStubs.resource("validation-error.json"))));

        assertThatThrownBy(() -> connector().create(Ticket.builder().title("x").build(), "hub-3"))
                .isInstanceOf(DataMappingException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("Validation failed")
                .hasMessageContaining("email: There is no contact matching the given email (invalid_value)")
                .hasMessageContaining("cf_itsm_hub_id: Unexpected/invalid field in request");
    }

    @Test
    void updateSendsOnlyTheRequestedFields() {
        FD.stubFor(put(urlPathEqualTo("/api/v2/tickets/1")).willReturn(okJson(
                VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1_updated.json"))));
        Ticket changed = Ticket.builder().title("Test subject update").description("new body").status(TicketStatus.OPEN)
                .priority(Priority.P2).assignee(new Person("6010396333", null, null)).build();

        connector().update("1", changed, Set.of(TicketField.TITLE, TicketField.PRIORITY, TicketField.ASSIGNEE));

        FD.verify(putRequestedFor(urlPathEqualTo("/api/v2/tickets/1")).withHeader("Authorization", equalTo(AUTH))
                .withRequestBody(equalToJson("{\"subject\":\"Test subject update\",\"priority\":3,\"responder_id\":6010396333}")));
    }

    @Test
    void anAssigneeFromAnotherSystemIsRefusedRatherThanSentAsGarbage() {
        Ticket changed = Ticket.builder().title("x").assignee(new Person("jdoe@other", null, null)).build();

        assertThatThrownBy(() -> connector().update("1", changed, Set.of(TicketField.ASSIGNEE)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("numeric id");
        assertThat(requests()).isEmpty();
    }

    @Test
    void changeStatusWritesTheStatusCodeAndTheNoteAsAPrivateNote() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_note_1.json"))));
        FD.stubFor(put(urlPathEqualTo("/api/v2/tickets/1")).willReturn(okJson(
                VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1_updated.json"))));

        connector().changeStatus("1", TicketStatus.RESOLVED, "Fixed by restarting the service");

        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Fixed by restarting the service</p>\",\"private\":true}")));
        FD.verify(putRequestedFor(urlPathEqualTo("/api/v2/tickets/1")).withRequestBody(equalToJson("{\"status\":4}")));
    }

    @Test
    void aResolutionNoteIsAPublicReplyByDefaultBeforeTheHubsNoteAndTheStatus() {
        stubConversationsAndUpdate();

        connector().changeStatus("1", TicketStatus.RESOLVED, "Synced by ITSM Hub", "Toner getauscht\nTrommel auch");

        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/reply"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Toner getauscht<br>Trommel auch</p>\"}")));
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Synced by ITSM Hub</p>\",\"private\":true}")));
        assertThat(requests()).extracting(r -> r.getMethod().getName() + " " + r.getUrl()).containsExactly(
                "POST /api/v2/tickets/1/reply", "POST /api/v2/tickets/1/notes", "PUT /api/v2/tickets/1");
    }

    @Test
    void aResolutionNoteCanBeAPublicNoteOrGoIntoTheHubsPrivateNoteOrNowhere() {
        stubConversationsAndUpdate();

        connector(Map.of("resolution.note", "public-note")).changeStatus("1", TicketStatus.RESOLVED, "Hub", "Toner");
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Toner</p>\",\"private\":false}")));
        FD.resetRequests();

        connector(Map.of("resolution.note", "private-note")).changeStatus("1", TicketStatus.RESOLVED, "Hub", "Toner");
        FD.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes")));
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Toner</p><p>Hub</p>\",\"private\":true}")));
        FD.resetRequests();

        connector(Map.of("resolution.note", "none")).changeStatus("1", TicketStatus.RESOLVED, "Hub", "Toner");
        FD.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/reply")));
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Hub</p>\",\"private\":true}")));
    }

    @Test
    void anUnknownResolutionNoteModeIsAConfigProblemAtItsKey() {
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", FD.baseUrl(), "api.key", KEY,
                "resolution.note", "email"));
        assertThat(FreshdeskConnectorConfig.CONFIG.parse(raw).problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("resolution.note");
            assertThat(p.message()).contains("reply");
        });
    }

    @Test
    void theVendorStatusOfAStatusIsTheCodeWrittenSoTheHubCanSkipAChangeThatChangesNothing() {
        FreshdeskConnector c = connector();

        assertThat(c.vendorStatusFor(TicketStatus.IN_PROGRESS)).contains("2");
        assertThat(c.vendorStatusFor(TicketStatus.NEW)).contains("2");
        assertThat(c.vendorStatusFor(TicketStatus.RESOLVED)).contains("4");
        assertThat(requests()).isEmpty();
    }

    @Test
    void aCommentKeepsItsLinesAndItsInvisibleCharactersOnTheWayInAndOut() {
        String marker = "\u200D\u200B\u200C\u200B\u200D";
        String text = "ordering laptop\n\nsecond line\n— admin, via servicenow" + marker;
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_note_1.json"))));

        connector().addComment("1", new Comment(null, Person.named("admin"), text, Instant.EPOCH, Visibility.INTERNAL));

        String sent = FD.getAllServeEvents().get(0).getRequest().getBodyAsString();
        String html = org.itsmhub.plugin.support.json.JsonCodec.readTree(sent, "note").get("body").asText();
        assertThat(html).isEqualTo("<p>admin wrote:</p><p>ordering laptop</p><p>second line<br>— admin, via servicenow"
                + marker + "</p>");
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/1/conversations")).willReturn(okJson("[{\"id\":9,"
                + "\"body\":" + new com.fasterxml.jackson.databind.node.TextNode(html) + ",\"body_text\":"
                + "\"admin wrote:ordering laptopsecond line— admin, via servicenow\",\"private\":true,\"source\":2,"
                + "\"ticket_id\":1,\"created_at\":\"2024-03-01T10:00:00Z\",\"updated_at\":\"2024-03-01T10:00:00Z\"}]")));

        assertThat(connector.comments("1")).singleElement().extracting(Comment::body)
                .isEqualTo("admin wrote:\n\nordering laptop\n\nsecond line\n— admin, via servicenow" + marker);
    }

    private void stubConversationsAndUpdate() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_note_1.json"))));
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/reply")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_reply_1.json"))));
        FD.stubFor(put(urlPathEqualTo("/api/v2/tickets/1")).willReturn(okJson(
                VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1_updated.json"))));
    }

    @Test
    void customStatusCodesAreWrittenThroughTheWriteMap() {
        FD.stubFor(put(urlPathEqualTo("/api/v2/tickets/1")).willReturn(okJson(
                VendorTestData.read("freshdesk", "python-freshdesk_v2_ticket_1_updated.json"))));

        connector(Map.of("status.write.map", Map.of("IN_PROGRESS", "6"))).changeStatus("1", TicketStatus.IN_PROGRESS, null);

        FD.verify(putRequestedFor(urlPathEqualTo("/api/v2/tickets/1")).withRequestBody(equalToJson("{\"status\":6}")));
        assertThat(requests()).hasSize(1);
    }

    @Test
    void aPublicCommentBecomesAReplyAndAnInternalOneAPrivateNote() {
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/reply")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_reply_1.json"))));
        FD.stubFor(post(urlPathEqualTo("/api/v2/tickets/1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(VendorTestData.read("freshdesk", "python-freshdesk_v2_note_1.json"))));
        Instant at = Instant.parse("2024-03-01T10:00:00Z");

        ExternalRef reply = connector().addComment("1", new Comment(null, Person.named("Bob Tech"), "We are on it.",
                at, Visibility.PUBLIC));
        ExternalRef note = connector.addComment("1", new Comment(null, null, "Root cause: <expired cert>", at,
                Visibility.INTERNAL));

        assertThat(reply.id()).isEqualTo("2");
        assertThat(note.id()).isEqualTo("1");
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/reply"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Bob Tech wrote:</p><p>We are on it.</p>\"}")));
        FD.verify(postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/notes"))
                .withRequestBody(equalToJson("{\"body\":\"<p>Root cause: &lt;expired cert&gt;</p>\",\"private\":true}")));
        FD.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/tickets/1/reply"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Root cause")));
    }

    @Test
    void commentsAreReadFromEveryConversationPageWithVisibilityAndAuthor() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/1/conversations")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(VendorTestData.read("freshdesk", "python-freshdesk_v2_conversations.json"))
                        .withHeader("Link", "<" + FD.baseUrl() + "/api/v2/tickets/1/conversations?page=2>; rel=\"next\"")));
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/1/conversations")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(FreshdeskStubs.resource("conversations-page-2.json"))));

        List<Comment> comments = connector().comments("1");

        assertThat(requests()).extracting(r -> r.queryParameter("per_page").firstValue()).containsOnly("100");
        assertThat(comments).extracting(Comment::body).containsExactly("This is a private note", "This is a reply",
                "It works again, thanks!", "FYI vendor case 123");
        assertThat(comments).extracting(Comment::visibility).containsExactly(Visibility.INTERNAL, Visibility.PUBLIC,
                Visibility.PUBLIC, Visibility.INTERNAL);
        assertThat(comments.get(1).author()).isEqualTo(new Person("1", "Rachel", "rachel@freshdesk.com"));
        assertThat(comments.get(2).author()).isEqualTo(new Person("6012691534", null, "dummyname@example.com"));
        assertThat(comments.get(0).ref().id()).isEqualTo("1");
    }

    @Test
    void findByCorrelationIdSearchesTheCustomFieldByItsNameWithoutCfPrefix() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).willReturn(okJson(
                FreshdeskStubs.resource("search-by-correlation.json"))));

        Optional<Ticket> found = connector().findByCorrelationId("hub-7f3a9c");

        assertThat(found).get().extracting(t -> t.ref().id()).isEqualTo("4242");
        FD.verify(getRequestedFor(urlPathEqualTo("/api/v2/search/tickets"))
                .withQueryParam("query", equalTo("\"itsm_hub_id:'hub-7f3a9c'\""))
                .withHeader("Authorization", equalTo(AUTH)));
    }

    @Test
    void theSearchNameOfTheCorrelationFieldCanBeOverridden() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).willReturn(okJson("{\"results\":[],\"total\":0}")));

        Optional<Ticket> found = connector(Map.of("correlation.search.name", "cf_itsm_hub_id"))
                .findByCorrelationId("hub-1");

        assertThat(found).isEmpty();
        FD.verify(getRequestedFor(urlPathEqualTo("/api/v2/search/tickets"))
                .withQueryParam("query", equalTo("\"cf_itsm_hub_id:'hub-1'\"")));
    }

    @Test
    void findByCorrelationIdInTagModeSearchesTheTagAndIgnoresNearMisses() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).willReturn(okJson(
                FreshdeskStubs.resource("search-by-correlation.json"))));

        Optional<Ticket> found = connector(Map.of("correlation.mode", "tag")).findByCorrelationId("hub-7f3a9c");
        Optional<Ticket> other = connector.findByCorrelationId("hub-7f3a9");

        assertThat(found).get().extracting(Ticket::correlationId).isEqualTo("hub-7f3a9c");
        assertThat(other).as("search hit whose tag is not exactly ours").isEmpty();
        FD.verify(getRequestedFor(urlPathEqualTo("/api/v2/search/tickets"))
                .withQueryParam("query", equalTo("\"tag:'itsmhub:hub-7f3a9c'\"")));
    }

    /** A search hit carrying {@code correlationId} in the custom field and as a tag. */
    private static String hit(long id, String correlationId) {
        return FreshdeskStubs.ticket(id, NOW.minusSeconds(3600), "").replace("\"cf_itsm_hub_id\":null",
                "\"cf_itsm_hub_id\":\"" + correlationId + "\"").replace("\"tags\":[]",
                "\"tags\":[\"itsmhub:" + correlationId + "\"]");
    }

    @Test
    void aHundredTwinsInTagModeAreLookedUpWithOrQueriesThatEachFitFreshdesks512Characters() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add("ih:desk:L:" + (1000 + i));
        }
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).willReturn(okJson("{\"results\":["
                + hit(71, "ih:desk:L:1000") + "," + hit(72, "ih:desk:L:1099") + "," + hit(73, "ih:desk:L:10") + "],\"total\":3}")));

        Map<String, Ticket> found = connector(Map.of("correlation.mode", "tag")).findByCorrelationIds(ids);

        assertThat(found).containsOnlyKeys("ih:desk:L:1000", "ih:desk:L:1099");
        assertThat(found.get("ih:desk:L:1099").ref().id()).isEqualTo("72");
        List<String> queries = requests().stream().map(r -> r.queryParameter("query").firstValue()).toList();
        // 28 characters a term, " OR " between: 16 terms fit 512 with the quotes, so 7 queries for 100 ids
        assertThat(queries).hasSize(7).allSatisfy(q -> assertThat(q).hasSizeLessThanOrEqualTo(512).startsWith("\"tag:'")
                .endsWith("'\""));
        assertThat(queries.get(0)).startsWith("\"tag:'itsmhub:ih:desk:L:1000' OR tag:'itsmhub:ih:desk:L:1001' OR ");
        List<String> asked = queries.stream().flatMap(q -> java.util.Arrays.stream(q.substring(1, q.length() - 1)
                .split(" OR "))).toList();
        assertThat(asked).containsExactlyElementsOf(ids.stream().map(id -> "tag:'itsmhub:" + id + "'").toList());
        assertThat(requests()).allSatisfy(r -> {
            assertThat(r.getHeader("Authorization")).isEqualTo(AUTH);
            assertThat(r.queryParameter("page").isPresent()).isFalse();
        });
    }

    @Test
    void aSearchWithMoreThanThirtyHitsIsFollowedToItsNextPageAndTheLowestTicketIdIsTheTwin() {
        List<String> firstPage = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            firstPage.add(hit(600 - i, "ih:desk:L:" + (i % 3))); // newest first, as Freshdesk answers
        }
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).withQueryParam("page", com.github.tomakehurst
                .wiremock.client.WireMock.absent()).willReturn(okJson("{\"results\":" + FreshdeskStubs.array(firstPage)
                + ",\"total\":32}")));
        FD.stubFor(get(urlPathEqualTo("/api/v2/search/tickets")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"results\":[" + hit(12, "ih:desk:L:1") + "," + hit(11, "ih:desk:L:3")
                        + "],\"total\":32}")));

        Map<String, Ticket> found = connector().findByCorrelationIds(List.of("ih:desk:L:0", "ih:desk:L:1",
                "ih:desk:L:3", "ih:desk:L:4"));

        assertThat(found).containsOnlyKeys("ih:desk:L:0", "ih:desk:L:1", "ih:desk:L:3");
        assertThat(found.get("ih:desk:L:0").ref().id()).isEqualTo("573");
        assertThat(found.get("ih:desk:L:1").ref().id()).isEqualTo("12");
        assertThat(found.get("ih:desk:L:3").ref().id()).isEqualTo("11");
        assertThat(requests()).hasSize(2);
        FD.verify(getRequestedFor(urlPathEqualTo("/api/v2/search/tickets")).withQueryParam("page", equalTo("2"))
                .withQueryParam("query", equalTo("\"itsm_hub_id:'ih:desk:L:0' OR itsm_hub_id:'ih:desk:L:1' OR "
                        + "itsm_hub_id:'ih:desk:L:3' OR itsm_hub_id:'ih:desk:L:4'\"")));
    }

    @Test
    void aBatchHoldingACorrelationIdThatCouldChangeTheSearchQueryIsRefusedBeforeAnyRequest() {
        FreshdeskConnector c = connector();
        for (String hostile : List.of("x' OR status:2 OR tag:'y", "a\" OR 1=1", "id with space", "x') OR (1=1")) {
            assertThatThrownBy(() -> c.findByCorrelationIds(List.of("ih:desk:L:1", hostile)))
                    .isInstanceOf(DataMappingException.class);
        }
        assertThat(requests()).isEmpty();
    }

    @Test
    void correlationIdsThatCouldChangeTheSearchQueryAreRefusedBeforeAnyRequest() {
        FreshdeskConnector c = connector();
        for (String hostile : List.of("x' OR status:2 OR tag:'y", "a\" OR 1=1", "id with space", "x\\'", "",
                "x') OR (1=1")) {
            assertThatThrownBy(() -> c.findByCorrelationId(hostile)).isInstanceOf(DataMappingException.class);
            assertThatThrownBy(() -> c.create(Ticket.builder().title("t").build(), hostile))
                    .isInstanceOf(DataMappingException.class);
        }
        assertThat(requests()).isEmpty();
    }

    // --- connection check

    @Test
    void checkConnectionMakesOneAuthenticatedCallToAgentsMe() throws Exception {
        String me = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .readTree(VendorTestData.read("freshdesk", "python-freshdesk_v2_agents.json")).get(0).toString();
        FD.stubFor(get(urlPathEqualTo("/api/v2/agents/me")).willReturn(okJson(me)));

        assertThat(connector().checkConnection()).isEmpty();
        assertThat(requests()).singleElement().satisfies(r -> {
            assertThat(r.getUrl()).isEqualTo("/api/v2/agents/me");
            assertThat(r.getHeader("Authorization")).isEqualTo(AUTH);
        });
    }

    @Test
    void checkConnectionBlamesTheApiKeyForA401AndTheUrlForAnythingElse() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/agents/me")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"invalid_credentials\",\"message\":\"You have to be logged in to perform this action.\"}")));
        assertThat(connector().checkConnection()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("api.key");
            assertThat(p.message()).contains("invalid_credentials").doesNotContain(KEY);
        });

        FD.resetAll();
        FD.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404).withBody("<html>Not Found</html>")));
        assertThat(connector.checkConnection()).singleElement().extracting(p -> p.key()).isEqualTo("base.url");

        connector = connector(Map.of("base.url", "http://127.0.0.1:1"));
        assertThat(connector.checkConnection()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("base.url");
            assertThat(p.message()).contains("could not be reached");
        });
    }

    // --- rate limits

    @Test
    void theRateLimitWaitComesFromRetryAfterNotFromAGuessedMinuteWhenNoneRemain() {
        Clock at = Clock.fixed(Instant.parse("2024-03-10T12:00:45Z"), ZoneOffset.UTC);

        assertThat(FreshdeskConnectorFactory.resetAfter(okhttp3.Headers.of("Retry-After", "17",
                "X-RateLimit-Remaining", "0"), at)).contains(java.time.Duration.ofSeconds(17));
        assertThat(FreshdeskConnectorFactory.resetAfter(okhttp3.Headers.of("X-RateLimit-Remaining", "0"), at))
                .as("the connection's own budget paces the next request").isEmpty();
        assertThat(FreshdeskConnectorFactory.resetAfter(okhttp3.Headers.of("X-RateLimit-Remaining", "12"), at)).isEmpty();
    }

    @Test
    void aResponseSayingNoRequestsRemainHoldsTheNextRequestBack() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/agents/me")).willReturn(okJson("{\"id\":1}")
                .withHeader("X-RateLimit-Remaining", "0").withHeader("Retry-After", "1")));
        FreshdeskConnector c = connector(Map.of());
        c.checkConnection();

        long start = System.nanoTime();
        c.checkConnection();

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
    }

    @Test
    void aVendorThatStopsAnsweringEndsTheCallWithARetriableErrorAtTheReadTimeout() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/42")).willReturn(okJson("{}").withFixedDelay(10_000)));
        FreshdeskConnector c = connector(Map.of("timeouts.read", "1s"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> c.fetch("42"))
                .isInstanceOf(org.itsmhub.api.error.RetriableException.class)
                .hasMessageContaining("view ticket").hasMessageFindingMatch("timeout|timed out");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("ended by timeouts.read, not by the 10 s answer").isLessThan(8_000);
        assertThat(requests()).extracting(r -> r.getUrl()).containsExactly("/api/v2/tickets/42?include=requester");
    }

    @Test
    void theCallDeadlineEndsACallThatKeepsTrickling() {
        FD.stubFor(get(urlPathEqualTo("/api/v2/tickets/42")).willReturn(okJson("{\"id\":42}")
                .withChunkedDribbleDelay(10, 10_000)));
        FreshdeskConnector c = connector(Map.of("timeouts.read", "5s", "timeouts.call", "2s"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> c.fetch("42")).isInstanceOf(org.itsmhub.api.error.RetriableException.class);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
    }

    @Test
    void aVendorEchoingTheBasicApiKeyHeaderQuotesExactlyWhatTheConnectorReportedAsSent() {
        FD.stubFor(any(anyUrl()).willReturn(CredentialEcho.refusing(401)));
        TestConnectorContext context = TestConnectorContext.of(new FreshdeskConnectorFactory(),
                Map.of("base.url", FD.baseUrl(), "api.key", KEY), CLOCK);
        connector = (FreshdeskConnector) new FreshdeskConnectorFactory().create(context);

        Throwable error = catchThrowable(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)));

        assertThat(error).isInstanceOf(AuthenticationException.class);
        CredentialEcho.assertEchoedCredentialsWereReported(error, FD.findAll(anyRequestedFor(anyUrl())), context);
        assertThat(context.credentialsSent()).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString((KEY + ":X").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
