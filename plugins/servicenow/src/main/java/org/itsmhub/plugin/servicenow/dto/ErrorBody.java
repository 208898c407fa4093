package org.itsmhub.plugin.servicenow.dto;

import java.util.Optional;

import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Table API error envelope {@code {"error":{"message":"...","detail":"..."},"status":"failure"}}.
 *
 * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_RESTAPI.html">REST API status codes</a>
 */
public record ErrorBody(String message, String detail, String status) {

    /** The envelope, when {@code body} is one. */
    public static Optional<ErrorBody> parse(String body) {
        if (body == null || !body.strip().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode root = JsonCodec.mapper().readTree(body);
            JsonNode error = root.path("error");
            if (!error.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new ErrorBody(text(error, "message"), text(error, "detail"), text(root, "status")));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** "message: detail", or whichever of the two is there. */
    public String summary() {
        if (message == null || message.isBlank()) {
            return detail == null ? "" : detail;
        }
        return detail == null || detail.isBlank() ? message : message + ": " + detail;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
