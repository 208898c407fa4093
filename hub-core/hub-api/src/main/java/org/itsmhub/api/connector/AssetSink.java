package org.itsmhub.api.connector;

import java.util.Optional;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;

/**
 * Writes assets to a CMDB.
 *
 * @since 0.1
 */
public interface AssetSink {

    /**
     * Creates the configuration item or updates the one that has this correlation id (or the same
     * serial number), and returns where it lives. Never creates a second item for the same asset.
     */
    ExternalRef upsert(Asset asset, String correlationId);

    /** Marks an item as not seen for a while. Items are never deleted by the hub. */
    void markStale(String id, String reason);

    /** The item the hub wrote with this correlation id, if any. */
    Optional<ExternalRef> findByCorrelationId(String correlationId);
}
