package org.itsmhub.runtime.store;

/**
 * How a sync run ended; RUNNING until it is finished. ABANDONED: its node lost the sync's lease
 * (frozen, partitioned or killed past the lease's end) and stopped, or never came back; another
 * node took the sync over.
 */
public enum SyncRunOutcome {
    RUNNING, SUCCEEDED, FAILED, PARTIAL, ABANDONED
}
