package org.itsmhub.runtime.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

import io.vertx.core.http.HttpServerRequest;

/**
 * What the hub's HTTP endpoints take from a request and give back in a response.
 *
 * <p>Camel turns request headers <em>and query parameters</em> into message headers and writes message
 * headers back into the response. Left alone, {@code /health/live?Set-Cookie=…} answered with that
 * cookie, and {@code ?Authorization=Bearer …} passed for the admin token. So a response carries only
 * the headers named in {@link #RESPONSE_HEADERS}, which the routes set themselves, and credentials are
 * read from the request's real headers only, never from the message headers.
 */
public final class HttpSurface {

    /** The only headers a hub response may carry besides those Vert.x writes (Content-Length, …). */
    static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "location", "www-authenticate", "retry-after",
            "cache-control");

    private HttpSurface() {
    }

    /** Makes every platform-http endpoint of {@code camel} answer with {@link #RESPONSE_HEADERS} only. */
    public static void install(CamelContext camel) {
        camel.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new ResponseHeaders());
    }

    /** A header of the HTTP request itself (not a query parameter of the same name). */
    static Optional<String> requestHeader(Exchange exchange, String name) {
        return request(exchange).map(r -> r.getHeader(name));
    }

    /**
     * Segment {@code index} of the request path ({@code /webhooks/acme/x}: 1 is {@code webhooks}), decoded.
     * Camel puts path parameters among the message headers after the request's headers, query parameters
     * and form fields of the same name, so a {@code Connection: Upgrade} header or a {@code ?tenant=}
     * changed what {@code {connection}} or {@code {tenant}} read; the path itself cannot be changed so.
     */
    static String pathSegment(Exchange exchange, int index) {
        String path = request(exchange).map(HttpServerRequest::path).orElse("");
        String[] segments = path.split("/", -1);
        return index < segments.length ? java.net.URLDecoder.decode(segments[index], StandardCharsets.UTF_8) : "";
    }

    /** Every header of the HTTP request itself, names as sent. */
    static Map<String, List<String>> requestHeaders(Exchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request(exchange).ifPresent(r -> r.headers().names().forEach(name -> headers.put(name, r.headers().getAll(name))));
        return headers;
    }

    /**
     * The request body. Camel hands a form ({@code x-www-form-urlencoded}, {@code multipart/form-data}) to
     * a route as its decoded fields only, so that body is written again from them, fields in the order sent.
     */
    static byte[] requestBody(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null) {
            return body;
        }
        return request(exchange).filter(r -> !r.formAttributes().isEmpty()).map(r -> {
            if (r.formAttributes().size() == 1 && r.formAttributes().entries().get(0).getValue().isEmpty()) {
                // a lone field without '=': what curl -d '{"json": …}' sends labelled as a form
                return r.formAttributes().entries().get(0).getKey().getBytes(StandardCharsets.UTF_8);
            }
            StringBuilder form = new StringBuilder();
            r.formAttributes().forEach(field -> form.append(form.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)));
            return form.toString().getBytes(StandardCharsets.UTF_8);
        }).orElse(new byte[0]);
    }

    private static Optional<HttpServerRequest> request(Exchange exchange) {
        HttpMessage message = exchange.getIn(HttpMessage.class);
        return Optional.ofNullable(message).map(HttpMessage::getRequest);
    }

    /**
     * Lets request headers in (the routes need the path parameters), except those a response may carry,
     * and lets only the allowed ones out: a route sets each of them itself (Content-Type always).
     */
    private static final class ResponseHeaders extends DefaultHeaderFilterStrategy {

        ResponseHeaders() {
            setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH); // no request sets Camel's own headers
        }

        /** A response header name from the request (or its query) never enters, so it cannot go out again. */
        @Override
        public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
            String name = headerName.toLowerCase(Locale.ROOT);
            return super.applyFilterToExternalHeaders(headerName, headerValue, exchange)
                    || (RESPONSE_HEADERS.contains(name) && !"content-type".equals(name));
        }

        @Override
        public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
            return !RESPONSE_HEADERS.contains(headerName.toLowerCase(Locale.ROOT));
        }
    }
}
