package org.itsmhub.plugin.servicenow;

import java.time.ZoneOffset;
import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.INCIDENTS;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.JOURNAL;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.USER;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.incident;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.resource;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.sysId;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Level;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The connector against a stubbed instance: canonical results and the requests it sent. */
class ServiceNowConnectorTest extends StubbedInstanceTest {

    static final String TICKET = "03dbb48fdb040010a704fe1b6896191b";
    static final String GROUP = "287ebd7da9fe198100f92cc8d1d2154e";
    static final String COMPANY = "31bea3d53790200044e0bfc8bcbe5dec";

    private static String single(String record) {
        return "{\"result\":" + record + "}";
    }

    // ---- reads

    @Test
    void aFirstReadAsksForRawValuesChangedSinceTheLookbackInUpdateOrder() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(1, Instant.parse("2026-01-09T10:00:00Z")), incident(2, Instant.parse("2026-01-09T10:00:00Z")))))));

        Page<Ticket> page = connector.readChanges(new ReadRequest(null, Map.of(), 50));

        assertThat(page.items()).extracting(t -> t.ref().id()).containsExactly(sysId(1), sysId(2));
        Ticket t = page.items().get(0);
        assertThat(t.title()).isEqualTo("Printer 1 is jammed");
        assertThat(t.status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(t.priority()).isEqualTo(Priority.P3);
        assertThat(t.impact()).isEqualTo(Level.MEDIUM);
        assertThat(t.updatedAt()).isEqualTo(Instant.parse("2026-01-09T10:00:00Z"));
        assertThat(t.ref().url()).isEqualTo(SN.baseUrl() + "/incident.do?sys_id=" + sysId(1));
        assertThat(page.hasMore()).isFalse();
        assertThat(ServiceNowCursor.decode(page.next())).as("the next cycle reads the newest second again")
                .isEqualTo(new ServiceNowCursor(Instant.parse("2026-01-09T10:00:00Z"), Set.of()));

        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))).get(0);
        assertThat(r.queryParameter("sysparm_query").firstValue())
                .isEqualTo("sys_updated_on>=2026-01-03 00:00:00^ORDERBYsys_updated_on^ORDERBYsys_id");
        assertThat(r.queryParameter("sysparm_display_value").firstValue()).isEqualTo("false");
        assertThat(r.queryParameter("sysparm_exclude_reference_link").firstValue()).isEqualTo("true");
        assertThat(r.queryParameter("sysparm_limit").firstValue()).isEqualTo("50");
        assertThat(r.queryParameter("sysparm_offset").firstValue()).isEqualTo("0");
        assertThat(r.queryParameter("sysparm_fields").firstValue()).contains("sys_updated_on", "correlation_id",
                "impact", "urgency", "priority", "state");
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
        assertThat(r.getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void theBoundarySecondIsNeitherLostNorRepeated() {
        Instant t = Instant.parse("2026-01-09T10:00:00Z");
        Cursor cursor = new ServiceNowCursor(t, Set.of(sysId(1))).encode();
        // ServiceNow returns a record already read (it moved in the ordering) and a new one at the same second
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(1, t), incident(3, t), incident(4, t.plusSeconds(5)))))));

        Page<Ticket> page = connector.readChanges(new ReadRequest(cursor, Map.of(), 10));

        assertThat(page.items()).extracting(x -> x.ref().id()).containsExactly(sysId(3), sysId(4));
        // the last page: the next cycle reads the newest second again, so nothing changed in it is lost
        assertThat(ServiceNowCursor.decode(page.next())).isEqualTo(new ServiceNowCursor(t.plusSeconds(5), Set.of()));
        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))).get(0);
        assertThat(r.queryParameter("sysparm_query").firstValue()).startsWith("sys_updated_on>=2026-01-09 10:00:00^");
        // the record read before is asked for again and dropped by id, never skipped by offset
        assertThat(r.queryParameter("sysparm_offset").firstValue()).isEqualTo("0");
        assertThat(r.queryParameter("sysparm_limit").firstValue()).isEqualTo("11");
    }

    @Test
    void aRecordReadAtTheCursorSecondThatChangedSinceDoesNotHideAnotherRecord() {
        Instant t = Instant.parse("2026-01-09T10:00:00Z");
        Cursor cursor = new ServiceNowCursor(t, Set.of(sysId(1))).encode();
        // record 1 was read at t and has changed since: it now sorts after record 2
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(2, t.plusSeconds(3)), incident(1, t.plusSeconds(4)))))));

        Page<Ticket> page = connector.readChanges(new ReadRequest(cursor, Map.of(), 10));

        assertThat(page.items()).extracting(x -> x.ref().id()).containsExactly(sysId(2), sysId(1));
    }

    @Test
    void followsTheLinkHeaderToTheNextPage() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(List.of(
                incident(1, Instant.parse("2026-01-09T10:00:00Z")))))
                .withHeader("Link", ServiceNowStubs.link(SN.baseUrl(), 1, 0, true))));

        assertThat(connector.readChanges(new ReadRequest(null, Map.of(), 1)).hasMore()).isTrue();
    }

    @Test
    void filtersByAssignmentGroupAndCompanySysIds() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[]}")));

        connector.readChanges(new ReadRequest(null, Map.of("assignment.group", GROUP, "company", COMPANY), 10));

        assertThat(SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))).get(0).queryParameter("sysparm_query")
                .firstValue()).isEqualTo("sys_updated_on>=2026-01-03 00:00:00^assignment_group=" + GROUP
                        + "^company=" + COMPANY + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void configuredFiltersApplyWhenTheSyncGivesNone() {
        connector.close();
        connector = connect(Map.of("filter.company", COMPANY));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[]}")));

        connector.readChanges(new ReadRequest(null, Map.of(), 10));

        assertThat(SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))).get(0).queryParameter("sysparm_query")
                .firstValue()).contains("^company=" + COMPANY + "^");
    }

    @Test
    void aFilterValueThatCouldChangeTheEncodedQueryIsRefusedBeforeAnythingIsSent() {
        for (String hostile : List.of(GROUP + "^NQactive=true", GROUP + "^ORpriority=1", "x^ORpriority=1^NQactive=true",
                GROUP + "\n", "javascript:gs.getUserID()")) {
            assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of("company", hostile), 10)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of("short_description", "x"), 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown");
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aRateLimitWithOnlyXRateLimitResetIsRetriableUntilTheReset() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(429, resource("error_429_rate_limited.json"))
                .withHeader("X-RateLimit-Limit", "1000")
                .withHeader("X-RateLimit-Reset", String.valueOf(NOW.getEpochSecond() + 40))));

        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(40));
                    assertThat(e.getMessage()).contains("HTTP 429", "Rate limit exceeded");
                });
    }

    @Test
    void fetchReadsOneRecordThroughTheCamelComponentAndIsEmptyOn404() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS + "/" + sysId(5))).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(
                resource("error_404_no_record.json"))));

        Optional<Ticket> found = connector.fetch(TICKET);

        assertThat(found).get().satisfies(t -> {
            assertThat(t.ref().id()).isEqualTo(TICKET);
            assertThat(t.attributes()).containsEntry("number", "INC0010019");
        });
        assertThat(connector.fetch(sysId(5))).isEmpty();
        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))).get(0);
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
        assertThat(r.queryParameter("sysparm_display_value").firstValue()).isEqualTo("false");
        assertThat(r.queryParameter("sysparm_exclude_reference_link").firstValue()).isEqualTo("true");
    }

    @Test
    void anIdThatIsNotASysIdIsRefused() {
        assertThatThrownBy(() -> connector.fetch("../sys_user")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connector.comments("INC0010019^ORelement_id!=x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    // ---- writes

    @Test
    void createsAnIncidentWithTheCorrelationIdInTheSameCall() {
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));
        Ticket ticket = Ticket.builder().title("VPN down for the Leeds office").description("Since 9:00")
                .priority(Priority.P2).category("network").build();

        long start = System.nanoTime();
        ExternalRef ref = connector.create(ticket, "hub-7c1e2f");
        long firstCallMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(ref).isEqualTo(ExternalRef.of("servicenow", "contract-servicenow", TICKET));
        assertThat(ref.url()).endsWith("/incident.do?sys_id=" + TICKET);
        SN.verify(postRequestedFor(urlPathEqualTo(INCIDENTS))
                .withHeader("Authorization", equalTo(BASIC))
                .withHeader("Content-Type", equalTo("application/json"))
                .withQueryParam("sysparm_display_value", equalTo("false"))
                .withRequestBody(equalToJson("""
                        {"short_description":"VPN down for the Leeds office","description":"Since 9:00",
                         "impact":"1","urgency":"2","category":"network",
                         "correlation_id":"hub-7c1e2f","correlation_display":"ITSM Hub"}""")));
        System.out.println("first camel-servicenow call (producer set-up + POST): " + firstCallMs + " ms");
    }

    /**
     * camel-servicenow's CXF client (JDK HttpClient) sent bodies over 4 KB chunked with an h2c upgrade
     * offer, which servers may reset or cut. Every write goes as HTTP/1.1 with a Content-Length.
     */
    @Test
    void a64KbCreateAndUpdateGoAsHttp11WithAContentLength() {
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        String description = "Zeile mit Umlauten äöü und \"Anführungszeichen\"\n".repeat(1400);

        connector.create(Ticket.builder().title("Large").description(description).build(), "hub-large");
        connector.update(TICKET, Ticket.builder().title("Large").description(description + "more").build(),
                EnumSet.of(TicketField.DESCRIPTION));

        assertThat(description.length()).isGreaterThan(64 * 1024);
        List<LoggedRequest> writes = SN.findAll(postRequestedFor(urlPathEqualTo(INCIDENTS)));
        writes.addAll(SN.findAll(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))));
        assertThat(writes).hasSize(2).allSatisfy(r -> {
            assertThat(r.getProtocol()).isEqualTo("HTTP/1.1");
            assertThat(r.header("Content-Length").firstValue()).isEqualTo(String.valueOf(r.getBody().length));
            assertThat(r.containsHeader("Transfer-Encoding")).isFalse();
            assertThat(r.containsHeader("Upgrade")).isFalse();
        });
        assertThat(writes.get(0).getBodyAsString()).contains("hub-large");
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"description\":" + org.itsmhub.plugin.support.json.JsonCodec.write(description + "more") + "}")));
    }

    @Test
    void aHangingInstanceEndsReadsAndWritesWithARetriableErrorAtTheReadTimeout() {
        connector.close();
        connector = connect(Map.of("timeouts.read", "1s"));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200, "{}").withFixedDelay(10_000)));
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201, "{}").withFixedDelay(10_000)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> connector.fetch(TICKET)).isInstanceOf(RetriableException.class)
                .hasMessageFindingMatch("timeout|timed out");
        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "hub-slow"))
                .isInstanceOf(RetriableException.class).hasMessageContaining("create incident record");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("two calls ended by timeouts.read, not by the 10 s answers").isLessThan(12_000);
        SN.verify(1, postRequestedFor(urlPathEqualTo(INCIDENTS)));
    }

    @Test
    void aWriteThroughCamelServiceNowEndsAtTheCallDeadline() {
        connector.close();
        connector = connect(Map.of("timeouts.read", "20s", "timeouts.call", "1s"));
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201, "{}").withFixedDelay(10_000)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "hub-slow"))
                .isInstanceOf(RetriableException.class).hasMessageContaining("timeouts.call");

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
    }

    @Test
    void aTicketCreatedAlreadyResolvedCarriesItsStateAndCloseFieldsInTheCreateItself() {
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));
        Ticket ticket = Ticket.builder().title("Printer jammed").status(TicketStatus.RESOLVED).priority(Priority.P4)
                .build();

        connector.create(ticket, "hub-resolved-1");

        assertThat(connector.statusesOnCreate()).contains(TicketStatus.RESOLVED, TicketStatus.PENDING,
                TicketStatus.NEW);
        SN.verify(1, postRequestedFor(urlPathEqualTo(INCIDENTS)).withRequestBody(equalToJson("""
                {"short_description":"Printer jammed","impact":"3","urgency":"3","correlation_id":"hub-resolved-1",
                 "correlation_display":"ITSM Hub","state":"6","close_code":"Solved (Permanently)",
                 "close_notes":"Resolved through ITSM Hub."}""")));
        SN.verify(0, patchRequestedFor(urlPathMatching(INCIDENTS + "/.*")));
    }

    @Test
    void explicitImpactAndUrgencyWinOverThePriorityTable() {
        connector.close();
        connector = connect(Map.of("priority.write.map", Map.of("P1", "1,1")));
        SN.stubFor(post(urlPathEqualTo(INCIDENTS)).willReturn(json(201,
                VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))));

        connector.create(Ticket.builder().title("a").priority(Priority.P1).build(), "c-1");
        connector.create(Ticket.builder().title("b").priority(Priority.P1).impact(Level.LOW).urgency(Level.HIGH).build(),
                "c-2");

        SN.verify(postRequestedFor(urlPathEqualTo(INCIDENTS)).withRequestBody(equalToJson(
                "{\"short_description\":\"a\",\"impact\":\"1\",\"urgency\":\"1\",\"correlation_id\":\"c-1\","
                        + "\"correlation_display\":\"ITSM Hub\"}")));
        SN.verify(postRequestedFor(urlPathEqualTo(INCIDENTS)).withRequestBody(equalToJson(
                "{\"short_description\":\"b\",\"impact\":\"3\",\"urgency\":\"1\",\"correlation_id\":\"c-2\","
                        + "\"correlation_display\":\"ITSM Hub\"}")));
    }

    @Test
    void updatesOnlyTheGivenFieldsWithPatch() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        Ticket ticket = Ticket.builder().title("New title").description("ignored").priority(Priority.P4).build();

        connector.update(TICKET, ticket, EnumSet.of(TicketField.TITLE, TicketField.PRIORITY));

        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))
                .withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("{\"short_description\":\"New title\",\"impact\":\"3\",\"urgency\":\"3\"}")));
    }

    @Test
    void resolvingWritesTheStateCloseCodeAndTheNote() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));

        connector.changeStatus(TICKET, TicketStatus.RESOLVED, "Replaced the toner");
        connector.changeStatus(TICKET, TicketStatus.CLOSED, null);
        connector.changeStatus(TICKET, TicketStatus.PENDING, null);

        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"state\":\"6\",\"close_code\":\"Solved (Permanently)\",\"close_notes\":\"Replaced the toner\"}")));
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"state\":\"7\",\"close_code\":\"Solved (Permanently)\",\"close_notes\":\"Resolved through ITSM Hub.\"}")));
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"state\":\"3\"}")));
    }

    @Test
    void aResolvedIncidentsCloseNotesAreReadAsItsResolutionNote() {
        String resolved = VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json")
                .replace("\"close_notes\": \"\"", "\"close_notes\": \"Toner getauscht\"")
                .replace("\"close_notes\":\"\"", "\"close_notes\":\"Toner getauscht\"");
        assertThat(resolved).contains("Toner getauscht");
        SN.stubFor(get(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200, resolved)));

        Ticket t = connector.fetch(TICKET).orElseThrow();

        assertThat(t.attributes()).containsEntry(Ticket.RESOLUTION_NOTE, "Toner getauscht");
        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))).get(0);
        assertThat(r.queryParameter("sysparm_fields").firstValue().split(",")).contains("close_notes");
    }

    @Test
    void theOtherSystemsResolutionNoteBecomesTheCloseNotesInTheSameWrite() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));

        connector.changeStatus(TICKET, TicketStatus.RESOLVED, "Synced by ITSM Hub", "Toner getauscht");

        SN.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)).withRequestBody(equalToJson(
                "{\"state\":\"6\",\"close_code\":\"Solved (Permanently)\",\"close_notes\":\"Toner getauscht\"}")));
    }

    @Test
    void theVendorStatusOfAStatusIsTheStateCodeWritten() {
        assertThat(connector.vendorStatusFor(TicketStatus.RESOLVED)).contains("6");
        assertThat(connector.vendorStatusFor(TicketStatus.PENDING)).contains("3");
    }

    @Test
    void aPublicCommentGoesToCommentsAndAnInternalOneToWorkNotes() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        SN.stubFor(get(urlPathEqualTo(JOURNAL)).withQueryParam("sysparm_query", equalTo("element_id=" + TICKET
                + "^element=comments^ORDERBYDESCsys_created_on")).willReturn(json(200, """
                {"result":[{"sys_id":"%s","element_id":"%s","element":"comments",
                  "value":"Alice Smith wrote:\\n\\nWe are on it","sys_created_on":"2026-01-10 00:00:00",
                  "sys_created_by":"itsm.hub"}]}""".formatted(sysId(70), TICKET))));
        SN.stubFor(get(urlPathEqualTo(JOURNAL)).withQueryParam("sysparm_query", equalTo("element_id=" + TICKET
                + "^element=work_notes^ORDERBYDESCsys_created_on")).willReturn(json(200, """
                {"result":[{"sys_id":"%s","element_id":"%s","element":"work_notes",
                  "value":"internal only","sys_created_on":"2026-01-10 00:00:00","sys_created_by":"itsm.hub"}]}"""
                .formatted(sysId(71), TICKET))));

        ExternalRef pub = connector.addComment(TICKET, new Comment(null, Person.named("Alice Smith"), "We are on it",
                NOW, Visibility.PUBLIC));
        ExternalRef internal = connector.addComment(TICKET, new Comment(null, null, "internal only", NOW,
                Visibility.INTERNAL));

        assertThat(pub.id()).isEqualTo(sysId(70));
        assertThat(internal.id()).isEqualTo(sysId(71));
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))
                .withRequestBody(equalToJson("{\"comments\":\"Alice Smith wrote:\\n\\nWe are on it\"}")));
        SN.verify(patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET))
                .withRequestBody(equalToJson("{\"work_notes\":\"internal only\"}")));
    }

    @Test
    void aCommentIsNotReportedAsFailedWhenItsJournalEntryCannotBeRead() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(200,
                VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json"))));
        SN.stubFor(get(urlPathEqualTo(JOURNAL)).willReturn(json(403, resource("error_403_acl.json"))));

        ExternalRef ref = connector.addComment(TICKET, new Comment(null, null, "note", NOW, Visibility.INTERNAL));

        assertThat(ref.id()).isEqualTo(TICKET + "/work_notes/2019-09-26T23:01:47");
        SN.verify(1, patchRequestedFor(urlPathEqualTo(INCIDENTS + "/" + TICKET)));
    }

    @Test
    void readsCommentsAndWorkNotesWithTheirVisibilityAndAuthor() {
        SN.stubFor(get(urlPathEqualTo(JOURNAL)).willReturn(json(200, resource("journal_entries.json"))));

        List<Comment> comments = connector.comments(TICKET);

        assertThat(comments).hasSize(2);
        assertThat(comments.get(0).visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(comments.get(0).body()).isEqualTo("We are looking into it.");
        assertThat(comments.get(0).author().id()).isEqualTo("beth.anglin");
        assertThat(comments.get(0).createdAt()).isEqualTo(Instant.parse("2019-09-27T08:15:02Z"));
        assertThat(comments.get(0).ref().id()).isEqualTo("1c741bd70b2322007518478d83673af3");
        assertThat(comments.get(1).visibility()).isEqualTo(Visibility.INTERNAL);
        assertThat(comments.get(1).isInternal()).isTrue();
        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(JOURNAL))).get(0);
        assertThat(r.queryParameter("sysparm_query").firstValue()).isEqualTo("element_id=" + TICKET
                + "^element=comments^ORelement=work_notes^ORDERBYsys_created_on^ORDERBYsys_id");
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
    }

    @Test
    void findsATicketByItsCorrelationId() {
        String record = VendorTestData.read("servicenow", "itential_GET_table_incident_by_sys_id.json")
                .replace("\"correlation_id\": \"\"", "\"correlation_id\": \"hub-7c1e2f\"");
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200,
                "{\"result\":[" + record.substring(record.indexOf('{', 1), record.lastIndexOf('}')) + "]}")));

        Optional<Ticket> found = connector.findByCorrelationId("hub-7c1e2f");

        assertThat(found).get().satisfies(t -> {
            assertThat(t.ref().id()).isEqualTo(TICKET);
            assertThat(t.correlationId()).isEqualTo("hub-7c1e2f");
        });
        LoggedRequest r = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))).get(0);
        assertThat(r.queryParameter("sysparm_query").firstValue())
                .isEqualTo("correlation_id=hub-7c1e2f^ORDERBYsys_created_on");
        assertThat(r.queryParameter("sysparm_limit").firstValue()).isEqualTo("1");
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
    }

    /** An incident carrying a correlation id, created at {@code created}. */
    private static String twin(int n, String correlationId, String created) {
        return incident(n, Instant.parse("2026-01-09T10:00:00Z"))
                .replace("\"correlation_id\":\"\"", "\"correlation_id\":\"" + correlationId + "\"")
                .replace("\"sys_created_on\":\"2026-01-01 08:00:00\"", "\"sys_created_on\":\"" + created + "\"");
    }

    @Test
    void aHundredTwinsAreLookedUpWithOneInQueryAndAbsentIdsStayAbsent() {
        List<String> ids = new java.util.ArrayList<>();
        List<String> records = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add("ih:desk:L:" + (1000 + i));
            if (i % 2 == 0) {
                records.add(twin(i, ids.get(i), "2026-01-02 08:00:00"));
            }
        }
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, ServiceNowStubs.result(records))));

        Map<String, Ticket> found = connector.findByCorrelationIds(ids);

        assertThat(found).hasSize(50);
        assertThat(found.get("ih:desk:L:1000").ref().id()).isEqualTo(sysId(0));
        assertThat(found.get("ih:desk:L:1098").ref().id()).isEqualTo(sysId(98));
        assertThat(found).doesNotContainKey("ih:desk:L:1001");
        List<LoggedRequest> sent = SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS)));
        assertThat(sent).hasSize(1);
        LoggedRequest r = sent.get(0);
        assertThat(r.queryParameter("sysparm_query").firstValue())
                .isEqualTo("correlation_idIN" + String.join(",", ids) + "^ORDERBYsys_created_on^ORDERBYsys_id");
        assertThat(r.queryParameter("sysparm_fields").firstValue()).contains("correlation_id", "sys_created_on")
                .doesNotContain("*");
        assertThat(r.queryParameter("sysparm_limit").firstValue()).isEqualTo("100");
        assertThat(r.queryParameter("sysparm_offset").firstValue()).isEqualTo("0");
        assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
    }

    @Test
    void theOldestOfTwoIncidentsWithOneCorrelationIdIsTheTwinEvenOnTheNextPage() {
        // ServiceNow answers in sys_created_on order: the duplicate made by a retried create comes later
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).withQueryParam("sysparm_offset", equalTo("0"))
                .willReturn(json(200, ServiceNowStubs.result(List.of(twin(1, "ih:desk:L:7", "2026-01-02 08:00:00"))))
                        .withHeader("Link", ServiceNowStubs.link(SN.baseUrl(), 100, 0, true))));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).withQueryParam("sysparm_offset", equalTo("100"))
                .willReturn(json(200, ServiceNowStubs.result(List.of(twin(2, "ih:desk:L:7", "2026-01-02 08:01:00"),
                        twin(3, "ih:desk:L:8", "2026-01-02 08:02:00"))))));

        Map<String, Ticket> found = connector.findByCorrelationIds(List.of("ih:desk:L:7", "ih:desk:L:8"));

        assertThat(found).containsOnlyKeys("ih:desk:L:7", "ih:desk:L:8");
        assertThat(found.get("ih:desk:L:7").ref().id()).isEqualTo(sysId(1));
        assertThat(found.get("ih:desk:L:8").ref().id()).isEqualTo(sysId(3));
        assertThat(SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))))
                .extracting(r -> r.queryParameter("sysparm_offset").firstValue()).containsExactly("0", "100");
    }

    @Test
    void aCorrelationIdWithACommaIsLookedUpOnItsOwnSinceInCannotQuoteIt() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[]}")));

        Map<String, Ticket> found = connector.findByCorrelationIds(List.of("ih:desk:L:1", "ih:desk:L:a,b", "ih:desk:L:2"));

        assertThat(found).isEmpty();
        assertThat(SN.findAll(getRequestedFor(urlPathEqualTo(INCIDENTS))))
                .extracting(r -> r.queryParameter("sysparm_query").firstValue())
                .containsExactlyInAnyOrder("correlation_id=ih:desk:L:a,b^ORDERBYsys_created_on",
                        "correlation_idINih:desk:L:1,ih:desk:L:2^ORDERBYsys_created_on^ORDERBYsys_id");
    }

    @Test
    void aBatchHoldingACorrelationIdThatCouldChangeTheQueryIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> connector.findByCorrelationIds(List.of("ih:desk:L:1", "x^NQactive=true")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCorrelationIdThatCouldChangeTheQueryIsRefused() {
        assertThatThrownBy(() -> connector.findByCorrelationId("x^NQactive=true"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aWriteWithWrongCredentialsIsAnAuthenticationFailure() {
        // wrong credentials fail every call, the connector's follow-up probe included
        SN.stubFor(any(urlPathEqualTo(INCIDENTS)).willReturn(json(401, resource("error_401_not_authenticated.json"))));

        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "c-9"))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP 401").hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aRejectedWriteIsADataError() {
        SN.stubFor(patch(urlPathEqualTo(INCIDENTS + "/" + TICKET)).willReturn(json(400,
                "{\"error\":{\"message\":\"Invalid state\",\"detail\":\"Data Policy Exception\"},\"status\":\"failure\"}")));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[]}")));

        assertThatThrownBy(() -> connector.changeStatus(TICKET, TicketStatus.RESOLVED, null))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("update incident record");
    }

    @Test
    void aServerErrorOnAWriteIsRetriable() {
        SN.stubFor(any(urlPathEqualTo(INCIDENTS)).willReturn(json(503, resource("error_500.json"))));

        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "c-9"))
                .isInstanceOf(RetriableException.class).hasMessageContaining("HTTP 503");
    }

    @Test
    void writesWaitForTheRateLimitAReadRanInto() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(429, resource("error_429_rate_limited.json"))
                .withHeader("Retry-After", "30")));
        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(RetriableException.class);

        assertThatThrownBy(() -> connector.create(Ticket.builder().title("t").build(), "c-9"))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
        SN.verify(0, postRequestedFor(urlPathEqualTo(INCIDENTS)));
    }

    // ---- OAuth

    @Test
    void oauthFetchesATokenWithThePasswordGrantAndSendsItAsBearer() {
        connector.close();
        connector = connect(Map.of("oauth.client.id", "3e57bb02663102004d010ee8f561307a",
                "oauth.client.secret", "client-s3cret"));
        SN.stubFor(post(urlPathEqualTo("/oauth_token.do")).willReturn(json(200, resource("oauth_token.json"))));
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[]}")));

        connector.readChanges(new ReadRequest(null, Map.of(), 10));
        connector.readChanges(new ReadRequest(null, Map.of(), 10));

        SN.verify(1, postRequestedFor(urlPathEqualTo("/oauth_token.do"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "application/x-www-form-urlencoded"))
                .withFormParam("grant_type", equalTo("password"))
                .withFormParam("client_id", equalTo("3e57bb02663102004d010ee8f561307a"))
                .withFormParam("client_secret", equalTo("client-s3cret"))
                .withFormParam("username", equalTo(USER))
                .withFormParam("password", equalTo(PASSWORD))
                .withHeader("Authorization", absent()));
        SN.verify(2, getRequestedFor(urlPathEqualTo(INCIDENTS)).withHeader("Authorization",
                equalTo("Bearer oauth-access-7f3a")));
        assertThat(logs.text()).doesNotContain("client-s3cret").doesNotContain("oauth-access-7f3a");
    }

    @Test
    void aRefusedOauthGrantIsAnAuthenticationFailureAgainstTheClientSecret() {
        connector.close();
        connector = connect(Map.of("oauth.client.id", "3e57bb02663102004d010ee8f561307a",
                "oauth.client.secret", "client-s3cret"));
        SN.stubFor(post(urlPathEqualTo("/oauth_token.do")).willReturn(json(401,
                "{\"error_description\":\"access_denied\",\"error\":\"server_error\"}")));

        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("oauth.client.secret");
        assertThatThrownBy(() -> connector.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class).hasMessageNotContaining("client-s3cret");
    }

    // ---- connection check

    @Test
    void checkConnectionMakesOneCheapAuthenticatedRead() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(200, "{\"result\":[{\"sys_id\":\"" + TICKET + "\"}]}")));

        assertThat(connector.checkConnection()).isEmpty();

        SN.verify(1, getRequestedFor(urlPathEqualTo(INCIDENTS)).withQueryParam("sysparm_limit", equalTo("1"))
                .withQueryParam("sysparm_fields", equalTo("sys_id")).withHeader("Authorization", equalTo(BASIC)));
    }

    @Test
    void checkConnectionBlamesThePasswordForA401AndTheUserForA403() {
        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(401, resource("error_401_not_authenticated.json"))));
        assertThat(connector.checkConnection()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("auth.password");
            assertThat(p.message()).contains("User Not Authenticated").doesNotContain(PASSWORD);
        });

        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(403, resource("error_403_acl.json"))));
        assertThat(connector.checkConnection()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("auth.user");
            assertThat(p.message()).contains("itil");
        });

        SN.stubFor(get(urlPathEqualTo(INCIDENTS)).willReturn(json(400, resource("error_400_invalid_table.json"))));
        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("table");
    }

    @Test
    void checkConnectionBlamesTheInstanceUrlWhenNothingAnswers() {
        connector.close();
        Map<String, Object> raw = Map.of("instance.url", "http://127.0.0.1:1", "auth.user", USER, "auth.password", PASSWORD);
        connector = (ServiceNowConnector) new ServiceNowConnectorFactory().create(TestConnectorContext.of(
                new ServiceNowConnectorFactory(), raw, Clock.systemUTC()));

        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("instance.url");
    }

    // ---- webhook

    private static WebhookRequest webhook(Map<String, String> headers, String body) {
        Map<String, List<String>> h = new HashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new WebhookRequest("POST", h, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    static final String WEBHOOK_BODY = "{\"sys_id\":\"" + TICKET + "\",\"number\":\"INC0010019\",\"table\":\"incident\","
            + "\"operation\":\"update\",\"sys_updated_on\":\"2019-09-26 23:01:47\"}";

    @Test
    void aWebhookWithTheSharedSecretBecomesAChangeHint() {
        connector.close();
        connector = connect(Map.of("webhook.secret", "hook-s3cret"));
        WebhookRequest request = webhook(Map.of("x-itsm-hub-secret", "hook-s3cret"), WEBHOOK_BODY);

        connector.verify(request);
        List<ChangeHint> hints = connector.parse(request);

        assertThat(hints).containsExactly(new ChangeHint(ChangeHint.Kind.TICKET, TICKET, "update",
                Instant.parse("2019-09-26T23:01:47Z")));
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aWebhookWithAWrongOrMissingSecretIsRefused() {
        connector.close();
        connector = connect(Map.of("webhook.secret", "hook-s3cret"));

        assertThatThrownBy(() -> connector.verify(webhook(Map.of("X-ITSM-Hub-Secret", "hook-s3creT"), WEBHOOK_BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageNotContaining("hook-s3cret");
        assertThatThrownBy(() -> connector.verify(webhook(Map.of(), WEBHOOK_BODY)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aWebhookWithBasicAuthIsCheckedAgainstTheWebhookUser() {
        connector.close();
        connector = connect(Map.of("webhook.user", "sn-outbound", "webhook.password", "hook-pass"));
        String good = "Basic " + Base64.getEncoder().encodeToString("sn-outbound:hook-pass".getBytes(StandardCharsets.UTF_8));
        String bad = "Basic " + Base64.getEncoder().encodeToString("sn-outbound:guess".getBytes(StandardCharsets.UTF_8));

        connector.verify(webhook(Map.of("Authorization", good), WEBHOOK_BODY));
        assertThatThrownBy(() -> connector.verify(webhook(Map.of("Authorization", bad), WEBHOOK_BODY)))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> connector.verify(webhook(Map.of("Authorization", "Basic %%%"), WEBHOOK_BODY)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aWebhookIsRefusedWhenNoWebhookAuthenticationIsConfigured() {
        assertThatThrownBy(() -> connector.verify(webhook(Map.of(), WEBHOOK_BODY)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("webhook.secret");
    }

    @Test
    void aMalformedWebhookBodyIsADataError() {
        assertThatThrownBy(() -> connector.parse(webhook(Map.of(), "sys_id=" + TICKET)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("ServiceNow webhook body");
        assertThatThrownBy(() -> connector.parse(webhook(Map.of(), "{\"number\":\"INC0010019\"}")))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("sys_id");
        assertThatThrownBy(() -> connector.parse(webhook(Map.of(), "{\"sys_id\":\"x^NQactive=true\"}")))
                .isInstanceOf(DataMappingException.class);
    }

    @Test
    void aWebhookAboutAnotherTableIsIgnored() {
        assertThat(connector.parse(webhook(Map.of(), "{\"sys_id\":\"" + TICKET + "\",\"table\":\"change_request\"}")))
                .isEmpty();
    }

    @Test
    void aVendorEchoingTheBasicUserPasswordHeaderQuotesExactlyWhatTheConnectorReportedAsSent() {
        SN.stubFor(any(anyUrl()).willReturn(CredentialEcho.refusing(401)));
        TestConnectorContext context = TestConnectorContext.of(new ServiceNowConnectorFactory(), Map.of(
                "instance.url", SN.baseUrl(), "auth.user", USER, "auth.password", PASSWORD), Clock.fixed(NOW, ZoneOffset.UTC));
        ServiceNowConnector sn = (ServiceNowConnector) new ServiceNowConnectorFactory().create(context);
        try {
            Throwable error = catchThrowable(() -> sn.readChanges(new ReadRequest(null, Map.of(), 10)));

            assertThat(error).isInstanceOf(AuthenticationException.class);
            CredentialEcho.assertEchoedCredentialsWereReported(error, SN.findAll(anyRequestedFor(anyUrl())), context);
            assertThat(context.credentialsSent()).contains(BASIC);
        } finally {
            sn.close();
        }
    }
}
