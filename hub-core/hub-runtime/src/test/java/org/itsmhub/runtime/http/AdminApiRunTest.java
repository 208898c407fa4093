package org.itsmhub.runtime.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.testkit.contract.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

/**
 * {@code POST /api/syncs/{id}/run} against a vendor that hangs: the probe connection's live check
 * GETs a WireMock stub that answers only after 30 s, and gives up after 10 s itself. Every HTTP call
 * of the test waits at most 5 s, so a request that waits for the cycle fails the test.
 */
class AdminApiRunTest {

    private static final String TOKEN = "Bearer admin-secret-token";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path home;

    private final WireMockServer vendor = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final HttpClient http = HttpClient.newHttpClient();
    private HubFixture fixture;
    private HubBootstrap boot;
    private HubStore store;
    private HubRuntime runtime;
    private LogCapture log;

    @BeforeEach
    void startHubAndHangingVendor() throws Exception {
        vendor.start();
        vendor.stubFor(WireMock.get("/check").willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        fixture = new HubFixture(home);
        Path config = fixture.config("""
                tenants:
                  acme:
                    connections:
                      acme-probe:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        check.url: "http://127.0.0.1:%d/check"
                    syncs:
                      - id: acme-check
                        flow: connection-check
                        schedule: "0 0 3 1 1 ? 2099"
                        connections: acme-probe
                """.formatted(vendor.port()));
        boot = HubBootstrap.load(config, name -> null);
        assertThat(boot.result().issues()).isEmpty();
        HubConfig hubConfig = boot.result().config();
        store = boot.openStore();
        runtime = new HubRuntime(hubConfig, boot.plugins(), store, Clock.systemUTC(), HubRuntime.Mode.SERVE);
        runtime.start();
        // the first request of a JVM loads the HTTP stack on both ends (seconds on a busy machine)
        http.send(HttpRequest.newBuilder(uri("/health/live")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.discarding());
        log = LogCapture.open();
    }

    @AfterEach
    void stopAll() {
        if (log != null) {
            log.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
        if (boot != null) {
            boot.close();
        }
        vendor.stop();
    }

    @Test
    void theRunOfAKilledNodeReadsAsAbandonedOnceThisNodeTakesItsExpiredLeaseOver() throws Exception {
        long killedRun = store.syncRuns().start("acme", "acme-check");
        store.syncLeases().acquire("acme", "acme-check", "killed-node", killedRun, Duration.ofMillis(500));
        assertThat(json(get("/api/runs/" + killedRun)).get("outcome").asText()).isEqualTo("RUNNING");

        assertThat(post("/api/syncs/acme-check/run").statusCode()).isEqualTo(202);

        AtomicReference<JsonNode> killed = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            killed.set(json(get("/api/runs/" + killedRun)));
            return !killed.get().get("outcome").asText().equals("RUNNING");
        });
        assertThat(killed.get().get("outcome").asText()).isEqualTo("ABANDONED");
        assertThat(killed.get().get("endedAt").isNull()).isFalse();
        assertThat(killed.get().get("message").asText()).contains("node killed-node lost its lease")
                .contains("(token 1→2)");
    }

    @Test
    void aRunRequestIsAcceptedAtOnceWhileTheVendorHangsAndItsRunIsReadableUntilItEnds() throws Exception {
        HttpResponse<String> accepted = post("/api/syncs/acme-check/run");

        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode body = Json.MAPPER.readTree(accepted.body());
        long runId = body.get("run").asLong();
        assertThat(location).isEqualTo("/api/runs/" + runId);
        assertThat(body.get("location").asText()).isEqualTo(location);
        assertThat(body.get("sync").asText()).isEqualTo("acme-check");

        JsonNode running = json(get(location));
        assertThat(running.get("outcome").asText()).isEqualTo("RUNNING");
        assertThat(running.get("endedAt").isNull()).isTrue();

        // the probe gives up on the hanging vendor after 10 s; the run then says how it ended
        AtomicReference<JsonNode> ended = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> {
            ended.set(json(get(location)));
            return !ended.get().get("outcome").asText().equals("RUNNING");
        });
        assertThat(ended.get().get("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(ended.get().get("read").asInt()).isEqualTo(1);
        assertThat(ended.get().get("failed").asInt()).isEqualTo(1);
        assertThat(ended.get().get("endedAt").isNull()).isFalse();
        assertThat(store.syncRuns().get(runId)).hasValueSatisfying(r -> assertThat(r.counts().failed()).isEqualTo(1));
        vendor.verify(1, getRequestedFor(urlEqualTo("/check")));
        assertThat(log.text()).doesNotContain("Thread blocked").doesNotContain("has been blocked for");
    }

    @Test
    void aRunRequestWhileACycleOfThatSyncRunsAnswers409NamingTheRunningOne() throws Exception {
        HttpResponse<String> first = post("/api/syncs/acme-check/run");
        HttpResponse<String> second = post("/api/syncs/acme-check/run");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(409);
        long running = Json.MAPPER.readTree(first.body()).get("run").asLong();
        assertThat(Json.MAPPER.readTree(second.body()).get("run").asLong()).isEqualTo(running);
        assertThat(second.headers().firstValue("Location")).hasValue("/api/runs/" + running);
        assertThat(second.body()).contains("already running");
    }

    @Test
    void healthTheSyncListAndDeadLettersAnswerWhileACycleHangs() throws Exception {
        assertThat(post("/api/syncs/acme-check/run").statusCode()).isEqualTo(202);

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/api/syncs").statusCode()).isEqualTo(200);
        assertThat(get("/api/dead-letters").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownSyncOrRunIsNotFound() throws Exception {
        assertThat(post("/api/syncs/nope/run").statusCode()).isEqualTo(404);
        assertThat(get("/api/runs/999999").statusCode()).isEqualTo(404);
        assertThat(get("/api/runs/abc").statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/api/runs/1")).GET()).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", TOKEN).GET());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + fixture.port() + path);
    }
}
