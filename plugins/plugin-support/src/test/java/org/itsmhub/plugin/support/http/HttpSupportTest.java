package org.itsmhub.plugin.support.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

class HttpSupportTest {

    @RegisterExtension
    static WireMockExtension vendor = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final HttpErrorClassifier classifier = new HttpErrorClassifier("Acme", Clock.systemUTC());

    private final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConnectorContext context = new ConnectorContext() {
        @Override public String tenant() { return "acme"; }
        @Override public String connection() { return "acme-desk"; }
        @Override public ConnectorConfig config() { return null; }
        @Override public void credentialSent(String value) { sent.add(value); }
    };

    private HttpExecutor executor(RateLimitInterceptor rateLimit) {
        OkHttpClient client = VendorHttpClients.forConnection("acme",
                AuthInterceptors.basic(context, "agent@example.com", Secret.of("p4ssw0rd")), rateLimit,
                HttpTimeouts.Values.defaults());
        return new HttpExecutor(client, classifier);
    }

    private Request request(String path) {
        return new Request.Builder().url(vendor.baseUrl() + path).build();
    }

    @Test
    void sendsBasicAuthAndReadsASuccessfulBody() {
        vendor.stubFor(get("/api/me").willReturn(aResponse().withStatus(200).withBody("{\"id\":1}")));

        String body = executor(null).execute("who am I", request("/api/me"), r -> r.body().string());

        assertThat(body).isEqualTo("{\"id\":1}");
        vendor.verify(getRequestedFor(urlPathEqualTo("/api/me"))
                .withHeader("Authorization", equalTo("Basic YWdlbnRAZXhhbXBsZS5jb206cDRzc3cwcmQ="))
                .withHeader("User-Agent", equalTo("itsm-hub (acme connector)")));
    }

    @Test
    void eachAuthInterceptorReportsTheHeaderValueExactlyAsSentBeforeSendingIt() {
        vendor.stubFor(get("/api/me").willReturn(aResponse().withStatus(200)));
        AtomicInteger token = new AtomicInteger();
        for (Interceptor auth : List.of(AuthInterceptors.basic(context, "agent@example.com", Secret.of("p4ssw0rd")),
                AuthInterceptors.bearer(context, () -> Secret.of("tok-" + token.incrementAndGet())),
                AuthInterceptors.header(context, "X-ApiKeys", Secret.of("accessKey=ak-1; secretKey=sk-2")))) {
            new HttpExecutor(VendorHttpClients.forConnection("acme", auth, null, HttpTimeouts.Values.defaults()),
                    classifier).execute("who am I", request("/api/me"), r -> null);
        }
        // a refreshed token is reported when it is first used
        new HttpExecutor(VendorHttpClients.forConnection("acme", AuthInterceptors.bearer(context,
                () -> Secret.of("tok-" + token.incrementAndGet())), null, HttpTimeouts.Values.defaults()), classifier)
                .execute("who am I", request("/api/me"), r -> null);

        List<String> onTheWire = vendor.getAllServeEvents().stream().map(e -> e.getRequest())
                .map(r -> r.containsHeader("X-ApiKeys") ? r.getHeader("X-ApiKeys") : r.getHeader("Authorization"))
                .toList();
        assertThat(onTheWire).containsExactlyInAnyOrder("Basic YWdlbnRAZXhhbXBsZS5jb206cDRzc3cwcmQ=", "Bearer tok-1",
                "accessKey=ak-1; secretKey=sk-2", "Bearer tok-2");
        assertThat(sent).containsExactlyInAnyOrderElementsOf(onTheWire);
    }

    @Test
    void authFailuresBecomeAuthenticationExceptionsWithTheVendorsMessage() {
        vendor.stubFor(get("/api/me").willReturn(aResponse().withStatus(401).withBody("{\"message\":\"bad key\"}")));

        assertThatThrownBy(() -> executor(null).execute("who am I", request("/api/me"), r -> null))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Acme who am I failed: HTTP 401 {\"message\":\"bad key\"}")
                .hasMessageNotContaining("p4ssw0rd");
    }

