package org.itsmhub.api.connector;

import java.util.List;
import java.util.Optional;

import org.itsmhub.api.config.ConfigProblem;

/**
 * One configured connection to one vendor system, for one tenant.
 *
 * <p>A connector implements one or more capability interfaces ({@link TicketSource},
 * {@link TicketSink}, {@link AssetSource}, {@link FindingSource}, {@link AssetSink},
 * {@link WebhookParser}). The hub finds them with {@link #capability(Class)}.
 *
 * <p>Threading: the hub never calls one connector from two sync runs at once for the same stream,
 * but webhook verification may run concurrently with a sync; implementations keep one shared HTTP
 * client and must be thread-safe. {@link #close()} is called once, at shutdown or when the
 * connection is removed.
 *
 * @since 0.1
 */
public interface Connector extends AutoCloseable {

    /**
     * The cheap live check behind {@code itsm-hub validate --check-connections}: one authenticated
     * read (e.g. "who am I"). Each problem is reported against the key responsible (wrong
     * {@code api.key} → that key; unreachable host → {@code base.url}). Never throws.
     */
    List<ConfigProblem> checkConnection();

    /** This connector as the given capability, if it has it. */
    default <T> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases HTTP clients, threads and caches. Must not throw. */
    @Override
    void close();
}
