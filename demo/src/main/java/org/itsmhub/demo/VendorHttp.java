package org.itsmhub.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls one sandbox the way a person or the vendor's own tools would: its public API with the
 * sandbox's credentials, or its control API under {@code /__sandbox/}. Any answer other than 2xx is
 * an error naming the call (never the credentials).
 */
final class VendorHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String authorization;

    private VendorHttp(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** Basic auth with the given user and password. */
    static VendorHttp basic(String baseUrl, String user, String password) {
        return new VendorHttp(baseUrl, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** No auth: the sandboxes' control APIs. */
    static VendorHttp control(String baseUrl) {
        return new VendorHttp(baseUrl, null);
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "GET " + path);
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(json(body)), "POST " + path);
    }

    JsonNode patch(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", json(body)), "PATCH " + path);
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        request.header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(what + " on " + baseUrl + " answered HTTP " + response.statusCode()
                        + ": " + abbreviate(response.body()));
            }
            String body = response.body();
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(what + " on " + baseUrl + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
