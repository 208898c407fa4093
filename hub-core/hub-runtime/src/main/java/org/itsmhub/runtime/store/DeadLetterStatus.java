package org.itsmhub.runtime.store;

/**
 * An OPEN dead letter waits for a person or for a later cycle. The others are closed: REPLAYED by
 * a person's replay, RESOLVED by a later cycle that synced the record by itself (the audit log
 * names its run), DISCARDED by a person.
 */
public enum DeadLetterStatus {
    OPEN, REPLAYED, DISCARDED, RESOLVED
}
