package org.itsmhub.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may go away by itself: timeouts, I/O errors, HTTP 408, 429 and 5xx.
 *
 * <p>When the vendor said how long to wait (for example a {@code Retry-After} header), the
 * connector passes it as {@link #retryAfter()}; the hub waits at least that long before the next
 * attempt and otherwise backs off exponentially.
 */
public class RetriableException extends ConnectorException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetriableException(String message) {
        this(message, null, null);
    }

    public RetriableException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public RetriableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the vendor asked us to wait, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
