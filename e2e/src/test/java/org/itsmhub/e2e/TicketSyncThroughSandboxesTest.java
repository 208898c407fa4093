package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.freshdesk;
import static org.itsmhub.e2e.SandboxConfig.jira;
import static org.itsmhub.e2e.SandboxConfig.servicenow;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The ticket-sync flow as an admin runs it ({@code itsm-hub run --once}): the real plugin zips,
 * Freshdesk and ServiceNow sandboxes over HTTP, the H2 store.
 */
class TicketSyncThroughSandboxesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Jira sandbox's service desk and a request type; labels carry the correlation id. */
    private static final String[] JIRA_DESK = {"project: SD", "service.desk.id: \"1\"", "request.type.id: \"25\"",
        "correlation.mode: label"};

    @TempDir
    Path home;

    private final List<VendorSandbox> sandboxes = new ArrayList<>();

    @AfterEach
    void stop() {
        sandboxes.forEach(VendorSandbox::close);
    }

    private VendorSandbox start(String vendor, List<SandboxOptions.Seed> seeds) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults().withSeeds(seeds));
        sandbox.start();
        sandboxes.add(sandbox);
        return sandbox;
    }

    @Test
    void freshdeskTicketsGetServiceNowTwinsOnceAndTheNextCycleWritesNothing() throws Exception {
        Path seed = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");
        VendorSandbox freshdesk = start("freshdesk", List.of(new SandboxOptions.Seed(null, seed)));
        VendorSandbox servicenow = start("servicenow", List.of());
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow) + freshdesk("acme-freshdesk", freshdesk,
                        "initial.since: \"2000-01-01T00:00:00Z\"", "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));
        int seeded = JSON.readTree(seed.toFile()).size();

        E2eHub.Run first = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        JsonNode incidents = incidents(servicenow);
        assertThat(incidents).hasSize(seeded);
        List<String> correlations = new ArrayList<>();
        incidents.forEach(i -> correlations.add(i.get("correlation_id").asText()));
        assertThat(correlations).allMatch(c -> c.startsWith("ih:acme-tickets:R:"));
        assertThat(first.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+" + seeded);

        freshdesk.wiremock().resetRequests();
        servicenow.wiremock().resetRequests();
        E2eHub.Run second = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(writes(freshdesk)).as("writes to Freshdesk in the quiet cycle").isEmpty();
        assertThat(writes(servicenow)).as("writes to ServiceNow in the quiet cycle").isEmpty();
        assertThat(incidents(servicenow)).hasSize(seeded);
    }

    /**
     * The issue's scenario: a Freshdesk page holding poison tickets among good ones. Every good ticket
     * gets its twin in the first cycle; each poison one becomes one dead letter; the next cycle, which
     * reads the same page again, adds no letter and is not PARTIAL.
     */
    @Test
    void aFreshdeskPageWithPoisonTicketsSyncsTheOthersAndDeadLettersEachPoisonTicketOnce() throws Exception {
        Path seed = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");
        VendorSandbox freshdesk = start("freshdesk", List.of(new SandboxOptions.Seed(null, seed)));
        VendorSandbox servicenow = start("servicenow", List.of());
        com.fasterxml.jackson.databind.node.ArrayNode page =
                (com.fasterxml.jackson.databind.node.ArrayNode) JSON.readTree(seed.toFile());
        int good = page.size();
        com.fasterxml.jackson.databind.node.ObjectNode real = (com.fasterxml.jackson.databind.node.ObjectNode) page.get(0);
        page.add(real.deepCopy().put("id", 9001).without("updated_at"));
        page.add(real.deepCopy().put("id", "T-9002"));
        page.add(real.deepCopy().put("id", 9003).put("updated_at", "yesterday"));
        page.addNull();
        freshdesk.wiremock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v2/tickets")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(page.toString())));
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow) + freshdesk("acme-freshdesk", freshdesk,
                        "initial.since: \"2000-01-01T00:00:00Z\"", "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));

        E2eHub.Run first = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(first.out()).as(first.out() + first.err()).contains("PARTIAL");
        assertThat(incidents(servicenow)).hasSize(good);
        E2eHub.Run letters = hub.cli("dlq", "list", "--config", config.toString());
        assertThat(letters.out()).as(letters.out()).contains("4 dead letter(s)").contains("ticket:9001")
                .contains("ticket:T-9002").contains("ticket:9003").contains("ticket:unidentified");

        E2eHub.Run second = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).doesNotContain("PARTIAL");
        assertThat(incidents(servicenow)).hasSize(good);
        E2eHub.Run after = hub.cli("dlq", "list", "--config", config.toString());
        assertThat(after.out()).as(after.out()).contains("4 dead letter(s)")
                .doesNotContainPattern("\\s[2-9]\\s+\\d{4}-\\d{2}-\\d{2}T"); // one attempt each
    }

    @Test
    void changesCommentsAndStatusFlowBothWaysBetweenFreshdeskAndServiceNow() throws Exception {
        VendorSandbox freshdesk = start("freshdesk", List.of());
        VendorSandbox servicenow = start("servicenow", List.of());
        VendorApi fd = new VendorApi(freshdesk.baseUrl(), "sandbox-api-key", "X");
        VendorApi snow = new VendorApi(servicenow.baseUrl(), "admin", "sandbox-password");
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow) + freshdesk("acme-freshdesk", freshdesk,
                        "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));
        // a customer raises a ticket in Freshdesk; the MSP's desk raises an incident in ServiceNow
        long fdId = fd.post("/api/v2/tickets", """
                {"subject":"Outlook keeps crashing","description":"Since this morning","email":"anna@acme.example",
                 "priority":3,"status":2}""").get("id").asLong();
        String snowId = snow.post("/api/now/table/incident", """
                {"short_description":"Backup server disk 90% full","description":"Seen in monitoring","impact":"2","urgency":"2"}""")
                .get("result").get("sys_id").asText();

        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();

        JsonNode fdTwinOfSnow = findFreshdesk(fd, "Backup server disk 90% full");
        JsonNode snowTwinOfFd = findIncident(snow, "ih:acme-tickets:R:" + fdId);
        assertThat(fdTwinOfSnow).isNotNull();
        assertThat(snowTwinOfFd.get("short_description").asText()).isEqualTo("Outlook keeps crashing");
        String snowTwinId = snowTwinOfFd.get("sys_id").asText();

        // the customer replies publicly, the desk writes an internal work note, the title changes
        fd.post("/api/v2/tickets/" + fdId + "/reply", "{\"body\":\"It crashes when I open the calendar\"}");
        snow.patch("/api/now/table/incident/" + snowTwinId, "{\"work_notes\":\"Known issue KB0012, patch planned\"}");
        snow.patch("/api/now/table/incident/" + snowId, "{\"short_description\":\"Backup server disk 95% full\"}");
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();

        JsonNode journal = snow.get("/api/now/table/sys_journal_field?sysparm_query=element_id%3D" + snowTwinId);
        assertThat(journal.get("result").toString()).contains("It crashes when I open the calendar");
        JsonNode conversations = fd.get("/api/v2/tickets/" + fdId + "/conversations");
        assertThat(conversations).anySatisfy(c -> {
            assertThat(c.get("body_text").asText(c.get("body").asText())).contains("Known issue KB0012");
            assertThat(c.get("private").asBoolean()).as("a work note stays private").isTrue();
        });
        assertThat(fd.get("/api/v2/tickets/" + fdTwinOfSnow.get("id").asLong()).get("subject").asText())
                .isEqualTo("Backup server disk 95% full");

        // resolved by the customer's side, then reopened
        fd.put("/api/v2/tickets/" + fdId, "{\"status\":4}");
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        assertThat(snow.get("/api/now/table/incident/" + snowTwinId).get("result").get("state").asText()).isEqualTo("6");
        fd.put("/api/v2/tickets/" + fdId, "{\"status\":2}");
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        assertThat(snow.get("/api/now/table/incident/" + snowTwinId).get("result").get("state").asText())
                .isNotIn("6", "7");

        // nothing changed by a human: the next cycle writes nothing anywhere
        freshdesk.wiremock().resetRequests();
        servicenow.wiremock().resetRequests();
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        assertThat(writes(freshdesk)).isEmpty();
        assertThat(writes(servicenow)).isEmpty();
    }

    @Test
    void jiraServiceManagementAndServiceNowTwinsKeepInternalCommentsInternal() throws Exception {
        VendorSandbox jira = start("jira", List.of());
        VendorSandbox servicenow = start("servicenow", List.of());
        VendorApi jsm = new VendorApi(jira.baseUrl(), "hub@sandbox.example", "sandbox-api-token");
        VendorApi snow = new VendorApi(servicenow.baseUrl(), "admin", "sandbox-password");
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow) + jira("acme-jira", jira, JIRA_DESK),
                ticketSync("acme-jira-tickets", "acme-snow", "acme-jira")));
        String key = jsm.post("/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"25",
                 "requestFieldValues":{"summary":"New starter needs a laptop","description":"Starts on Monday"}}""")
                .get("issueKey").asText();
        snow.post("/api/now/table/incident", """
                {"short_description":"Firewall firmware update","description":"Planned maintenance","impact":"3","urgency":"3"}""");

        E2eHub.Run first = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).containsPattern("acme-jira-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+2");
        JsonNode snowTwin = findIncident(snow, "ih:acme-jira-tickets:R:" + key);
        assertThat(snowTwin.get("short_description").asText()).isEqualTo("New starter needs a laptop");

        jsm.post("/rest/servicedeskapi/request/" + key + "/comment", "{\"body\":\"Ordered from the supplier\",\"public\":false}");
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();

        JsonNode journal = snow.get("/api/now/table/sys_journal_field?sysparm_query=element_id%3D"
                + snowTwin.get("sys_id").asText()).get("result");
        assertThat(journal).anySatisfy(entry -> {
            assertThat(entry.get("value").asText()).contains("Ordered from the supplier");
            assertThat(entry.get("element").asText()).as("an internal Jira comment is a work note").isEqualTo("work_notes");
        });

        jira.wiremock().resetRequests();
        servicenow.wiremock().resetRequests();
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        assertThat(writes(jira)).isEmpty();
        assertThat(writes(servicenow)).isEmpty();
    }

    @Test
    void jiraServiceManagementAndFreshdeskTwinsFlowBothWays() throws Exception {
        VendorSandbox jira = start("jira", List.of());
        VendorSandbox freshdesk = start("freshdesk", List.of());
        VendorApi jsm = new VendorApi(jira.baseUrl(), "hub@sandbox.example", "sandbox-api-token");
        VendorApi fd = new VendorApi(freshdesk.baseUrl(), "sandbox-api-key", "X");
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                jira("acme-jira", jira, JIRA_DESK) + freshdesk("acme-freshdesk", freshdesk,
                        "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-jira-fd", "acme-jira", "acme-freshdesk")));
        String key = jsm.post("/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"25",
                 "requestFieldValues":{"summary":"VPN certificate expires Friday","description":"Renew it"}}""")
                .get("issueKey").asText();
        long fdId = fd.post("/api/v2/tickets", """
                {"subject":"Printer on floor 2 offline","description":"Since the power cut","email":"bob@acme.example",
                 "priority":2,"status":2}""").get("id").asLong();

        E2eHub.Run first = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).containsPattern("acme-jira-fd\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+2");
        assertThat(findFreshdesk(fd, "VPN certificate expires Friday")).isNotNull();
        JsonNode search = jsm.post("/rest/api/3/search/jql",
                "{\"jql\":\"project = SD ORDER BY key ASC\",\"fields\":[\"summary\"],\"maxResults\":50}");
        assertThat(search.get("issues").findValuesAsText("summary")).contains("Printer on floor 2 offline");

        fd.post("/api/v2/tickets/" + fdId + "/notes", "{\"body\":\"Technician on site at 2pm\",\"private\":true}");
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        String twinKey = null;
        for (JsonNode issue : search.get("issues")) {
            if (issue.get("fields").get("summary").asText().equals("Printer on floor 2 offline")) {
                twinKey = issue.get("key").asText();
            }
        }
        JsonNode comments = jsm.get("/rest/api/3/issue/" + twinKey + "/comment?expand=properties");
        assertThat(comments.get("comments")).anySatisfy(c -> {
            assertThat(c.get("body").toString()).contains("Technician on site at 2pm");
            assertThat(c.toString()).as("a Freshdesk private note is an internal Jira comment")
                    .contains("sd.public.comment").containsPattern("\"internal\"\\s*:\\s*true");
        });

        jira.wiremock().resetRequests();
        freshdesk.wiremock().resetRequests();
        assertThat(hub.cli("run", "--config", config.toString(), "--once").exitCode()).isZero();
        assertThat(writes(jira)).isEmpty();
        assertThat(writes(freshdesk)).isEmpty();
        assertThat(key).startsWith("SD-");
    }

    private static JsonNode findFreshdesk(VendorApi fd, String subject) {
        for (JsonNode t : fd.get("/api/v2/tickets?updated_since=2000-01-01T00:00:00Z&per_page=100")) {
            if (subject.equals(t.get("subject").asText())) {
                return t;
            }
        }
        return null;
    }

    private static JsonNode findIncident(VendorApi snow, String correlationId) {
        JsonNode result = snow.get("/api/now/table/incident?sysparm_query=correlation_id%3D" + correlationId).get("result");
        assertThat(result).as("incident with correlation id " + correlationId).hasSize(1);
        return result.get(0);
    }

    private static List<String> writes(VendorSandbox sandbox) {
        return sandbox.wiremock().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .filter(r -> !r.getUrl().startsWith("/rest/api/3/search/jql")) // Jira searches by POST
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).toList();
    }

    private static JsonNode incidents(VendorSandbox servicenow) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(servicenow.baseUrl()
                        + "/api/now/table/incident?sysparm_limit=1000"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:sandbox-password".getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json").build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).get("result");
    }
}
