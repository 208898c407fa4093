package org.itsmhub.api.model;

/**
 * The canonical ticket lifecycle. Every vendor status maps onto one of these (per-connection
 * tables handle custom statuses).
 */
public enum TicketStatus {
    NEW, OPEN, IN_PROGRESS, PENDING, RESOLVED, CLOSED, CANCELLED;

    /** Resolved, closed and cancelled tickets need no more work. */
    public boolean isDone() {
        return this == RESOLVED || this == CLOSED || this == CANCELLED;
    }
}
