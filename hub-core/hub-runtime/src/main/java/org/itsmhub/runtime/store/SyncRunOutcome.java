package org.itsmhub.runtime.store;

/** How a sync run ended; RUNNING until it is finished. */
public enum SyncRunOutcome {
    RUNNING, SUCCEEDED, FAILED, PARTIAL
}
