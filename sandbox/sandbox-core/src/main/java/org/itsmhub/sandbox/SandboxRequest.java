package org.itsmhub.sandbox;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request to a sandbox, as the vendor handler sees it.
 *
 * @param method  HTTP method, upper case
 * @param path    the decoded path, without query
 * @param query   query parameters, decoded, in order
 * @param headers headers; look up with {@link #header(String)}, which ignores case
 * @param body    raw body
 */
public record SandboxRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, byte[] body) {

    public SandboxRequest {
        TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> ci.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(ci);
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        body = body == null ? new byte[0] : body;
    }

    /** Builds a request from a method, a URL as received ({@code /path?query}), headers and body. */
    public static SandboxRequest of(String method, String url, Map<String, List<String>> headers, byte[] body) {
        URI uri = URI.create(url);
        Map<String, List<String>> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new SandboxRequest(method, uri.getPath(), query, headers, body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the path matches a pattern with {@code {name}} segments, e.g. {@code /api/v2/tickets/{id}}. */
    public Optional<Map<String, String>> match(String method, String pattern) {
        if (!this.method.equalsIgnoreCase(method)) {
            return Optional.empty();
        }
        String[] want = pattern.split("/");
        String[] have = path.split("/");
        if (want.length != have.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                params.put(want[i].substring(1, want[i].length() - 1), have[i]);
            } else if (!want[i].equals(have[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
