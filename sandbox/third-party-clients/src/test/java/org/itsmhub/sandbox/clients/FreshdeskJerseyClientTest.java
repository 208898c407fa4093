package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.glassfish.jersey.client.authentication.HttpAuthenticationFeature;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.freshdesk.FreshdeskSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The Freshdesk sandbox over https, driven by the standard JAX-RS client (Jersey, unpatched) the way an
 * outside developer would call Freshdesk's API v2: basic auth with the API key, JSON through Jackson,
 * paging by following the {@code link} header that JAX-RS itself parses.
 *
 * <p>No maintained Java client for Freshdesk is published on Maven Central (Freshworks ships a
 * JavaScript SDK only; the Java projects found are applications or unpublished), so a generic,
 * standard one stands in.
 */
class FreshdeskJerseyClientTest {

    private static final String KEY = FreshdeskSandbox.DEFAULT_API_KEY;
    private static final GenericType<List<Map<String, Object>>> LIST = new GenericType<>() { };
    private static final GenericType<Map<String, Object>> OBJECT = new GenericType<>() { };

    @TempDir
    Path dir;

    private HttpsSandbox<FreshdeskSandbox> https;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        Path seed = dir.resolve("tickets.json");
        StringBuilder tickets = new StringBuilder("[");
        for (int i = 1; i <= 5; i++) {
            tickets.append(i == 1 ? "" : ",").append("""
                    {"id":%d,"subject":"Seeded %d","status":2,"priority":1,"requester_id":6000000001,"tags":[],
                     "custom_fields":{"cf_itsm_hub_id":null},"created_at":"2026-12-01T10:00:0%dZ",
                     "updated_at":"2026-12-01T10:00:0%dZ"}""".formatted(i, i, i, i));
        }
        Files.writeString(seed, tickets.append("]").toString());
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
        https = HttpsSandbox.start(o -> new FreshdeskSandbox(o, clock, KEY),
                SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, seed))), dir.resolve("tls"));
        client = client(KEY);
    }

    private Client client(String apiKey) {
        return https.jaxRsClient(HttpAuthenticationFeature.basic(apiKey, "X"));
    }

    @AfterEach
    void stop() {
        if (https != null) {
            https.close();
        }
    }

    private WebTarget api(String path) {
        return client.target(https.baseUrl()).path(path);
    }

    private List<ServeEvent> journal() {
        return https.journal();
    }

    @Test
    void listsEveryTicketByFollowingTheLinkHeaderPageByPage() {
        List<String> subjects = new ArrayList<>();
        WebTarget page = api("/api/v2/tickets").queryParam("updated_since", "2026-01-01T00:00:00Z")
                .queryParam("order_by", "updated_at").queryParam("order_type", "asc").queryParam("per_page", 2);
        int pages = 0;
        while (page != null) {
            try (Response r = page.request(MediaType.APPLICATION_JSON).get()) {
                assertThat(r.getStatus()).isEqualTo(200);
                r.readEntity(LIST).forEach(t -> subjects.add((String) t.get("subject")));
                Link next = r.getLink("next");
                page = next == null ? null : client.target(next);
                pages++;
            }
        }

        assertThat(subjects).containsExactly("Seeded 1", "Seeded 2", "Seeded 3", "Seeded 4", "Seeded 5");
        assertThat(pages).isEqualTo(3);
        assertThat(journal()).extracting(e -> e.getRequest().queryParameter("page").isPresent()
                        ? e.getRequest().queryParameter("page").firstValue() : "1")
                .containsExactly("1", "2", "3");
        assertThat(journal()).allSatisfy(e -> {
            assertThat(e.getRequest().getAbsoluteUrl()).startsWith("https://127.0.0.1:");
            assertThat(e.getRequest().queryParameter("per_page").firstValue()).isEqualTo("2");
        });
    }

    @Test
    void aPageSizeOverOneHundredGetsFreshdesks400() {
        try (Response r = api("/api/v2/tickets").queryParam("per_page", 101).request().get()) {
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(r.readEntity(OBJECT)).isEqualTo(Map.of("description", "Validation failed", "errors", List.of(
                    Map.of("field", "per_page", "message", "It should be a Positive Integer less than or equal to 100",
                            "code", "invalid_value"))));
        }
    }

    @Test
    void createsReadsUpdatesRepliesNotesResolvesAndClosesATicket() {
        Map<String, Object> created;
        try (Response r = api("/api/v2/tickets").request(MediaType.APPLICATION_JSON).post(Entity.json(Map.of(
                "email", "anna@contoso.example", "subject", "VPN drops every hour", "description", "<p>Since Monday</p>",
                "status", 2, "priority", 2, "custom_fields", Map.of("cf_itsm_hub_id", "hub-42"))))) {
            assertThat(r.getStatus()).isEqualTo(201);
            created = r.readEntity(OBJECT);
        }
        long id = ((Number) created.get("id")).longValue();
        String ticket = "/api/v2/tickets/" + id;

        Map<String, Object> read = api(ticket).queryParam("include", "requester").request().get(OBJECT);
        Map<String, Object> updated = api(ticket).request().put(Entity.json(Map.of("priority", 3)), OBJECT);
        Map<String, Object> reply = api(ticket + "/reply").request().post(Entity.json(Map.of("body", "<p>On it</p>")), OBJECT);
        Map<String, Object> note = api(ticket + "/notes").request()
                .post(Entity.json(Map.of("body", "checked the tunnel logs", "private", true)), OBJECT);
        Map<String, Object> resolved = api(ticket).request().put(Entity.json(Map.of("status", 4)), OBJECT);
        Map<String, Object> closed = api(ticket).request().put(Entity.json(Map.of("status", 5)), OBJECT);
        List<Map<String, Object>> conversations = api(ticket + "/conversations").request().get(LIST);

        assertThat(read).containsEntry("subject", "VPN drops every hour").containsEntry("description_text", "Since Monday")
                .containsEntry("custom_fields", Map.of("cf_itsm_hub_id", "hub-42"));
        assertThat(read.get("requester")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("email", "anna@contoso.example");
        assertThat(updated).containsEntry("priority", 3).containsEntry("priority_name", "High");
        assertThat(reply).containsEntry("private", false).containsEntry("body_text", "On it");
        assertThat(note).containsEntry("private", true).containsEntry("source", 2);
        assertThat(resolved).containsEntry("status", 4);
        assertThat(closed).containsEntry("status", 5);
        assertThat(conversations).extracting(c -> c.get("body_text")).containsExactly("On it", "checked the tunnel logs");
        assertThat(journal()).extracting(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl())
                .containsExactly("POST /api/v2/tickets", "GET " + ticket + "?include=requester", "PUT " + ticket,
                        "POST " + ticket + "/reply", "POST " + ticket + "/notes", "PUT " + ticket, "PUT " + ticket,
                        "GET " + ticket + "/conversations");
        assertThat(journal().get(0).getRequest().getBodyAsString()).contains("\"cf_itsm_hub_id\":\"hub-42\"");
        assertThat(journal()).allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).startsWith("Basic "));
    }

    @Test
    void aCustomFieldTheAccountLacksIsRefusedAsFreshdeskRefusesIt() {
        try (Response r = api("/api/v2/tickets").request().post(Entity.json(Map.of("email", "a@contoso.example",
                "subject", "x", "custom_fields", Map.of("cf_ticket_ref", "hub-1"))))) {
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(r.readEntity(OBJECT)).isEqualTo(Map.of("description", "Validation failed", "errors", List.of(
                    Map.of("field", "cf_ticket_ref", "message", "Unexpected/invalid field in request",
                            "code", "invalid_field"))));
        }
        List<Map<String, Object>> fields = api("/api/v2/admin/ticket_fields").request().get(LIST);
        assertThat(fields).filteredOn(f -> Boolean.FALSE.equals(f.get("default"))).extracting(f -> f.get("name"))
                .containsExactly("cf_itsm_hub_id");
    }

    @Test
    void aRefusedApiKeyGetsFreshdesks401Body() {
        try (Client wrong = client("not-the-key");
                Response r = wrong.target(https.baseUrl()).path("/api/v2/tickets").request().get()) {
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(r.readEntity(OBJECT)).isEqualTo(Map.of("code", "invalid_credentials",
                    "message", "You have to be logged in to perform this action."));
        }
        assertThat(journal()).singleElement().satisfies(e -> assertThat(e.getResponse().getStatus()).isEqualTo(401));
    }
}
