package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * A row of {@code finding_states}: what the findings-to-tickets flow knows of one finding.
 *
 * @param id               0 for a row not stored yet
 * @param key              the finding's stable key
 * @param assetKey         the affected asset's identity as the flow keys it, or null
 * @param groupKey         the ticket group the finding belongs to
 * @param status           ACTIVE until verified gone, then CLEARED
 * @param severity         the latest severity, as the canonical enum's name
 * @param absentCount      consecutive observations that found the problem gone
 * @param lastObservation  the observation last counted (present or absent), so one is never counted twice
 * @param content          the latest finding, as the flow serialised it for the ticket text
 */
public record TrackedFinding(long id, String tenantId, String syncId, String key, String sourceConnectionId,
        String assetKey, String groupKey, Status status, String severity, int absentCount, String lastObservation,
        Instant firstSeen, Instant lastSeen, Instant clearedAt, String content) {

    /** Whether the problem is still there (or not yet verified gone). */
    public enum Status {
        ACTIVE, CLEARED
    }

    public TrackedFinding {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notBlank(key, "key");
        Require.notBlank(sourceConnectionId, "sourceConnectionId");
        Require.notBlank(groupKey, "groupKey");
        Require.notNull(status, "status");
        Require.notBlank(severity, "severity");
        Require.notNull(firstSeen, "firstSeen");
        Require.notNull(lastSeen, "lastSeen");
        Require.notNull(content, "content");
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }
}
