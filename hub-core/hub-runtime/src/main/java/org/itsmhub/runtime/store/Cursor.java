package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * How far the hub has read one stream of one connection.
 *
 * @param stream what is being read, e.g. {@code tickets} or {@code comments}
 * @param value  opaque to the hub: the connector decides what it means (a timestamp, a token, ...)
 */
public record Cursor(String tenantId, String connectionId, String stream, String value, Instant updatedAt) {
}
