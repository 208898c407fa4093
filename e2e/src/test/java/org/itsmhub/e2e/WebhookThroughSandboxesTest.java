package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hub running as a service: a Freshdesk automation webhook makes the ticket's ServiceNow twin
 * appear long before the next scheduled cycle, and a second delivery of the same webhook changes
 * nothing.
 */
class WebhookThroughSandboxesTest {

    @TempDir
    Path home;

    @Test
    void aFreshdeskWebhookSyncsThatTicketAtOnceAndADuplicateDeliveryChangesNothing() throws Exception {
        try (VendorSandbox freshdesk = SandboxCommand.providers().get("freshdesk").create(SandboxOptions.defaults());
                VendorSandbox servicenow = SandboxCommand.providers().get("servicenow").create(SandboxOptions.defaults())) {
            freshdesk.start();
            servicenow.start();
            int port = freePort();
            E2eHub hub = new E2eHub(home);
            Path config = hub.config(SandboxConfig.tenant("acme",
                    SandboxConfig.servicenow("acme-snow", servicenow) + SandboxConfig.freshdesk("acme-freshdesk",
                            freshdesk, "webhook.secret: \"${file:webhook.secret}\""),
                    SandboxConfig.ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")), port);
            Files.writeString(home.resolve("webhook.secret"), "wh-s3cret-7731");
            VendorApi fd = new VendorApi(freshdesk.baseUrl(), "sandbox-api-key", "X");
            VendorApi snow = new VendorApi(servicenow.baseUrl(), "admin", "sandbox-password");

            try (HubBootstrap boot = HubBootstrap.load(config, name -> null)) {
                assertThat(boot.result().issues()).isEmpty();
                HubSettings.Store s = boot.result().config().hub().store();
                try (HubStore store = HubStore.open(new StoreSettings(s.url(), s.user(), s.password().reveal()));
                        HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store,
                                Clock.systemUTC(), HubRuntime.Mode.SERVE)) {
                    runtime.start();
                    long id = fd.post("/api/v2/tickets", """
                            {"subject":"Scanner jams","description":"Floor 3","email":"cara@acme.example","priority":2,"status":2}""")
                            .get("id").asLong();
                    String body = "{\"ticket_id\": " + id + ", \"event\": \"ticket_created\"}";

                    assertThat(webhook(port, body, "wh-s3cret-7731").statusCode()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(10)).until(() -> incidents(snow).size() == 1);
                    assertThat(incidents(snow).get(0).get("short_description").asText()).isEqualTo("Scanner jams");

                    servicenow.wiremock().resetRequests();
                    assertThat(webhook(port, body, "wh-s3cret-7731").statusCode()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(10)).until(() -> store.syncRuns().listRecent("acme", 10).size() >= 2);
                    assertThat(incidents(snow)).hasSize(1);
                    assertThat(servicenow.wiremock().getAllServeEvents()).noneMatch(e ->
                            !e.getRequest().getMethod().getName().equals("GET"));
                    assertThat(webhook(port, body, "wrong").statusCode()).isEqualTo(401);
                }
            }
        }
    }

    private static HttpResponse<String> webhook(int port, String body, String secret) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/acme/acme-freshdesk"))
                .header("Content-Type", "application/json").header("X-ITSMHub-Webhook-Secret", secret)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> incidents(VendorApi snow) {
        List<JsonNode> list = new java.util.ArrayList<>();
        snow.get("/api/now/table/incident?sysparm_limit=100").get("result").forEach(list::add);
        return list;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
