package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;

import okhttp3.Headers;

/**
 * Turns a vendor's HTTP failure into the hub's error hierarchy: 401/403 → authentication (never
 * retried), 408/425/429/5xx and I/O errors → retriable (with the vendor's {@code Retry-After}),
 * 400/409/422 → data, anything else → permanent. Each plugin's {@code <Vendor>ErrorClassifier}
 * extends this and overrides {@link #vendorMessage(String)} to pull the message out of its error
 * envelope, and {@link #retryAfter(Headers)} where the vendor uses other headers.
 *
 * <p>Messages name the vendor, the operation and the status, plus the vendor's own message; never
 * a request header, so never a credential.
 */
public class HttpErrorClassifier {

    private static final int MAX_MESSAGE = 300;

    private final String vendor;
    private final Clock clock;

    public HttpErrorClassifier(String vendor, Clock clock) {
        this.vendor = vendor;
        this.clock = clock;
    }

    /** The error for a non-2xx answer. */
    public ConnectorException classify(String operation, int status, Headers headers, String body) {
        String detail = vendorMessage(body == null ? "" : body);
        String message = vendor + " " + operation + " failed: HTTP " + status
                + (detail.isBlank() ? "" : " " + truncate(detail));
        if (status == 401 || status == 403) {
            return new AuthenticationException(message);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new RetriableException(message, retryAfter(headers).orElse(null), null);
        }
        if (status == 400 || status == 409 || status == 422) {
            return new DataMappingException(message);
        }
        return new ConnectorException(message);
    }

    /** The error for a request that got no answer (timeout, connection refused, reset). */
    public RetriableException io(String operation, IOException e) {
        return new RetriableException(vendor + " " + operation + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + truncate(e.getMessage())), e);
    }

    /** The error for an answer that arrived but could not be read. */
    public DataMappingException malformed(String operation, String what) {
        return new DataMappingException(vendor + " " + operation + " returned a malformed body: " + truncate(what));
    }

    /**
     * The vendor's own error text from an error body; by default the body itself (short bodies
     * only). Plugins override this to read their vendor's error envelope.
     */
    protected String vendorMessage(String body) {
        String trimmed = body.strip();
        return trimmed.startsWith("<") ? "" : trimmed; // an HTML error page helps nobody
    }

    /**
     * How long the vendor asked us to wait: {@code Retry-After} as seconds or as an HTTP date.
     */
    public Optional<Duration> retryAfter(Headers headers) {
        return parseRetryAfter(headers.get("Retry-After"), clock);
    }

    /** Parses a {@code Retry-After} value: delta-seconds or an IMF-fixdate; never negative. */
    public static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    protected String vendor() {
        return vendor;
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
    }
}
