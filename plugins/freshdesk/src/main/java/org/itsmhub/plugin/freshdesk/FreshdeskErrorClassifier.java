package org.itsmhub.plugin.freshdesk;

import java.time.Clock;
import java.util.stream.Collectors;

import org.itsmhub.plugin.freshdesk.dto.FreshdeskError;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.json.JsonCodec;

/**
 * Freshdesk failures in the hub's error hierarchy; reads Freshdesk's error envelope
 * ({@code {"description":"Validation failed","errors":[{"field","message","code"}]}} or
 * {@code {"code","message"}}) into the message.
 */
final class FreshdeskErrorClassifier extends HttpErrorClassifier {

    FreshdeskErrorClassifier(Clock clock) {
        super("Freshdesk", clock, FreshdeskConnectorConfig.BASE_URL, FreshdeskConnectorConfig.API_KEY);
    }

    @Override
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return super.vendorMessage(body);
        }
        try {
            FreshdeskError error = JsonCodec.mapper().readValue(trimmed, FreshdeskError.class);
            StringBuilder sb = new StringBuilder();
            if (error.description() != null) {
                sb.append(error.description());
            }
            if (error.errors() != null && !error.errors().isEmpty()) {
                sb.append(sb.isEmpty() ? "" : ": ").append(error.errors().stream()
                        .map(e -> (e.field() == null ? "" : e.field() + ": ") + e.message()
                                + (e.code() == null ? "" : " (" + e.code() + ")"))
                        .collect(Collectors.joining("; ")));
            }
            if (error.message() != null) {
                sb.append(sb.isEmpty() ? "" : "; ").append(error.message());
                if (error.code() != null) {
                    sb.append(" (").append(error.code()).append(')');
                }
            }
            return sb.isEmpty() ? super.vendorMessage(body) : sb.toString();
        } catch (java.io.IOException | RuntimeException notTheEnvelope) {
            return super.vendorMessage(body);
        }
    }
}
