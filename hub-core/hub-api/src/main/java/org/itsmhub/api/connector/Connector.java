package org.itsmhub.api.connector;

import java.time.Instant;
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

    /**
     * Where a first read ({@link ReadRequest#cursor()} null) of this connection's sources starts when
     * it runs at {@code now}: {@code since} when given, else the configured default look-back from
     * {@code now}. Empty when the reads are not bounded by time: the sources read the vendor's whole
     * current state on every cycle and ignore {@code since} (or the connector does not say). Reads use
     * the same start, so the host can tell a user which window a read covered, e.g. when it found
     * nothing. The default returns {@code since}.
     *
     * @param since the requested start, or null for the connector's default
     * @param now   the time of the read
     * @since 0.1
     */
    default Optional<Instant> firstReadStart(Instant since, Instant now) {
        return Optional.ofNullable(since);
    }

    /** Releases HTTP clients, threads and caches. Must not throw. */
    @Override
    void close();
}
