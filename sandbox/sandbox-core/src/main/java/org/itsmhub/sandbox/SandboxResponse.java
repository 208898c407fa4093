package org.itsmhub.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sandbox answers.
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param body    body text (JSON for every vendor here), may be empty
 */
public record SandboxResponse(int status, Map<String, String> headers, String body) {

    public SandboxResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    /** A JSON answer. */
    public static SandboxResponse json(int status, String body) {
        return new SandboxResponse(status, Map.of("Content-Type", "application/json; charset=utf-8"), body);
    }

    /** An empty answer, e.g. 204. */
    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, Map.of(), "");
    }

    /** The same answer with one more header. */
    public SandboxResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new SandboxResponse(status, more, body);
    }
}
