package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * Two records in different systems kept in step by one sync.
 *
 * @param versionA last synced version or content hash of side A; null until first synced
 * @param versionB the same for side B
 * @param correlationId id that ties this pair to its log lines and outbox entries; may be null
 */
public record Link(
        long id,
        String tenantId,
        String syncId,
        RecordKind kind,
        RecordRef sideA,
        RecordRef sideB,
        String correlationId,
        String versionA,
        String versionB,
        Instant createdAt,
        Instant updatedAt) {
}
