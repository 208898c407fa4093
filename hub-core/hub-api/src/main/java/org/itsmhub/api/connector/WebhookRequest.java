package org.itsmhub.api.connector;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An inbound HTTP call from a vendor, exactly as received (the raw body matters for signatures).
 *
 * @param method  HTTP method
 * @param headers header values by name; look up with {@link #header(String)}, which ignores case
 * @param query   query parameters
 * @param body    the raw body bytes
 * @since 0.1
 */
public record WebhookRequest(String method, Map<String, List<String>> headers, Map<String, List<String>> query,
        byte[] body) {

    public WebhookRequest {
        TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> ci.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(ci);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body.clone();
    }

    /** The first value of a header, ignoring case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
