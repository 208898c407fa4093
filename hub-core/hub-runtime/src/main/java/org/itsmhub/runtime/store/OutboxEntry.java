package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * A pending or finished write.
 *
 * @param attempts     how many times the entry has been claimed
 * @param claimedBy    node that holds or last held the claim; null if never claimed
 * @param claimedUntil end of that claim's lease; null if never claimed
 * @param result       what {@code markDone} or {@code markFailed} recorded; null while pending
 */
public record OutboxEntry(
        long id,
        String tenantId,
        String syncId,
        String targetConnectionId,
        String operation,
        String idempotencyKey,
        String payload,
        OutboxStatus status,
        int attempts,
        String claimedBy,
        Instant claimedUntil,
        String result,
        Instant createdAt,
        Instant updatedAt) {
}
