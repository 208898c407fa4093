package org.itsmhub.api.connector;

/**
 * An opaque position in a stream of changes, owned by the connector that made it. The hub stores
 * it and hands it back unchanged; only the connector reads it (a timestamp, a page token, a scan id).
 *
 * @param value the connector's encoding; never null
 * @since 0.1
 */
public record Cursor(String value) {

    public Cursor {
        if (value == null) {
            throw new IllegalArgumentException("cursor value must not be null");
        }
    }

    public static Cursor of(String value) {
        return new Cursor(value);
    }
}
