package org.itsmhub.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sandbox answers.
 *
 * @param status   HTTP status
 * @param headers  response headers
 * @param body     body text (JSON for every vendor here), may be empty
 * @param bodyFile a file sent as the body instead, streamed from disk when the answer is sent (never
 *                 read into memory, nor kept in WireMock's request journal beyond
 *                 {@link VendorSandbox#maxLoggedResponseSize()}); null for a text body
 */
public record SandboxResponse(int status, Map<String, String> headers, String body, Path bodyFile) {

    public SandboxResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
        if (bodyFile != null && !body.isEmpty()) {
            throw new IllegalArgumentException("a response has a text body or a body file, not both");
        }
    }

    /** A text answer. */
    public SandboxResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, null);
    }

    /** A JSON answer. */
    public static SandboxResponse json(int status, String body) {
        return new SandboxResponse(status, Map.of("Content-Type", "application/json; charset=utf-8"), body);
    }

    /** An empty answer, e.g. 204. */
    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, Map.of(), "");
    }

    /**
     * An answer whose body is the content of {@code file}, streamed from disk when it is sent: for
     * downloads that can be far larger than the heap.
     *
     * @since 0.1.0 (issue 4: Nessus export downloads)
     */
    public static SandboxResponse file(int status, Map<String, String> headers, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        return new SandboxResponse(status, headers, "", file);
    }

    /** The same answer with one more header. */
    public SandboxResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new SandboxResponse(status, more, body, bodyFile);
    }
}
