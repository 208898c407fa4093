package org.itsmhub.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.runtime.testing.ServedHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content types a webhook route takes, and that authentication comes before any of them is read. */
class WebhookContentTypeTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String HOOK = "/webhooks/acme/acme-probe";

    @TempDir
    Path home;

    private HubFixture fixture;
    private ServedHub hub;
    private HubStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startHub() throws Exception {
        fixture = new HubFixture(home);
        hub = ServedHub.start(fixture.config(HubFixture.acmeProbeTenant("0 0 0 1 1 ? 2099")));
        store = hub.store();
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aFormEncodedWebhookIsDecodedIntoTheJsonItsVendorWouldSendAndAccepted() throws Exception {
        // what curl -d id=T-7 sends; the probe understands {"id": "T-7"}, the JSON the form stands for
        HttpResponse<String> response = post(FORM, "%69d=T-7", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"hints\":1");
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).isEmpty();
    }

    @Test
    void aJsonBodyLabelledAsAFormAsCurlDashDSendsItIsTakenAsJson() throws Exception {
        HttpResponse<String> response = post(FORM, "{\"id\": \"T-8\"}", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"hints\":1");
    }

    @Test
    void aJsonWebhookWithACharsetIsAccepted() throws Exception {
        HttpResponse<String> response = post("application/json; charset=UTF-8", "{\"id\": \"T-9\"}", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"hints\":1");
    }

    @Test
    void aFormEncodedWebhookWithAWrongSecretIsRejectedWith401AndNotKept() throws Exception {
        HttpResponse<String> response = post(FORM, "id=T-7", "guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("unauthorized");
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).isEmpty();
    }

    @Test
    void aWrongSecretIs401WhateverTheContentType() throws Exception {
        for (String type : new String[] {"text/xml", "text/plain", "application/octet-stream", "multipart/form-data; boundary=x"}) {
            assertThat(post(type, "<id>T-1</id>", "guess").statusCode()).as(type).isEqualTo(401);
        }
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).isEmpty();
    }

    @Test
    void anUnsupportedContentTypeIs415WithAJsonErrorAndTheBodyIsKeptAsADeadLetterWithItsType() throws Exception {
        HttpResponse<String> response = post("text/xml", "<ticket><id>T-3</id></ticket>", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(response.body()).contains("\"error\":\"unsupported content type text/xml")
                .contains("application/json").contains(FORM).contains("\"deadLetter\":");
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).singleElement().satisfies(d -> {
            assertThat(d.payload()).isEqualTo("<ticket><id>T-3</id></ticket>");
            assertThat(d.errorMessage()).contains("text/xml");
            assertThat(d.connectionId()).isEqualTo("acme-probe");
        });
    }

    @Test
    void anUnparseableFormBodyIsKeptAsTheJsonItDecodesToSoThatItsReplayReadsTheSame() throws Exception {
        HttpResponse<String> response = post(FORM, "ticket=T-4&event=updated", HubFixture.PROBE_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).singleElement().satisfies(d -> {
            assertThat(d.payload()).isEqualTo("{\"ticket\":\"T-4\",\"event\":\"updated\"}");
            assertThat(d.errorMessage()).contains(FORM);
        });
    }

    @Test
    void aDeliveryTheVendorSendsAgainIsAcknowledgedButNotProcessedTwice() throws Exception {
        HttpResponse<String> first = post("application/json", "{\"id\": \"T-5\"}", HubFixture.PROBE_KEY, "d-1");
        HttpResponse<String> again = post("application/json", "{\"id\": \"T-5\"}", HubFixture.PROBE_KEY, "d-1");
        HttpResponse<String> forged = post("application/json", "{\"id\": \"T-5\"}", "guess", "d-2");
        HttpResponse<String> next = post("application/json", "{\"id\": \"T-5\"}", HubFixture.PROBE_KEY, "d-2");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).contains("\"hints\":1");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\":true").contains("\"hints\":0");
        // an unauthenticated call never spends a delivery id
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(next.statusCode()).isEqualTo(202);
    }

    private HttpResponse<String> post(String contentType, String body, String secret) throws Exception {
        return post(contentType, body, secret, null);
    }

    private HttpResponse<String> post(String contentType, String body, String secret, String delivery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port() + HOOK));
        if (delivery != null) {
            b.header("X-Probe-Delivery", delivery);
        }
        return http.send(b
                .header("Content-Type", contentType).header("X-Probe-Secret", secret)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
