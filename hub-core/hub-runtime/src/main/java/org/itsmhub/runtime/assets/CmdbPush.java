package org.itsmhub.runtime.assets;

import java.time.Instant;

import org.itsmhub.api.model.ExternalRef;

/**
 * What the hub last pushed of one register asset to one CMDB connection.
 *
 * @param correlationId the id the CMDB item carries, stable per register asset
 * @param pushedVersion the asset version pushed (or found unchanged)
 * @param contentHash   hash of the merged content pushed
 * @param ci            the CMDB item
 * @param staleMarkedAt when the item was marked stale, or null
 */
public record CmdbPush(long assetId, String sinkConnection, String correlationId, long pushedVersion,
        String contentHash, ExternalRef ci, Instant pushedAt, Instant staleMarkedAt) {
}
