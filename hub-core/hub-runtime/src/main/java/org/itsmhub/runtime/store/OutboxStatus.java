package org.itsmhub.runtime.store;

/** Life of an outbox entry: PENDING until a node marks it DONE or FAILED. */
public enum OutboxStatus {
    PENDING, DONE, FAILED
}
