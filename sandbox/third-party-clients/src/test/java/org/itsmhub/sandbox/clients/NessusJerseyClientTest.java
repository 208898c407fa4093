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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.nessus.NessusSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The Nessus sandbox over https, driven by the standard JAX-RS client (Jersey, unpatched) through the
 * export workflow Tenable documents and pyTenable implements: list scans, request a {@code nessus}
 * export, poll its status until {@code ready}, download it; with the {@code X-ApiKeys} header.
 *
 * <p>Tenable publishes no Java client for Nessus (its own is pyTenable, Python) and none is on Maven
 * Central, so a generic, standard one stands in, as for Freshdesk.
 */
class NessusJerseyClientTest {

    private static final String KEYS = "accessKey=" + NessusSandbox.DEFAULT_ACCESS_KEY + "; secretKey="
            + NessusSandbox.DEFAULT_SECRET_KEY;
    private static final GenericType<Map<String, Object>> OBJECT = new GenericType<>() { };
    private static final Path SCAN = VendorTestData.path("nessus", "reptor_nessus_multi_host.nessus");

    @TempDir
    Path dir;

    private HttpsSandbox<NessusSandbox> https;
    private Client client;

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
        https = HttpsSandbox.start(o -> new NessusSandbox(o, clock, NessusSandbox.DEFAULT_ACCESS_KEY,
                NessusSandbox.DEFAULT_SECRET_KEY, 2), SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, SCAN))), dir.resolve("tls"));
        client = https.jaxRsClient();
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

    @SuppressWarnings("unchecked")
    @Test
    void aScanIsListedExportedPolledUntilReadyAndDownloadedByteForByte() throws Exception {
        Map<String, Object> listing = api("/scans").request(MediaType.APPLICATION_JSON).header("X-ApiKeys", KEYS)
                .get(OBJECT);
        List<Map<String, Object>> scans = (List<Map<String, Object>>) listing.get("scans");
        assertThat(scans).hasSize(1);
        assertThat(scans.get(0)).containsEntry("status", "completed");
        Object scanId = scans.get(0).get("id");

        Map<String, Object> export = api("/scans/" + scanId + "/export").request(MediaType.APPLICATION_JSON)
                .header("X-ApiKeys", KEYS).post(Entity.json(Map.of("format", "nessus")), OBJECT);
        Object file = export.get("file");
        assertThat(export).containsKeys("file", "token");

        List<String> statuses = new ArrayList<>();
        String status = "";
        while (!status.equals("ready") && statuses.size() < 10) {
            status = (String) api("/scans/" + scanId + "/export/" + file + "/status")
                    .request(MediaType.APPLICATION_JSON).header("X-ApiKeys", KEYS).get(OBJECT).get("status");
            statuses.add(status);
        }
        byte[] downloaded;
        try (Response r = api("/scans/" + scanId + "/export/" + file + "/download").request()
                .header("X-ApiKeys", KEYS).get()) {
            assertThat(r.getStatus()).isEqualTo(200);
            downloaded = r.readEntity(byte[].class);
        }

        assertThat(statuses).containsExactly("loading", "loading", "ready");
        assertThat(downloaded).isEqualTo(Files.readAllBytes(SCAN));
        assertThat(journal()).extracting(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl())
                .containsExactly("GET /scans", "POST /scans/" + scanId + "/export",
                        "GET /scans/" + scanId + "/export/" + file + "/status",
                        "GET /scans/" + scanId + "/export/" + file + "/status",
                        "GET /scans/" + scanId + "/export/" + file + "/status",
                        "GET /scans/" + scanId + "/export/" + file + "/download");
        assertThat(journal()).allSatisfy(e -> {
            assertThat(e.getRequest().getAbsoluteUrl()).startsWith("https://127.0.0.1:");
            assertThat(e.getRequest().getHeader("X-ApiKeys")).isEqualTo(KEYS);
        });
    }

    @Test
    void scansChangedSinceADateAreTheOnlyOnesListedAndNoneIsNullAsNessusAnswers() {
        long after = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        Map<String, Object> listing = api("/scans").queryParam("last_modification_date", after)
                .request(MediaType.APPLICATION_JSON).header("X-ApiKeys", KEYS).get(OBJECT);

        assertThat(listing).containsKey("scans");
        assertThat(listing.get("scans")).isNull();
        assertThat(listing).containsKeys("folders", "timestamp");
        assertThat(journal()).singleElement().satisfies(e -> assertThat(
                e.getRequest().queryParameter("last_modification_date").firstValue()).isEqualTo(Long.toString(after)));
    }

    @Test
    void aDownloadBeforeTheExportIsReadyIsRefusedWithNessus409() {
        @SuppressWarnings("unchecked")
        Object scanId = ((List<Map<String, Object>>) api("/scans").request(MediaType.APPLICATION_JSON)
                .header("X-ApiKeys", KEYS).get(OBJECT).get("scans")).get(0).get("id");
        Object file = api("/scans/" + scanId + "/export").request(MediaType.APPLICATION_JSON)
                .header("X-ApiKeys", KEYS).post(Entity.json(Map.of("format", "nessus")), OBJECT).get("file");

        try (Response r = api("/scans/" + scanId + "/export/" + file + "/download").request()
                .header("X-ApiKeys", KEYS).get()) {
            assertThat(r.getStatus()).isEqualTo(409);
        }
    }

    @Test
    void refusedKeysGetNessus401AndItsErrorBody() {
        try (Response r = api("/scans").request(MediaType.APPLICATION_JSON)
                .header("X-ApiKeys", "accessKey=wrong; secretKey=wrong").get()) {
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(r.readEntity(OBJECT)).containsEntry("error", "Invalid Credentials");
        }
        assertThat(journal()).singleElement().satisfies(e ->
                assertThat(e.getResponse().getStatus()).isEqualTo(401));
    }
}
