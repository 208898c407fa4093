package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.freshdesk;
import static org.itsmhub.e2e.SandboxConfig.servicenow;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;
import static org.itsmhub.e2e.SandboxConfig.tlsTrust;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The ticket sync against both sandboxes in their https mode, each connection trusting exactly its
 * sandbox's self-signed certificate through {@code tls.trust: ${file:...}}, as an admin writes it.
 */
class TicketSyncOverHttpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @RegisterExtension
    final Sandboxes sandboxes = new Sandboxes();

    @Test
    void freshdeskTicketsGetServiceNowTwinsOverHttpsWithEachConnectionTrustingItsSandboxsCertificate() throws Exception {
        Path seed = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");
        VendorSandbox freshdesk = sandboxes.startHttps("freshdesk", home.resolve("tls"), seed);
        VendorSandbox servicenow = sandboxes.startHttps("servicenow", home.resolve("tls"));
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow, tlsTrust(servicenow)) + freshdesk("acme-freshdesk", freshdesk,
                        "initial.since: \"2000-01-01T00:00:00Z\"", "default.requester.email: servicedesk@msp.example",
                        tlsTrust(freshdesk)),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));
        int seeded = new ObjectMapper().readTree(seed.toFile()).size();

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(servicenow.baseUrl()).startsWith("https://");
        assertThat(freshdesk.baseUrl()).startsWith("https://");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+" + seeded);
        assertThat(run.out() + run.err()).doesNotContain("BEGIN CERTIFICATE");
        assertThat(requests(freshdesk, "GET", "/api/v2/tickets")).isNotEmpty();
        List<LoggedRequest> creates = requests(servicenow, "POST", "/api/now/table/incident");
        assertThat(creates).hasSize(seeded).allSatisfy(r -> assertThat(r.getBodyAsString())
                .contains("\"correlation_id\":\"ih:acme-tickets:R:"));
    }

    /**
     * Updates, comments and closes reach ServiceNow as PATCH through camel-servicenow's CXF client, which
     * could not send PATCH while it trusted the certificate through an {@code SSLSocketFactory}.
     */
    @Test
    void aFreshdeskTicketsNewStatusPriorityAndReplyReachItsServiceNowTwinWithPatchOverHttps() {
        VendorSandbox freshdesk = sandboxes.startHttps("freshdesk", home.resolve("tls"));
        VendorSandbox servicenow = sandboxes.startHttps("servicenow", home.resolve("tls"));
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow, tlsTrust(servicenow)) + freshdesk("acme-freshdesk", freshdesk,
                        "default.requester.email: servicedesk@msp.example", tlsTrust(freshdesk)),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));
        long fdId = send(freshdesk, "POST", "/api/v2/tickets", """
                {"subject":"Outlook keeps crashing","description":"Since this morning","email":"anna@acme.example",
                 "priority":1,"status":2}""").get("id").asLong();
        E2eHub.Run first = hub.cli("run", "--config", config.toString(), "--once");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        JsonNode twin = incident(servicenow, "ih:acme-tickets:R:" + fdId);
        String twinPath = "/api/now/table/incident/" + twin.get("sys_id").asText();
        assertThat(twin.get("priority").asText()).isNotEqualTo("1");

        // the customer's agent puts the ticket on hold, makes it urgent and replies
        send(freshdesk, "PUT", "/api/v2/tickets/" + fdId, "{\"status\":3,\"priority\":4}");
        send(freshdesk, "POST", "/api/v2/tickets/" + fdId + "/reply", "{\"body\":\"It crashes when I open the calendar\"}");
        servicenow.wiremock().resetRequests();
        E2eHub.Run second = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).as(second.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED");
        JsonNode updated = incident(servicenow, "ih:acme-tickets:R:" + fdId);
        assertThat(updated.get("state").asText()).as("on hold").isEqualTo("3");
        assertThat(updated.get("priority").asText()).as("critical").isEqualTo("1");
        JsonNode journal = send(servicenow, "GET", "/api/now/table/sys_journal_field?sysparm_query=element_id%3D"
                + twin.get("sys_id").asText(), null).get("result");
        assertThat(journal).singleElement().satisfies(entry -> {
            assertThat(entry.get("element").asText()).isEqualTo("comments");
            assertThat(entry.get("value").asText()).contains("It crashes when I open the calendar");
        });
        List<String> writes = servicenow.wiremock().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl().split("\\?")[0]).toList();
        assertThat(writes).isNotEmpty().allSatisfy(w -> assertThat(w).isEqualTo("PATCH " + twinPath));
        assertThat(requests(servicenow, "PATCH", twinPath)).anySatisfy(r -> assertThat(r.getBodyAsString())
                .contains("\"comments\":").contains("It crashes when I open the calendar"));
        E2eHub.Run letters = hub.cli("dlq", "list", "--all", "--config", config.toString());
        assertThat(letters.out()).as(letters.out()).contains("0 dead letter(s)");
    }

    private static JsonNode incident(VendorSandbox servicenow, String correlationId) {
        JsonNode result = send(servicenow, "GET", "/api/now/table/incident?sysparm_query=correlation_id%3D"
                + correlationId, null).get("result");
        assertThat(result).as("incident with correlation id " + correlationId).hasSize(1);
        return result.get(0);
    }

    /** A person's call to a sandbox's API over https, trusting exactly that sandbox's certificate. */
    private static JsonNode send(VendorSandbox sandbox, String method, String path, String json) {
        String user = sandbox.vendor().equals("freshdesk") ? "sandbox-api-key:X" : "admin:sandbox-password";
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("sandbox", sandbox.certificate().orElseThrow().certificate());
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, managers.getTrustManagers(), null);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            user.getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json").header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> response = HttpClient.newBuilder().sslContext(tls).build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    private static List<LoggedRequest> requests(VendorSandbox sandbox, String method, String path) {
        return sandbox.wiremock().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].equals(path))
                .map(r -> (LoggedRequest) r).toList();
    }
}
