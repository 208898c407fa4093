package org.itsmhub.plugin.nessus;

import java.time.Clock;

import org.itsmhub.plugin.nessus.dto.NessusError;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.json.JsonCodec;

/** Nessus failures in the hub's error hierarchy; reads Nessus' {@code {"error": "..."}} body into the message. */
final class NessusErrorClassifier extends HttpErrorClassifier {

    NessusErrorClassifier(Clock clock) {
        super("Nessus", clock, NessusConnectorConfig.BASE_URL,
                NessusConnectorConfig.ACCESS_KEY + " and " + NessusConnectorConfig.SECRET_KEY);
    }

    @Override
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                NessusError error = JsonCodec.mapper().readValue(trimmed, NessusError.class);
                if (error.error() != null && !error.error().isBlank()) {
                    return error.error();
                }
            } catch (java.io.IOException | RuntimeException notTheEnvelope) {
                // fall through to the raw body
            }
        }
        return super.vendorMessage(body);
    }
}
