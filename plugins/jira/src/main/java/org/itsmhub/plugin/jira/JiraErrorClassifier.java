package org.itsmhub.plugin.jira;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.plugin.jira.dto.ErrorCollection;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.core.JsonProcessingException;

import okhttp3.Headers;

/**
 * Jira failures in the hub's terms. Reads Jira's error envelope and its rate-limit signals
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): a 429 carries
 * {@code Retry-After} and {@code RateLimit-Reason}, quota limits also {@code X-RateLimit-Reset}.
 */
public class JiraErrorClassifier extends HttpErrorClassifier {

    static final String REASON_HEADER = "RateLimit-Reason";

    private final Clock clock;

    public JiraErrorClassifier(Clock clock) {
        super("Jira", clock, JiraConnectorConfig.BASE_URL, JiraConnectorConfig.AUTH_API_TOKEN);
        this.clock = clock;
    }

    @Override
    public ConnectorException classify(String operation, int status, Headers headers, String body) {
        ConnectorException e = super.classify(operation, status, headers, body);
        String reason = headers.get(REASON_HEADER);
        if (e instanceof RetriableException r && reason != null && !reason.isBlank()) {
            return new RetriableException(e.getMessage() + " (" + REASON_HEADER + ": " + reason.strip() + ")",
                    r.retryAfter().orElse(null), null);
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
            ErrorCollection errors = JsonCodec.mapper().readValue(trimmed, ErrorCollection.class);
            List<String> parts = new ArrayList<>();
            if (errors.errorMessages() != null) {
                parts.addAll(errors.errorMessages());
            }
            if (errors.errors() != null) {
                errors.errors().forEach((field, msg) -> parts.add(field + ": " + (msg.isTextual() ? msg.asText() : msg)));
            }
            if (errors.errorMessage() != null) {
                parts.add(errors.errorMessage());
            }
            if (parts.isEmpty() && errors.message() != null) {
                parts.add(errors.message());
            }
            return parts.isEmpty() ? trimmed : String.join("; ", parts);
        } catch (JsonProcessingException notTheEnvelope) {
            return super.vendorMessage(body);
        }
    }

    /** {@code Retry-After} (seconds), else the quota's {@code X-RateLimit-Reset} (an ISO-8601 time). */
    @Override
    public Optional<Duration> retryAfter(Headers headers) {
        Optional<Duration> retryAfter = super.retryAfter(headers);
        return retryAfter.isPresent() ? retryAfter : resetTime(headers.get("X-RateLimit-Reset"));
    }

    /**
     * How long the whole connection pauses after a 429 or an exhausted quota, for the
     * {@code RateLimitInterceptor}. A per-issue write limit ({@code jira-per-issue-on-write}) concerns
     * one issue only, so it does not pause the other calls: the write's own retry-after covers it.
     */
    Optional<Duration> connectionPause(Headers headers) {
        String reason = headers.get(REASON_HEADER);
        if (reason != null && reason.strip().startsWith("jira-per-issue-on-write")) {
            return Optional.of(Duration.ZERO);
        }
        return retryAfter(headers);
    }

    private Optional<Duration> resetTime(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant at = OffsetDateTime.parse(value.strip()).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
