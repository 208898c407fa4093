package org.itsmhub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreException;
import org.itsmhub.runtime.store.SyncRun;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.runtime.testing.ServedHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub started as in production: plugin zip, route templates, Quartz, platform-http. */
class HubRuntimeTest {

    private static final String TOKEN = "Bearer admin-secret-token";

    @TempDir
    Path home;

    private HubFixture fixture;
    private ServedHub hub;
    private HubBootstrap boot;
    private HubStore store;
    private HubRuntime runtime;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startHub() throws Exception {
        fixture = new HubFixture(home);
        // Quartz fires every second, so the scheduled path is exercised within the test
        Path config = fixture.config(HubFixture.acmeProbeTenant("* * * * * ?"));
        hub = ServedHub.start(config);
        boot = hub.boot();
        store = hub.store();
        runtime = hub.runtime();
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aRouteTemplateInstantiatedFromConfigIsFiredByQuartz() {
        Optional<SyncRun>[] latest = new Optional[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            latest[0] = store.syncRuns().latest("acme", "acme-check");
            return latest[0].filter(r -> r.outcome() != SyncRunOutcome.RUNNING).isPresent();
        });

        SyncRun run = latest[0].orElseThrow();
        assertThat(run.outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        assertThat(run.counts().read()).isEqualTo(1);
        assertThat(run.counts().unchanged()).isEqualTo(1);
        assertThat(runtime.camel().getRoute("acme-check")).isNotNull();
        assertThat(runtime.camel().getRoute("schedule-acme-check").getEndpoint().getEndpointUri())
                .startsWith("quartz://hub/acme-check");
    }

    @Test
    void aSecondHubOnATakenPortRefusesToStartAndSaysWhichPortAndWhere() {
        HubRuntime second = new HubRuntime(boot.result().config(), boot.plugins(), store, Clock.systemUTC(),
                HubRuntime.Mode.SERVE);
        try {
            assertThatThrownBy(second::start).isInstanceOf(HubStartException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + fixture.port())
                    .hasMessageContaining("hub.http.port");
        } finally {
            second.close();
        }
    }

    @Test
    void healthReportsTheStoreThePluginsAndEverySync() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("probe 1.0.0").contains("\"acme-check\"");
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedInPrometheusFormatWithSyncCounters() throws Exception {
        runtime.syncs().run("acme-check");

        HttpResponse<String> response = get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("itsmhub_sync_records_total{")
                .contains("sync=\"acme-check\"").contains("itsmhub_sync_duration_seconds");
    }

    @Test
    void aVerifiedWebhookIsAcceptedAndTriggersTheSyncsUsingThatConnection() throws Exception {
        HttpResponse<String> response = post("/webhooks/acme/acme-probe", "id=T-1",
                "X-Probe-Secret", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"hints\":1").contains("acme-check");
    }

    @Test
    void aWebhookWithAWrongSecretIsRejectedWith401() throws Exception {
        HttpResponse<String> response = post("/webhooks/acme/acme-probe", "id=T-1", "X-Probe-Secret", "guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain(HubFixture.PROBE_KEY);
    }

    @Test
    void aMalformedWebhookIsRejectedAndKeptAsADeadLetterForReplay() throws Exception {
        HttpResponse<String> response = post("/webhooks/acme/acme-probe", "{not what the probe sends",
                "X-Probe-Secret", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).singleElement().satisfies(d -> {
            assertThat(d.payload()).isEqualTo("{not what the probe sends");
            assertThat(d.errorMessage()).contains("id=<ticket id>");
            assertThat(d.connectionId()).isEqualTo("acme-probe");
        });
        // the hub keeps running
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWebhookForAnotherTenantsConnectionIsNotFound() throws Exception {
        assertThat(post("/webhooks/globex/acme-probe", "id=T-1", "X-Probe-Secret", HubFixture.PROBE_KEY)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theAdminApiNeedsTheBearerToken() throws Exception {
        assertThat(get("/api/syncs", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/syncs", "Bearer wrong").statusCode()).isEqualTo(401);

        HttpResponse<String> syncs = get("/api/syncs", TOKEN);
        assertThat(syncs.statusCode()).isEqualTo(200);
        assertThat(syncs.body()).contains("\"id\":\"acme-check\"").contains("\"flow\":\"connection-check\"");
    }

    @Test
    void theAdminApiStartsASyncOnDemandAndItsRunTellsHowItEnded() throws Exception {
        HttpResponse<String> run = send(HttpRequest.newBuilder(uri("/api/syncs/acme-check/run"))
                .header("Authorization", TOKEN).POST(HttpRequest.BodyPublishers.noBody()));

        // Quartz fires this sync every second: the request may find a cycle running (409 names it)
        assertThat(run.statusCode()).isIn(202, 409);
        String location = run.headers().firstValue("Location").orElseThrow();
        String[] ended = new String[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            ended[0] = get(location, TOKEN).body();
            return !ended[0].contains("\"outcome\":\"RUNNING\"");
        });
        assertThat(ended[0]).contains("\"outcome\":\"SUCCEEDED\"").contains("\"read\":1");
        assertThat(get("/api/plugins", TOKEN).body()).contains("\"connector\":\"probe\"").contains("webhook");
    }

    @Test
    void deadLettersAreListedByTheAdminApi() throws Exception {
        post("/webhooks/acme/acme-probe", "garbage", "X-Probe-Secret", HubFixture.PROBE_KEY);

        HttpResponse<String> letters = get("/api/dead-letters", TOKEN);

        assertThat(letters.statusCode()).isEqualTo(200);
        DeadLetter stored = store.deadLetters().list("acme", DeadLetterStatus.OPEN, 1).get(0);
        assertThat(letters.body()).contains("\"id\":" + stored.id()).contains("\"connection\":\"acme-probe\"");
    }

    /** Query parameters and request headers an attacker sends hoping to see them answered as response headers. */
    private static final String HOSTILE_QUERY = "Set-Cookie=sess%3Dx&Access-Control-Allow-Origin=https%3A%2F%2Fevil"
            + "&Access-Control-Allow-Credentials=true&Refresh=0%3Burl%3Dhttps%3A%2F%2Fevil&Location=https%3A%2F%2Fevil"
            + "&Content-Security-Policy=none&X-Frame-Options=ALLOWALL&Cache-Control=public&Retry-After=1"
            + "&WWW-Authenticate=Basic&X-Probe-Secret=" + HubFixture.PROBE_KEY;

    @Test
    void noRequestHeaderOrQueryParameterEverReachesAResponse() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String path : List.of("/health", "/health/live", "/health/ready", "/metrics", "/api/syncs", "/api/plugins",
                "/api/dead-letters", "/api/syncs")) {
            for (String authorization : java.util.Arrays.asList(TOKEN, null)) {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri(path + "?" + HOSTILE_QUERY)).GET()
                        .header("X-Forwarded-Host", "evil").header("X-Probe-Secret", HubFixture.PROBE_KEY);
                if (authorization != null) {
                    b.header("Authorization", authorization);
                }
                answers.add(send(b));
            }
        }
        for (String secret : List.of(HubFixture.PROBE_KEY, "guess")) {
            answers.add(send(HttpRequest.newBuilder(uri("/webhooks/acme/acme-probe?" + HOSTILE_QUERY))
                    .header("X-Probe-Secret", secret).header("X-Forwarded-Host", "evil")
                    .POST(HttpRequest.BodyPublishers.ofString("id=T-1"))));
        }

        assertThat(answers).extracting(HttpResponse::statusCode).contains(200, 202, 401);
        for (HttpResponse<String> answer : answers) {
            Map<String, List<String>> headers = answer.headers().map();
            assertThat(headers.keySet()).as(answer.request().method() + " " + answer.uri().getPath() + " answered headers")
                    .allSatisfy(name -> assertThat(name.toLowerCase(java.util.Locale.ROOT))
                            .isIn(":status", "content-type", "content-length", "www-authenticate", "location", "transfer-encoding"));
            assertThat(headers.toString()).doesNotContain("evil").doesNotContain(HubFixture.PROBE_KEY)
                    .doesNotContain("sess=x").doesNotContain("Basic");
        }
    }

    @Test
    void credentialsCountOnlyInTheDocumentedHeadersNeverInTheQuery() throws Exception {
        String token = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        assertThat(get("/api/syncs?Authorization=" + token, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/syncs?authorization=" + token, null).statusCode()).isEqualTo(401);

        HttpResponse<String> webhook = send(HttpRequest.newBuilder(
                uri("/webhooks/acme/acme-probe?X-Probe-Secret=" + HubFixture.PROBE_KEY))
                .POST(HttpRequest.BodyPublishers.ofString("id=T-1")));
        assertThat(webhook.statusCode()).isEqualTo(401);
        assertThat(webhook.headers().map().toString()).doesNotContain(HubFixture.PROBE_KEY);
    }

    @Test
    void healthIsDownWithTheReasonWhileTheStoreRefusesWritesAndShowsSyncsFailingInARow() throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse_runs BEFORE INSERT ON sync_runs FOR EACH ROW CALL \""
                    + RefusingTrigger.class.getName() + "\"");
        }
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> runtime.syncs().run("acme-check")).isInstanceOf(StoreException.class);
        }

        HttpResponse<String> down = get("/health/ready", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("Store cannot write")
                .contains("writes refused by the test").contains("every sync failed its last 3 or more cycles: acme-check");
        assertThat(get("/metrics", null).body())
                .containsPattern("itsmhub_sync_consecutive_failures\\{[^}]*sync=\"acme-check\"[^}]*} [3-9]");

        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse_runs");
        }
        assertThat(runtime.syncs().run("acme-check").outcome()).isEqualTo(SyncRunOutcome.SUCCEEDED);
        HttpResponse<String> up = get("/health/ready", null);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"consecutiveFailures\":0");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private HttpResponse<String> post(String path, String body, String header, String value) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + fixture.port() + path);
    }
}
