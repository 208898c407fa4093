package org.itsmhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorSandboxTest {

    /** A counter API: GET /count answers how many times it was called; seeds are recorded. */
    static final class CounterSandbox extends VendorSandbox {
        int calls;
        final List<SandboxOptions.Seed> seeded = new ArrayList<>();

        CounterSandbox(SandboxOptions options) {
            super(options, Clock.systemUTC());
        }

        @Override
        public String vendor() {
            return "counter";
        }

        @Override
        protected void seed(SandboxOptions.Seed seed) {
            seeded.add(seed);
        }

        @Override
        protected SandboxResponse handle(SandboxRequest request) {
            if (request.method().equals("POST")) {
                return SandboxResponse.json(201, "{\"received\":" + request.body().length + "}");
            }
            if (request.match("GET", "/items/{id}").isPresent()) {
                return SandboxResponse.json(200, "{\"id\":\"" + request.match("GET", "/items/{id}").get().get("id")
                        + "\",\"q\":\"" + request.queryParam("q").orElse("") + "\"}");
            }
            calls++;
            return SandboxResponse.json(200, "{\"calls\":" + calls + "}");
        }

        @Override
        protected SandboxResponse withRateLimitHeaders(SandboxResponse response, int limit, int remaining) {
            return response.withHeader("X-RateLimit-Remaining", Integer.toString(remaining));
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private VendorSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLongRunningSandboxKeepsOnlyItsNewestRequestsSoItsHeapDoesNotGrowWithEveryCall() throws Exception {
        // the demo and the sandbox command run for hours; an unbounded journal grew the heap ~1 MB a minute
        sandbox = new CounterSandbox(SandboxOptions.defaults().withJournalLimit(5));
        sandbox.start();
        for (int i = 1; i <= 12; i++) {
            get("/items/" + i);
        }

        assertThat(sandbox.wiremock().getAllServeEvents()).hasSize(5)
                .extracting(e -> e.getRequest().getUrl()).contains("/items/12").doesNotContain("/items/7");
    }

    @Test
    void aTestSandboxKeepsItsWholeJournalForAssertions() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults());
        sandbox.start();
        for (int i = 1; i <= 12; i++) {
            get("/items/" + i);
        }

        assertThat(sandbox.wiremock().getAllServeEvents()).hasSize(12);
    }

    @Test
    void everyRequestReachesTheVendorHandlerWithPathParametersAndDecodedQuery() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults());
        sandbox.start();

        assertThat(get("/count").body()).isEqualTo("{\"calls\":1}");
        assertThat(get("/count").body()).isEqualTo("{\"calls\":2}");
        assertThat(get("/items/42?q=a%20b").body()).isEqualTo("{\"id\":\"42\",\"q\":\"a b\"}");
        assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:");
    }

    /**
     * What CXF's JDK HttpClient does with a large body: HTTP/2 preferred (an h2c upgrade offer on
     * http) and no Content-Length (chunked on HTTP/1.1). A real server accepts it whole.
     */
    @Test
    void aBodyOfUnknownLengthSentByAClientPreferringHttp2ArrivesWhole() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults());
        sandbox.start();
        HttpClient preferringHttp2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        for (int size : new int[] {1_000, 64 * 1024}) {
            byte[] body = "x".repeat(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            HttpResponse<String> response = preferringHttp2.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                    + "/items")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.body()).isEqualTo("{\"received\":" + size + "}");
        }
        assertThat(sandbox.wiremock().getAllServeEvents()).extracting(e -> e.getRequest().getBody().length)
                .containsExactlyInAnyOrder(1_000, 64 * 1024);
    }

    @Test
    void wireMocksRequestJournalShowsWhatWasSent() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults());
        sandbox.start();
        get("/count");

        HttpResponse<String> journal = get("/__admin/requests");

        assertThat(journal.statusCode()).isEqualTo(200);
        assertThat(journal.body()).contains("\"url\" : \"/count\"");
    }

    @Test
    void overTheRateLimitTheVendorsOwn429IsAnswered() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withRateLimit(2, Duration.ofMinutes(1)));
        sandbox.start();

        assertThat(get("/count").headers().firstValue("X-RateLimit-Remaining")).contains("1");
        assertThat(get("/count").headers().firstValue("X-RateLimit-Remaining")).contains("0");
        HttpResponse<String> limited = get("/count");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    }

    @Test
    void injectedFaultsAnswerWithTheVendorsServerErrorOrABrokenBody() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withFaults(1.0, Set.of(Fault.SERVER_ERROR)));
        sandbox.start();
        assertThat(get("/count").statusCode()).isEqualTo(503);
        sandbox.close();

        sandbox = new CounterSandbox(SandboxOptions.defaults().withFaults(1.0, Set.of(Fault.MALFORMED_BODY)));
        sandbox.start();
        HttpResponse<String> broken = get("/count");
        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(broken.body()).startsWith("{").doesNotEndWith("}");
    }

    @Test
    void latencyIsAddedToEveryAnswer() throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withLatency(Duration.ofMillis(300)));
        sandbox.start();

        long start = System.nanoTime();
        get("/count");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void seedsAreLoadedBeforeTheServerStartsAndMayCarryAQualifier() {
        CounterSandbox counter = new CounterSandbox(SandboxOptions.defaults().withSeeds(List.of(
                SandboxOptions.Seed.parse("tickets.json"), SandboxOptions.Seed.parse("incident=snow.json"))));
        sandbox = counter;
        sandbox.start();

        assertThat(counter.seeded).extracting(SandboxOptions.Seed::qualifier).containsExactly(null, "incident");
    }

    /** Serves one file at GET /file, keeping at most 16 bytes of any body in the journal. */
    static final class FileSandbox extends VendorSandbox {
        final Path file;

        FileSandbox(Path file) {
            super(SandboxOptions.defaults(), Clock.systemUTC());
            this.file = file;
        }

        @Override
        public String vendor() {
            return "files";
        }

        @Override
        protected void seed(SandboxOptions.Seed seed) {
        }

        @Override
        protected SandboxResponse handle(SandboxRequest request) {
            return SandboxResponse.file(200, Map.of("Content-Type", "application/octet-stream"), file);
        }

        @Override
        protected Integer maxLoggedResponseSize() {
            return 16;
        }
    }

    @Test
    void aFileBodyIsSentWholeAndTheJournalKeepsOnlyItsBeginning(@TempDir Path tmp) throws Exception {
        String content = "0123456789abcdef-and-much-more ".repeat(10_000);
        sandbox = new FileSandbox(Files.writeString(tmp.resolve("body.bin"), content));
        sandbox.start();

        HttpResponse<String> response = get("/file");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(response.body()).isEqualTo(content);
        assertThat(sandbox.wiremock().getAllServeEvents()).singleElement()
                .satisfies(e -> assertThat(e.getResponse().getBodyAsString()).isEqualTo("0123456789abcdef"));
    }

    @Test
    void aResponseHasATextBodyOrABodyFileNotBoth() {
        assertThatThrownBy(() -> new SandboxResponse(200, Map.of(), "text", Path.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SandboxResponse.json(200, "{}").bodyFile()).isNull();
        assertThat(SandboxResponse.file(200, Map.of(), Path.of("x")).withHeader("A", "b").bodyFile())
                .isEqualTo(Path.of("x"));
    }

    @Test
    void inHttpsModeAClientTrustingOnlyTheWrittenTrustStoreTalksToTheSandbox(@TempDir Path tmp) throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withTls(tmp));
        sandbox.start();
        SandboxCertificate cert = sandbox.certificate().orElseThrow();

        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(cert.trustStore())) {
            trust.load(in, SandboxCertificate.STORE_PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        HttpClient trusting = HttpClient.newBuilder().sslContext(context).build();

        assertThat(sandbox.baseUrl()).startsWith("https://127.0.0.1:");
        HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/items/7?q=x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"id\":\"7\",\"q\":\"x\"}");
        assertThat(sandbox.wiremock().getAllServeEvents()).hasSize(1);
        assertThat(Files.readString(cert.pem())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(cert.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(cert.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
    }

    @Test
    void inHttpsModeAClientWithoutTheCertificateIsRefusedAndPlainHttpIsNotServed(@TempDir Path tmp) throws Exception {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withTls(tmp));
        sandbox.start();

        assertThatThrownBy(() -> get("/count")).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        String plain = sandbox.baseUrl().replace("https://", "http://");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(plain + "/count"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        assertThat(((CounterSandbox) sandbox).calls).isZero();
    }

    @Test
    void eachStartInHttpsModeMakesANewCertificate(@TempDir Path tmp) {
        sandbox = new CounterSandbox(SandboxOptions.defaults().withTls(tmp));
        sandbox.start();
        String first = sandbox.certificate().orElseThrow().sha256Fingerprint();
        sandbox.close();
        sandbox = new CounterSandbox(SandboxOptions.defaults().withTls(tmp));
        sandbox.start();

        assertThat(sandbox.certificate().orElseThrow().sha256Fingerprint()).isNotEqualTo(first);
        assertThat(sandbox.certificate().orElseThrow().pem()).isEqualTo(tmp.resolve("counter-sandbox.pem"));
    }

    @Test
    void aPlainSandboxHasNoCertificate() {
        sandbox = new CounterSandbox(SandboxOptions.defaults());
        sandbox.start();
        assertThat(sandbox.certificate()).isEmpty();
        assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:");
    }
}
