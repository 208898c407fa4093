package org.itsmhub.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A stateful fake of one vendor's API on 127.0.0.1, built on an embedded WireMock server so that
 * WireMock's admin API ({@code /__admin/requests}) shows tests exactly what the hub sent.
 *
 * <p>Every request other than {@code /__admin/...} goes to {@link #handle(SandboxRequest)}, which a
 * vendor sandbox implements over its own in-memory state. Before that, the sandbox applies the
 * options: the rate limit (the vendor's own 429 from {@link #rateLimited}), injected faults and
 * latency. Handlers are called one at a time, so vendor state needs no further locking.
 */
public abstract class VendorSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VendorSandbox.class);
    private static final String TRANSFORMER = "itsmhub-sandbox";
    private static final String FILE_BODY = "itsmhub-sandbox-file-body";
    private static final String FILE_PARAMETER = "file";

    private final SandboxOptions options;
    private final Clock clock;
    private final Random dice;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private WireMockServer server;
    private SandboxCertificate certificate;

    protected VendorSandbox(SandboxOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.dice = new Random(options.randomSeed());
    }

    /** The vendor id, e.g. {@code freshdesk}. */
    public abstract String vendor();

    /** Loads one seed file in the vendor's own list-response format. */
    protected abstract void seed(SandboxOptions.Seed seed);

    /** Answers one request of the vendor API, as the vendor would. */
    protected abstract SandboxResponse handle(SandboxRequest request);

    /** The vendor's answer when its rate limit is exceeded; by default 429 with {@code Retry-After}. */
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return SandboxResponse.json(429, "{\"message\":\"Too many requests\"}")
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    /** The vendor's 5xx answer for an injected server error. */
    protected SandboxResponse serverError() {
        return SandboxResponse.json(503, "{\"message\":\"Service unavailable\"}");
    }

    /**
     * Adds the vendor's rate-limit headers to a normal answer, given the window's limit and what is
     * left; by default none. Only called when a rate limit is set.
     */
    protected SandboxResponse withRateLimitHeaders(SandboxResponse response, int limit, int remaining) {
        return response;
    }

    /**
     * At most this many bytes of each response body are kept in WireMock's request journal, or null
     * for WireMock's default (all of it). A sandbox that sends large {@link SandboxResponse#file}
     * bodies sets it, so that the journal never holds a download.
     *
     * @since 0.1.0 (issue 4: Nessus export downloads)
     */
    protected Integer maxLoggedResponseSize() {
        return null;
    }

    /**
     * The credentials the sandbox accepts, in one line for the person starting it (they are
     * sandbox-only values, not secrets); empty when it accepts any.
     */
    public String credentials() {
        return "";
    }

    /**
     * The endpoints this sandbox serves, in dispatch order; docs/sandbox.md shows them as a table
     * generated from this list. Empty only for a sandbox that still routes by hand.
     *
     * @since 0.3 (issue 16)
     */
    public SandboxRoutes routes() {
        return new SandboxRoutes();
    }

    /** Starts the server and loads the seeds. */
    public final synchronized void start() {
        options.seeds().forEach(this::seed);
        // Jetty's h2c upgrade drops a request body sent with the upgrade offer (RST_STREAM, an empty
        // or cut body), and the JDK HttpClient offers the upgrade on every http request. Real
        // vendors speak HTTP/2 only over TLS and ignore the offer, so the sandbox does too.
        WireMockConfiguration config = wireMockConfig().bindAddress("127.0.0.1")
                .http2PlainDisabled(true)
                .extensions(new Transformer(), new FileBody());
        if (options.tls()) {
            certificate = SandboxCertificate.create(vendor(), options.tlsDirectory());
            config.httpDisabled(true).httpsPort(options.port())
                    .keystorePath(certificate.keyStore().toString()).keystoreType("PKCS12")
                    .keystorePassword(SandboxCertificate.STORE_PASSWORD)
                    .keyManagerPassword(SandboxCertificate.STORE_PASSWORD);
        } else {
            config.port(options.port());
        }
        if (options.journalLimit() > 0) {
            config.maxRequestJournalEntries(options.journalLimit());
        }
        if (maxLoggedResponseSize() != null) {
            config.maxLoggedResponseSize(maxLoggedResponseSize());
        }
        server = new WireMockServer(config);
        server.start();
        server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withTransformers(TRANSFORMER)));
        LOG.info("{} sandbox listening on {} (admin API: {}/__admin)", vendor(), baseUrl(), baseUrl());
    }

    public final int port() {
        return certificate != null ? server.httpsPort() : server.port();
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://...} in https mode. */
    public final String baseUrl() {
        return (certificate != null ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /**
     * The certificate the sandbox serves in https mode, with the paths of its PEM and trust store;
     * empty for plain http.
     */
    public final java.util.Optional<SandboxCertificate> certificate() {
        return java.util.Optional.ofNullable(certificate);
    }

    /** The underlying WireMock server, e.g. to read its request journal. */
    public final WireMockServer wiremock() {
        return server;
    }

    public SandboxOptions options() {
        return options;
    }

    protected Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private synchronized ResponseDefinition answer(Request request) {
        SandboxResponse response;
        Integer remaining = null;
        if (options.rateLimit() > 0) {
            Instant now = clock.instant();
            Instant windowStart = now.minus(options.rateLimitWindow());
            while (!recent.isEmpty() && recent.peekFirst().isBefore(windowStart)) {
                recent.pollFirst();
            }
            if (recent.size() >= options.rateLimit()) {
                Duration wait = Duration.between(now, recent.peekFirst().plus(options.rateLimitWindow()));
                return build(rateLimited(wait), null);
            }
            recent.addLast(now);
            remaining = options.rateLimit() - recent.size();
        }
        if (options.faultRate() > 0 && !options.faults().isEmpty() && dice.nextDouble() < options.faultRate()) {
            List<Fault> faults = new ArrayList<>(options.faults());
            Fault fault = faults.get(dice.nextInt(faults.size()));
            switch (fault) {
                case SERVER_ERROR:
                    return build(serverError(), null);
                case TIMEOUT:
                    return aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)
                            .withFixedDelay(5_000).build();
                case MALFORMED_BODY:
                    return build(SandboxResponse.json(200, "{\"truncated\": [ {\"id\": 1,"), null);
                default:
                    throw new IllegalStateException("unknown fault " + fault);
            }
        }
        try {
            response = handle(SandboxRequest.of(request.getMethod().getName(), request.getUrl(), headers(request),
                    request.getBody()));
        } catch (RuntimeException e) {
            LOG.warn("{} sandbox failed on {} {}: {}", vendor(), request.getMethod(), request.getUrl(), e.toString());
            response = SandboxResponse.json(500, "{\"message\":\"sandbox error: "
                    + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}");
        }
        if (remaining != null) {
            response = withRateLimitHeaders(response, options.rateLimit(), remaining);
        }
        return build(response, options.latency());
    }

    private static ResponseDefinition build(SandboxResponse response, Duration latency) {
        ResponseDefinitionBuilder b = aResponse().withStatus(response.status());
        if (response.bodyFile() != null) {
            b.withTransformers(FILE_BODY).withTransformerParameter(FILE_PARAMETER, response.bodyFile().toString());
        } else {
            b.withBody(response.body());
        }
        response.headers().forEach(b::withHeader);
        if (latency != null && !latency.isZero()) {
            b.withFixedDelay((int) latency.toMillis());
        }
        return b.build();
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader h : request.getHeaders().all()) {
            headers.put(h.key(), h.values());
        }
        return headers;
    }

    /** Sends a {@link SandboxResponse#file} body: a stream opened on the file each time WireMock reads the body. */
    private static final class FileBody implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            Path file = Path.of(serveEvent.getResponseDefinition().getTransformerParameters().getString(FILE_PARAMETER));
            return Response.Builder.like(response).but().body(() -> open(file)).build();
        }

        private static InputStream open(Path file) {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return FILE_BODY;
        }
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            return answer(serveEvent.getRequest());
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }
}
