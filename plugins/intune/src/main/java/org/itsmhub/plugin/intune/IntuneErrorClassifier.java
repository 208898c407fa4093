package org.itsmhub.plugin.intune;

import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.Headers;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.plugin.intune.dto.IntuneError;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.json.JsonCodec;

/**
 * Intune failures in the hub's error hierarchy. Reads Graph's envelope
 * ({@code {"error":{"code":"InvalidAuthenticationToken","message":...}}}) and the identity platform's
 * ({@code {"error":"invalid_client","error_description":"AADSTS7000215: ..."}}) into the message.
 * A token request refused with 400 ({@code invalid_client}, {@code unauthorized_client}, unknown
 * tenant) is an authentication failure, not a bad record: retrying it cannot help.
 */
final class IntuneErrorClassifier extends HttpErrorClassifier {

    static final String TOKEN_OPERATION = "token request";

    IntuneErrorClassifier(Clock clock) {
        // no credential key: Graph answers 401 to an expired token too, which a new token fixes
        super("Intune", clock, IntuneConnectorConfig.GRAPH_URL, null);
    }

    @Override
    public ConnectorException classify(String operation, int status, Headers headers, String body) {
        ConnectorException e = super.classify(operation, status, headers, body);
        if (TOKEN_OPERATION.equals(operation) && status == 400) {
            return new AuthenticationException(e.getMessage());
        }
        return e;
    }

    @Override
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return super.vendorMessage(body);
        }
        try {
            IntuneError envelope = JsonCodec.mapper().readValue(trimmed, IntuneError.class);
            JsonNode error = envelope.error();
            if (error != null && error.isObject()) {
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                return code.isEmpty() ? message : code + ": " + message;
            }
            if (error != null && error.isTextual()) {
                String description = envelope.errorDescription() == null ? ""
                        : envelope.errorDescription().lines().findFirst().orElse(""); // drop trace and correlation ids
                return error.asText() + (description.isEmpty() ? "" : ": " + description);
            }
            return super.vendorMessage(body);
        } catch (java.io.IOException | RuntimeException notTheEnvelope) {
            return super.vendorMessage(body);
        }
    }
}
