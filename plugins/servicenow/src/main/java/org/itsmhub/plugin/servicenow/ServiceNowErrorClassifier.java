package org.itsmhub.plugin.servicenow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.itsmhub.plugin.servicenow.dto.ErrorBody;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;

import okhttp3.Headers;

/**
 * ServiceNow failures in the hub's terms. Reads the error envelope
 * {@code {"error":{"message","detail"},"status":"failure"}} and, on 429, {@code Retry-After} or else
 * {@code X-RateLimit-Reset} (UTC epoch seconds).
 */
public class ServiceNowErrorClassifier extends HttpErrorClassifier {

    private final Clock clock;

    public ServiceNowErrorClassifier(Clock clock) {
        super("ServiceNow", clock, ServiceNowConnectorConfig.INSTANCE_URL, ServiceNowConnectorConfig.AUTH_PASSWORD);
        this.clock = clock;
    }

    @Override
    protected String vendorMessage(String body) {
        return ErrorBody.parse(body).map(ErrorBody::summary).orElseGet(() -> super.vendorMessage(body));
    }

    @Override
    public Optional<Duration> retryAfter(Headers headers) {
        Optional<Duration> retryAfter = super.retryAfter(headers);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        String reset = headers.get("X-RateLimit-Reset");
        if (reset == null) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
