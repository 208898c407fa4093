package org.itsmhub.api.error;

/**
 * Base of the small unchecked error hierarchy that connectors throw.
 *
 * <p>Each plugin classifies its vendor's failures into one of the subclasses (typically in a
 * {@code <Vendor>ErrorClassifier}); the hub then decides whether to retry, dead-letter or stop.
 * A plain {@code ConnectorException} is treated as permanent for the record at hand.
 *
 * <p>Messages must never contain secrets: no tokens, passwords, API keys or authorization headers.
 */
public class ConnectorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConnectorException(String message) {
        super(message);
    }

    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConnectorException(Throwable cause) {
        super(cause);
    }

    /** Whether the hub may try the same call again later. */
    public boolean isRetriable() {
        return false;
    }
}
