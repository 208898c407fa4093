package org.itsmhub.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.itsmhub.runtime.cli.ItsmHubCli;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.itsmhub.runtime.testing.HubFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import picocli.CommandLine;

/**
 * A vendor that answers 401 and 400 with a body echoing the credentials the hub sent (the Basic
 * header of {@code key:X}, the key URL-encoded in a form, the key itself): no log line, stored run
 * error, dead letter, admin API answer or command output may carry any of them.
 */
class CredentialEchoTest {

    /** Characters that make every encoding differ from the raw value. */
    private static final String KEY = "pk/echo+key=42 z&7";
    private static final String BASIC = Base64.getEncoder().encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8));
    private static final List<String> FORMS = List.of(KEY, BASIC, URLEncoder.encode(KEY, StandardCharsets.UTF_8),
            URLEncoder.encode(KEY, StandardCharsets.UTF_8).replace("+", "%20"), KEY.replace("/", "\\/"),
            "admin-secret-token");

    @TempDir
    Path home;

    private final WireMockServer vendor = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        LogRedaction.clear();
        vendor.stop();
    }

    @Test
    void credentialsAVendorEchoesAreMaskedInLogsStoredErrorsDeadLettersApiAnswersAndCommandOutput() throws Exception {
        vendor.start();
        String echo = "{\"message\":\"bad credentials {{{request.headers.Authorization}}}\",\"form\":\"{{{request.body}}}\","
                + "\"key\":\"" + KEY + "\",\"escaped\":\"" + KEY.replace("/", "\\/") + "\"}";
        vendor.stubFor(WireMock.get("/tickets").willReturn(aResponse().withStatus(401).withBody(echo)
                .withTransformers("response-template")));
        vendor.stubFor(WireMock.post("/tickets").willReturn(aResponse().withStatus(400).withBody(echo)
                .withTransformers("response-template")));
        HubFixture fixture = new HubFixture(home);
        Files.writeString(home.resolve("echo.key"), KEY + "\n");
        Path config = fixture.config("""
                tenants:
                  acme:
                    connections:
                      acme-desk:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        tickets: [Printer on fire]
                      acme-tool:
                        plugin: probe
                        api.key: "${file:echo.key}"
                        vendor.url: "http://127.0.0.1:%d"
                    syncs:
                      - id: acme-read
                        flow: ticket-sync
                        schedule: "0 0 3 1 1 ? 2099"
                        left-connection: acme-tool
                        right-connection: acme-desk
                        direction: left-to-right
                      - id: acme-write
                        flow: ticket-sync
                        schedule: "0 0 3 1 1 ? 2099"
                        left-connection: acme-desk
                        right-connection: acme-tool
                        direction: left-to-right
                """.formatted(vendor.port()));
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));

        StringBuilder seen = new StringBuilder();
        try (HubBootstrap boot = HubBootstrap.load(config, name -> null)) {
            assertThat(boot.result().issues()).isEmpty();
            try (HubStore store = boot.openStore();
                    HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store,
                            Clock.systemUTC(), HubRuntime.Mode.SERVE)) {
                runtime.start();
                Map<String, SyncResult> results = Map.of("acme-read", runtime.syncs().run("acme-read"),
                        "acme-write", runtime.syncs().run("acme-write"));
                assertThat(results.get("acme-read").outcome()).isEqualTo(SyncRunOutcome.FAILED);
                assertThat(results.get("acme-write").summary().failed()).isEqualTo(1);

                long readRun = store.syncRuns().latest("acme", "acme-read").orElseThrow().id();
                String storedError = store.syncRuns().get(readRun).orElseThrow().message();
                seen.append(storedError).append('\n');
                List<DeadLetter> letters = store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10);
                assertThat(letters).hasSize(1);
                seen.append(letters.get(0).errorMessage()).append('\n').append(letters.get(0).payload()).append('\n');
                String apiSyncs = get(fixture, "/api/syncs");
                String apiRun = get(fixture, "/api/runs/" + readRun);
                String apiLetters = get(fixture, "/api/dead-letters");
                seen.append(apiSyncs).append('\n').append(apiRun).append('\n').append(apiLetters).append('\n');

                // the echo reached every place, masked
                assertThat(storedError).contains("bad credentials [hidden]");
                assertThat(letters.get(0).errorMessage()).contains("bad credentials [hidden]");
                assertThat(apiRun).contains("bad credentials [hidden]");
                assertThat(apiSyncs).contains("bad credentials [hidden]");
                assertThat(apiLetters).contains("bad credentials [hidden]");
            }
        }
        // the vendor got exactly the credentials that must not come back out
        vendor.verify(getRequestedFor(urlEqualTo("/tickets")).withHeader("Authorization", equalTo("Basic " + BASIC)));
        vendor.verify(postRequestedFor(urlEqualTo("/tickets")).withRequestBody(
                equalTo("key=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8))));

        LogRedaction.clear(); // a new process: only the config's secrets are known at first
        StringWriter out = new StringWriter();
        assertThat(cli(out, "dlq", "list", "--config", config.toString())).isEqualTo(0);
        String id = out.toString().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[0];
        assertThat(cli(out, "dlq", "show", id, "--config", config.toString())).isEqualTo(0);
        assertThat(cli(out, "dlq", "replay", id, "--config", config.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("still failing").contains("bad credentials [hidden]");
        assertThat(cli(out, "validate", "--config", config.toString(), "--check-connections")).isEqualTo(1);
        assertThat(out.toString()).contains("acme-tool.api.key: HTTP 401: {\"message\":\"bad credentials [hidden]");
        seen.append(out).append('\n');

        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("probe vendor answered 401").contains("bad credentials [hidden]");
        seen.append(logText);
        for (String form : FORMS) {
            assertThat(seen.toString()).as("every output, searched for %s", form).doesNotContain(form);
        }
    }

    private static int cli(StringWriter out, String... args) {
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private static String get(HubFixture fixture, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.port() + path)).header("Authorization",
                "Bearer admin-secret-token").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
