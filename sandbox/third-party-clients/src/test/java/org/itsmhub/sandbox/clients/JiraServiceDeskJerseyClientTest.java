package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.glassfish.jersey.client.authentication.HttpAuthenticationFeature;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.jira.JiraSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The Jira Service Management API ({@code /rest/servicedeskapi}) of the Jira sandbox over https, driven by
 * the standard JAX-RS client (Jersey, unpatched) the way Atlassian documents it: basic auth with an API
 * token, paging by {@code start} / {@code limit} / {@code isLastPage} and the {@code _links.next} the answer
 * carries.
 *
 * <p>Atlassian's servicedeskapi OpenAPI document is not in this repository and no client generated from
 * it is on Maven Central, so, unlike the platform API ({@link JiraOpenApiClientTest}), a generic client
 * stands in.
 */
class JiraServiceDeskJerseyClientTest {

    private static final GenericType<Map<String, Object>> OBJECT = new GenericType<>() { };

    @TempDir
    Path dir;

    private HttpsSandbox<JiraSandbox> https;
    private Client client;

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
        https = HttpsSandbox.start(o -> new JiraSandbox(o, clock), SandboxOptions.defaults(), dir.resolve("tls"));
        client = client(JiraSandbox.API_TOKEN);
    }

    private Client client(String token) {
        return https.jaxRsClient(HttpAuthenticationFeature.basic(JiraSandbox.EMAIL, token));
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

    private Map<String, Object> raise(String summary) {
        try (Response r = api("/rest/servicedeskapi/request").request(MediaType.APPLICATION_JSON)
                .post(Entity.json(Map.of("serviceDeskId", "1", "requestTypeId", "25",
                        "requestFieldValues", Map.of("summary", summary, "description", "Printer on floor 2"))))) {
            assertThat(r.getStatus()).as(r.toString()).isEqualTo(201);
            return r.readEntity(OBJECT);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void findsTheServiceDeskAndItsRequestTypesByFollowingTheNextLinks() {
        Map<String, Object> desks = api("/rest/servicedeskapi/servicedesk").request(MediaType.APPLICATION_JSON)
                .get(OBJECT);
        List<Map<String, Object>> deskValues = (List<Map<String, Object>>) desks.get("values");
        assertThat(deskValues).isNotEmpty();
        String deskId = String.valueOf(deskValues.get(0).get("id"));

        List<String> names = new ArrayList<>();
        WebTarget page = api("/rest/servicedeskapi/servicedesk/" + deskId + "/requesttype").queryParam("limit", 3);
        int pages = 0;
        while (page != null) {
            Map<String, Object> answer = page.request(MediaType.APPLICATION_JSON).get(OBJECT);
            ((List<Map<String, Object>>) answer.get("values")).forEach(t -> names.add((String) t.get("name")));
            pages++;
            Map<String, Object> links = (Map<String, Object>) answer.get("_links");
            page = Boolean.TRUE.equals(answer.get("isLastPage")) ? null : client.target((String) links.get("next"));
        }

        assertThat(pages).isEqualTo(2);
        assertThat(names).hasSize(4).doesNotHaveDuplicates();
        assertThat(journal()).extracting(e -> e.getRequest().getAbsoluteUrl()).allMatch(u -> u.startsWith("https://"));
        assertThat(journal().get(2).getRequest().queryParameter("start").firstValue()).isEqualTo("3");
    }

    @SuppressWarnings("unchecked")
    @Test
    void raisesARequestReadsItAndCommentsPubliclyAndInternallyWithTheFiltersAtlassianDocuments() {
        Map<String, Object> created = raise("Printer jams");
        String key = (String) created.get("issueKey");
        assertThat(key).isNotBlank();

        for (boolean isPublic : new boolean[] {true, false}) {
            try (Response r = api("/rest/servicedeskapi/request/" + key + "/comment")
                    .request(MediaType.APPLICATION_JSON)
                    .post(Entity.json(Map.of("body", isPublic ? "We are on it" : "Needs a new fuser", "public", isPublic)))) {
                assertThat(r.getStatus()).isEqualTo(201);
            }
        }
        Map<String, Object> request = api("/rest/servicedeskapi/request/" + key).request(MediaType.APPLICATION_JSON)
                .get(OBJECT);
        Map<String, Object> publicOnly = api("/rest/servicedeskapi/request/" + key + "/comment")
                .queryParam("internal", false).request(MediaType.APPLICATION_JSON).get(OBJECT);
        Map<String, Object> internalOnly = api("/rest/servicedeskapi/request/" + key + "/comment")
                .queryParam("public", false).request(MediaType.APPLICATION_JSON).get(OBJECT);

        assertThat(request).containsEntry("issueKey", key).containsEntry("requestTypeId", "25");
        assertThat((Map<String, Object>) request.get("currentStatus")).containsKey("status");
        assertThat((List<Map<String, Object>>) publicOnly.get("values")).extracting(c -> c.get("body"))
                .containsExactly("We are on it");
        assertThat((List<Map<String, Object>>) internalOnly.get("values")).extracting(c -> c.get("body"))
                .containsExactly("Needs a new fuser");
        assertThat(journal()).filteredOn(e -> e.getRequest().getMethod().getName().equals("POST"))
                .extracting(e -> e.getRequest().getUrl())
                .containsExactly("/rest/servicedeskapi/request", "/rest/servicedeskapi/request/" + key + "/comment",
                        "/rest/servicedeskapi/request/" + key + "/comment");
    }

    @SuppressWarnings("unchecked")
    @Test
    void pagesThroughARequestsCommentsWithStartAndLimit() {
        String key = (String) raise("Many comments").get("issueKey");
        for (int i = 1; i <= 5; i++) {
            try (Response r = api("/rest/servicedeskapi/request/" + key + "/comment").request(MediaType.APPLICATION_JSON)
                    .post(Entity.json(Map.of("body", "comment " + i, "public", true)))) {
                assertThat(r.getStatus()).isEqualTo(201);
            }
        }

        List<Object> bodies = new ArrayList<>();
        int start = 0;
        boolean last = false;
        while (!last) {
            Map<String, Object> page = api("/rest/servicedeskapi/request/" + key + "/comment").queryParam("start", start)
                    .queryParam("limit", 2).request(MediaType.APPLICATION_JSON).get(OBJECT);
            List<Map<String, Object>> values = (List<Map<String, Object>>) page.get("values");
            values.forEach(c -> bodies.add(c.get("body")));
            assertThat(page).containsEntry("start", start).containsEntry("limit", 2).containsEntry("size", values.size());
            last = Boolean.TRUE.equals(page.get("isLastPage"));
            start += values.size();
        }

        assertThat(bodies).containsExactly("comment 1", "comment 2", "comment 3", "comment 4", "comment 5");
    }

    @Test
    void aWrongApiTokenIsRefusedWith401BeforeAnythingIsRead() {
        Client wrong = client("not-the-token");
        try (Response r = wrong.target(https.baseUrl()).path("/rest/servicedeskapi/servicedesk")
                .request(MediaType.APPLICATION_JSON).get()) {
            assertThat(r.getStatus()).isEqualTo(401);
        } finally {
            wrong.close();
        }
        assertThat(journal()).singleElement().satisfies(e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo(401);
            assertThat(e.getRequest().getHeader("Authorization")).startsWith("Basic ");
        });
    }
}
