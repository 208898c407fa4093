package org.itsmhub.runtime.flow;

import java.time.Duration;

import org.itsmhub.runtime.store.SyncRunOutcome;

/**
 * What one sync cycle did.
 *
 * @param tenant   the sync's tenant
 * @param syncId   the sync id
 * @param flow     the route template it runs
 * @param outcome  how it ended: succeeded, partial (some records failed) or failed (the cycle could not complete)
 * @param summary  the counts
 * @param duration wall-clock time
 * @param message  the error that stopped a failed cycle, or null
 */
public record SyncResult(String tenant, String syncId, String flow, SyncRunOutcome outcome, SyncSummary summary,
        Duration duration, String message) {

    /** Whether the cycle ran to the end ({@code SUCCEEDED} or {@code PARTIAL}), even if single records failed. */
    public boolean completed() {
        return outcome == SyncRunOutcome.SUCCEEDED || outcome == SyncRunOutcome.PARTIAL;
    }
}
