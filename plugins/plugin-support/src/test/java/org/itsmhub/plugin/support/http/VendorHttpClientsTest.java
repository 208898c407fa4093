package org.itsmhub.plugin.support.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HeldCertificate;

/**
 * {@link VendorHttpClients#shutdown()}, which every plugin's {@code stop()} calls before PF4J closes
 * the plugin's class loader: against an https WireMock on 127.0.0.1 speaking HTTP/2 (as the
 * sandboxes and most vendors do), where each connection has a reader thread of its own.
 */
class VendorHttpClientsTest {

    private static final String HTTP2_READER = "okhttp3.internal.http2.Http2Connection$ReaderRunnable";

    @TempDir
    static Path dir;

    private static HeldCertificate certificate;
    private static WireMockServer vendor;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        certificate = HttpsStubs.certificate("127.0.0.1", "localhost");
        vendor = HttpsStubs.start(certificate, dir.resolve("vendor.p12"));
    }

    @AfterAll
    static void stopHttpsServer() {
        vendor.stop();
    }

    @BeforeEach
    void stub() {
        VendorHttpClients.shutdown(); // a fresh client: other tests in this JVM have pooled connections
        vendor.resetAll();
        vendor.stubFor(get("/api/me").willReturn(aResponse().withStatus(200).withBody("{\"id\":1}")));
    }

    @AfterEach
    void release() {
        VendorHttpClients.shutdown();
    }

    @Test
    void shutdownClosesEveryPooledHttp2ConnectionAndLeavesNoOkHttpThreadRunning() throws IOException {
        OkHttpClient client = connection();
        try (Response response = client.newCall(me()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.protocol()).as("the case that leaked: a reader thread per connection")
                    .isEqualTo(Protocol.HTTP_2);
        }
        assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
        assertThat(http2Readers()).isNotEmpty();

        VendorHttpClients.shutdown();

        assertThat(client.connectionPool().connectionCount()).isZero();
        assertThat(http2Readers()).isEmpty();
        // an idle task runner thread is back to its own name and ends within a minute; a busy one
        // (a reader, a dispatcher worker) carries its task's name
        assertThat(okHttpThreadNames()).allSatisfy(name -> assertThat(name).isEqualTo("OkHttp TaskRunner"));
        vendor.verify(1, getRequestedFor(urlPathEqualTo("/api/me")));
    }

    @Test
    void aConnectionACallStillHoldsIsClosedOnceShutdownHasCancelledTheCall() throws Exception {
        vendor.stubFor(get("/api/slow").willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        OkHttpClient client = connection();
        Call slow = client.newCall(new Request.Builder().url(vendor.baseUrl() + "/api/slow").build());
        CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
            try (Response response = slow.execute()) {
                return response.code();
            } catch (IOException e) {
                return e;
            }
        });
        while (vendor.getAllServeEvents().isEmpty()) { // the request has reached the vendor
            Thread.sleep(10);
        }

        VendorHttpClients.shutdown();

        assertThat(client.connectionPool().connectionCount()).isZero();
        assertThat(http2Readers()).isEmpty();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).as("the call in flight was cancelled").isInstanceOf(IOException.class);
        assertThat(slow.isCanceled()).isTrue();
    }

    @Test
    void aClientMadeAfterShutdownWorksForSynchronousAndQueuedCalls() throws Exception {
        OkHttpClient before = connection();
        try (Response response = before.newCall(me()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        VendorHttpClients.shutdown();

        OkHttpClient after = connection();
        assertThat(after.dispatcher()).isNotSameAs(before.dispatcher());
        try (Response response = after.newCall(me()).execute()) {
            assertThat(response.body().string()).isEqualTo("{\"id\":1}");
        }
        CompletableFuture<Integer> queued = new CompletableFuture<>();
        after.newCall(me()).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    queued.complete(response.code());
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                queued.completeExceptionally(e);
            }
        });
        assertThat(queued.get(30, TimeUnit.SECONDS)).as("the new dispatcher runs queued calls").isEqualTo(200);
        vendor.verify(3, getRequestedFor(urlPathEqualTo("/api/me")));
    }

    private static OkHttpClient connection() {
        HttpTimeouts.Values defaults = HttpTimeouts.Values.defaults();
        return VendorHttpClients.forConnection("acme", null, null, new HttpTimeouts.Values(defaults.connect(),
                defaults.read(), defaults.call(), defaults.maxResponseBytes(), TlsTrust.parse(certificate.certificatePem())));
    }

    private static Request me() {
        return new Request.Builder().url(vendor.baseUrl() + "/api/me").build();
    }

    private static List<String> http2Readers() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(HTTP2_READER)))
                .map(e -> e.getKey().getName())
                .toList();
    }

    private static List<String> okHttpThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("OkHttp")).toList();
    }
}
