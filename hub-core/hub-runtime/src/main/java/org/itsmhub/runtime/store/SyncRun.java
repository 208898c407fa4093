package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * One execution of a sync.
 *
 * @param endedAt null while RUNNING
 * @param message summary or error; may be null
 */
public record SyncRun(
        long id,
        String tenantId,
        String syncId,
        Instant startedAt,
        Instant endedAt,
        SyncCounts counts,
        SyncRunOutcome outcome,
        String message) {
}
