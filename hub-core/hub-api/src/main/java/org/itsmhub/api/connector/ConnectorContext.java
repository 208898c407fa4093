package org.itsmhub.api.connector;

import java.time.Clock;
import java.util.Optional;

import org.itsmhub.api.config.ConnectorConfig;

/**
 * What the hub gives a connector when it creates it.
 *
 * @since 0.1
 */
public interface ConnectorContext {

    /** The tenant this connection belongs to. */
    String tenant();

    /** The connection id, unique within the tenant. */
    String connection();

    /** The validated config of this connection. */
    ConnectorConfig config();

    /** The clock to use for every "now" (tests control it). */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A service the host shares with plugins, by type, when the host offers it: for example the
     * Camel context ({@code org.apache.camel.CamelContext}) for plugins built on a Camel component,
     * or a Micrometer registry. Empty when the host has none of that type.
     */
    default <T> Optional<T> hostService(Class<T> type) {
        return Optional.empty();
    }

    /**
     * Tells the host a credential exactly as this connection sends it: a whole header value such as
     * {@code Basic dXNlcjpzZWNyZXQ=} or {@code Bearer eyJ...}, or a token fetched at run time. The
     * host then masks it (and its URL-encoded form) wherever text leaves the hub: log lines, stored
     * errors and dead letters, API answers, command output. A vendor that echoes the header in an
     * error body would otherwise leak the secret in an encoding the config never held.
     *
     * <p>Call it before the value goes on the wire, each time the value changes; repeating a value
     * is cheap. Thread-safe.
     *
     * @since 0.3
     */
    default void credentialSent(String value) {
    }
}
