package org.itsmhub.runtime.flow;

import java.time.Duration;
import java.util.Objects;

import org.itsmhub.runtime.store.NodeIdentity;

/**
 * How a node holds the leases of the syncs it runs (see {@link SyncRunner}).
 *
 * @param node      this node's name in lease rows and log lines ({@link NodeIdentity#current()})
 * @param length    how long a lease lasts unless renewed ({@code hub.cluster.lease}); renewed every third of it
 * @param waitLimit how long a cycle waits for another node's lease before its run ends as FAILED
 *                  ({@code hub.cluster.lease-wait})
 */
public record LeaseSettings(String node, Duration length, Duration waitLimit) {

    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WAIT_LIMIT = Duration.ofMinutes(5);

    public LeaseSettings {
        Objects.requireNonNull(node, "node");
        if (length.toMillis() < 3 || waitLimit.isNegative()) {
            throw new IllegalArgumentException("a lease lasts at least 3 ms and a wait is not negative");
        }
    }

    public static LeaseSettings defaults() {
        return new LeaseSettings(NodeIdentity.current(), DEFAULT_LENGTH, DEFAULT_WAIT_LIMIT);
    }

    /** How often a waiting cycle asks whether the lease is free: a tenth of the lease, 100 ms to 1 s. */
    Duration pollInterval() {
        long tenth = length.toMillis() / 10;
        return Duration.ofMillis(Math.max(100, Math.min(1_000, tenth)));
    }
}
