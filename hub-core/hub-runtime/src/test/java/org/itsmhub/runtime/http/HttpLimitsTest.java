package org.itsmhub.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.runtime.testing.ServedHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a caller may hold of the hub's HTTP server: connections, time and bytes (short limits configured). */
class HttpLimitsTest {

    private static final int CAP = 20;

    @TempDir
    Path home;

    private HubFixture fixture;
    private ServedHub hub;
    private HubStore store;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void startHub() throws Exception {
        fixture = new HubFixture(home).httpLimits("header-timeout: 3s, idle-timeout: 5s, request-timeout: 2s, max-connections: "
                + CAP + ", max-body-size: 1024");
        hub = ServedHub.start(fixture.config(HubFixture.acmeProbeTenant("0 0 0 1 1 ? 2099")));
        store = hub.store();
    }

    @AfterEach
    void stopHub() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void halfSentRequestsAreClosedAfterTheHeaderTimeoutAndHealthAnswersWhileTheyHoldTheCap() throws Exception {
        for (int i = 0; i < 3 * CAP; i++) {
            Socket s = new Socket("127.0.0.1", fixture.port());
            s.setSoTimeout(50);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            sockets.add(s);
        }

        // header timeout 3 s: the first awaits see the cap held by half-sent requests, the oldest closed to make room
        await().atMost(Duration.ofSeconds(2)).until(() -> hub.runtime().httpServer().openConnections() == CAP);
        await().atMost(Duration.ofSeconds(2)).until(() -> sockets.stream().filter(HttpLimitsTest::closedByServer).count() >= 2 * CAP);
        HttpResponse<String> health = get("/health/live");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(hub.runtime().httpServer().openConnections()).isLessThanOrEqualTo(CAP);

        await().atMost(Duration.ofSeconds(15)).until(() -> sockets.stream().allMatch(HttpLimitsTest::closedByServer));
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizeWebhookBodyIsRefusedWith413AndNothingOfItIsKept() throws Exception {
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base() + "/webhooks/acme/acme-probe"))
                .header("X-Probe-Secret", HubFixture.PROBE_KEY).POST(HttpRequest.BodyPublishers.ofString("id=T-0"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(base() + "/webhooks/acme/acme-probe"))
                .header("X-Probe-Secret", HubFixture.PROBE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("id=" + "x".repeat(2048))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(store.deadLetters().list("acme", DeadLetterStatus.OPEN, 10)).isEmpty();
        HttpResponse<String> small = http.send(HttpRequest.newBuilder(URI.create(base() + "/webhooks/acme/acme-probe"))
                .header("X-Probe-Secret", HubFixture.PROBE_KEY).POST(HttpRequest.BodyPublishers.ofString("id=T-1"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).as(small.body()).isEqualTo(202);
    }

    @Test
    void requestHeadersOverTheLimitAreRefusedWith431() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/health/live"))
                .header("X-Padding", "p".repeat(HubSettings.Limits.DEFAULT_MAX_HEADER_SIZE)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWhoseBodyNeverArrivesIsCutOffAtTheRequestTimeout() throws Exception {
        Socket s = new Socket("127.0.0.1", fixture.port());
        sockets.add(s);
        s.setSoTimeout(50);
        s.getOutputStream().write(("POST /webhooks/acme/acme-probe HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Probe-Secret: "
                + HubFixture.PROBE_KEY + "\r\nContent-Length: 100\r\n\r\nid=").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();

        await().atMost(Duration.ofSeconds(10)).until(() -> closedByServer(s));
    }

    /** Whether the server closed the socket (end of stream or reset); false while it only stays silent. */
    private static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException silent) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + fixture.port();
    }
}