    @Test
    void aRefusedCredentialOrAnUnreachableVendorNamesTheConfigKeyToCheckInOneLine() throws Exception {
        HttpErrorClassifier keyed = new HttpErrorClassifier("Acme", Clock.systemUTC(), "base.url", "api.key");
        vendor.stubFor(get("/api/me").willReturn(aResponse().withStatus(401).withBody("{\"message\":\"bad key\"}")));
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        OkHttpClient client = VendorHttpClients.forConnection("acme", null, null, HttpTimeouts.Values.defaults());
        HttpExecutor http = new HttpExecutor(client, keyed);

        assertThatThrownBy(() -> http.execute("who am I", request("/api/me"), r -> null))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Acme who am I failed: HTTP 401 {\"message\":\"bad key\"}; check api.key");
        assertThatThrownBy(() -> http.execute("who am I", new Request.Builder().url("http://127.0.0.1:" + closed + "/api/me")
                .build(), r -> null))
                .isInstanceOf(RetriableException.class)
                .hasMessageStartingWith("Acme who am I failed: ConnectException ")
                .hasMessageEndingWith("; check base.url")
                .hasMessageNotContaining("\n");
        assertThat(keyed.io("create record", new java.io.IOException("IOException invoking http://x/api?a=b: Received "
                + "RST_STREAM: Stream cancelled", new java.io.IOException("Received RST_STREAM: Stream cancelled"))))
                .hasMessage("Acme create record failed: IOException Received RST_STREAM: Stream cancelled");
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriableWithRetryAfter() {
        vendor.stubFor(get("/api/slow").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        vendor.stubFor(get("/api/down").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "12")));

        assertThatThrownBy(() -> executor(null).execute("list", request("/api/slow"), r -> null))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ZERO));
        assertThatThrownBy(() -> executor(null).execute("list", request("/api/down"), r -> null))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(12)));
    }

    @Test
    void validationErrorsAreDataErrorsAndUnreachableHostsAreRetriable() {
        vendor.stubFor(get("/api/bad").willReturn(aResponse().withStatus(422).withBody("invalid status")));

        assertThatThrownBy(() -> executor(null).execute("update", request("/api/bad"), r -> null))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("invalid status");
        Request nowhere = new Request.Builder().url("http://127.0.0.1:1/api").build();
        assertThatThrownBy(() -> executor(null).execute("list", nowhere, r -> null))
                .isInstanceOf(RetriableException.class).hasMessageStartingWith("Acme list failed: ");
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        assertThat(HttpErrorClassifier.parseRetryAfter("30", clock)).contains(Duration.ofSeconds(30));
        assertThat(HttpErrorClassifier.parseRetryAfter("Fri, 27 Nov 2026 10:01:00 GMT", clock))
                .contains(Duration.ofMinutes(1));
        assertThat(HttpErrorClassifier.parseRetryAfter("soon", clock)).isEmpty();
        assertThat(HttpErrorClassifier.parseRetryAfter("-5", clock)).contains(Duration.ZERO);
    }

    @Test
    void afterTheVendorSaysNoRequestsRemainTheNextRequestWaitsForTheReset() {
        vendor.stubFor(get("/api/list").willReturn(aResponse().withStatus(200).withBody("[]")
                .withHeader("X-RateLimit-Remaining", "0").withHeader("Retry-After", "1")));
        RateLimitInterceptor rateLimit = RateLimitInterceptor.builder("acme").remainingHeader("X-RateLimit-Remaining")
                .build();
        HttpExecutor executor = executor(rateLimit);

        executor.execute("list", request("/api/list"), r -> null);
        Instant blockedUntil = rateLimit.blockedUntil();
        long start = System.nanoTime();
        executor.execute("list", request("/api/list"), r -> null);

        assertThat(blockedUntil).isAfter(Instant.now().minusSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void loggedUrlsHideCredentialQueryParameters() {
        HttpUrl url = HttpUrl.get("https://user:pw@vendor.example.com/api?api_key=abc123&page=2");

        assertThat(RedactingLoggingInterceptor.redact(url))
                .isEqualTo("https://vendor.example.com/api?api_key=%5Bhidden%5D&page=2")
                .doesNotContain("abc123").doesNotContain("pw");
    }

    @Test
    void vendorMessagesFromHtmlErrorPagesAreDropped() {
        assertThat(classifier.classify("list", 502, Headers.of(), "<html><body>Bad gateway</body></html>"))
                .hasMessage("Acme list failed: HTTP 502");
    }

    @Test
    void anAnswerLargerThanTheConnectionsCapFailsThatCallCleanlyAndIsNotRetried() {
        vendor.stubFor(get(urlPathEqualTo("/api/tickets")).willReturn(aResponse().withStatus(200).withBody("[" + "{\"id\":1},".repeat(2000)
                + "{\"id\":2}]")));
        HttpTimeouts.Values capped = new HttpTimeouts.Values(HttpTimeouts.DEFAULT_CONNECT, HttpTimeouts.DEFAULT_READ,
                HttpTimeouts.DEFAULT_CALL, 1024);
        HttpExecutor http = new HttpExecutor(VendorHttpClients.forConnection("acme", null, null, capped), classifier);

        assertThatThrownBy(() -> http.execute("list tickets", request("/api/tickets?per_page=5"), r -> r.body().string()))
                .isInstanceOfSatisfying(ResponseSizeLimit.ResponseTooLargeException.class,
                        e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageStartingWith("acme answer to GET /api/tickets is larger than max.response.size (1 KiB)")
                .hasMessageNotContaining("\n");
        vendor.verify(1, getRequestedFor(urlPathEqualTo("/api/tickets")).withQueryParam("per_page", equalTo("5")));
    }

    @Test
    void anAnswerWithoutALengthIsCutAtTheCapWhileItIsRead() {
        vendor.stubFor(get("/api/stream").willReturn(aResponse().withStatus(200).withBody("x".repeat(64 * 1024))
                .withChunkedDribbleDelay(4, 20)));
        HttpTimeouts.Values capped = new HttpTimeouts.Values(HttpTimeouts.DEFAULT_CONNECT, HttpTimeouts.DEFAULT_READ,
                HttpTimeouts.DEFAULT_CALL, 4096);
        HttpExecutor http = new HttpExecutor(VendorHttpClients.forConnection("acme", null, null, capped), classifier);
        java.util.concurrent.atomic.AtomicLong declared = new java.util.concurrent.atomic.AtomicLong();

        assertThatThrownBy(() -> http.execute("stream", request("/api/stream"), r -> {
            declared.set(r.body().contentLength());
            return r.body().string();
        })).isInstanceOf(ResponseSizeLimit.ResponseTooLargeException.class)
                .hasMessageContaining("more than 4 KiB read");
        assertThat(declared.get()).isEqualTo(-1);
    }

    @Test
    void anAnswerStreamedToAFileIsNotCapped() {
        vendor.stubFor(get(urlPathEqualTo("/api/export")).willReturn(aResponse().withStatus(200).withBody("x".repeat(8192))));
        HttpTimeouts.Values capped = new HttpTimeouts.Values(HttpTimeouts.DEFAULT_CONNECT, HttpTimeouts.DEFAULT_READ,
                HttpTimeouts.DEFAULT_CALL, 1024);
        HttpExecutor http = new HttpExecutor(VendorHttpClients.forConnection("acme", null, null, capped), classifier);

        long read = http.execute("download", ResponseSizeLimit.streamedToFile(new Request.Builder()
                .url(vendor.baseUrl() + "/api/export")).build(), r -> r.body().source().readAll(okio.Okio.blackhole()));

        assertThat(read).isEqualTo(8192);
    }

    @Test
    void theSizeCapIsAKeyOfEveryConnectionWithA32MibDefault() {
        org.itsmhub.api.config.ConfigDef def = HttpTimeouts.define(new org.itsmhub.api.config.ConfigDef());

        assertThat(HttpTimeouts.of(def.parse(java.util.Map.of()).config()).maxResponseBytes())
                .isEqualTo(32L * 1024 * 1024);
        assertThat(HttpTimeouts.of(def.parse(java.util.Map.of("max.response.size", "512KiB")).config())
                .maxResponseBytes()).isEqualTo(512L * 1024);
        assertThat(def.parse(java.util.Map.of("max.response.size", "lots")).problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("max.response.size"));
    }
}
