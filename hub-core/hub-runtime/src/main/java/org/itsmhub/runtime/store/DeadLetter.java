package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * A record the hub could not sync, kept for a person to replay or discard.
 *
 * @param attempts     how many failures were recorded while the letter was open
 * @param errorMessage the latest failure's message
 * @param errorType    the latest failure's type; may be null
 * @param resolvedAt   when it was replayed, resolved or discarded; null while OPEN
 */
public record DeadLetter(
        long id,
        String tenantId,
        String syncId,
        String connectionId,
        String recordRef,
        String payload,
        String errorMessage,
        String errorType,
        int attempts,
        Instant firstFailureAt,
        Instant lastFailureAt,
        DeadLetterStatus status,
        Instant resolvedAt) {
}
