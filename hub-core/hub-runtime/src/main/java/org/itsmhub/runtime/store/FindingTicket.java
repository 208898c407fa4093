package org.itsmhub.runtime.store;

import java.time.Instant;

/**
 * A row of {@code finding_tickets}: the ticket that stands for one group of findings now.
 *
 * @param id               0 for a row not stored yet
 * @param previousTicketId the ticket this one replaced when the problem came back, or null
 * @param priority         P1..P4 as last written
 * @param contentHash      hash of the content the hub last wrote, so unchanged content is never rewritten
 * @param generation       1 for the first ticket of the group, 2 for the one opened when it came back, ...
 * @param flapping         the problem came back soon after the hub closed the ticket; closing again waits longer
 */
public record FindingTicket(long id, String tenantId, String syncId, String groupKey, String ticketConnectionId,
        String ticketId, String ticketUrl, String correlationId, String previousTicketId, Status status,
        String priority, String contentHash, int generation, boolean flapping, Instant openedAt, Instant resolvedAt) {

    /** Who holds the ticket now. */
    public enum Status {
        /** Open; the hub keeps it up to date and resolves it when the problem is verified gone. */
        OPEN,
        /** Resolved by the hub after the problem was verified gone. */
        RESOLVED,
        /** A human resolved or closed it while the problem was still there; the hub respects that. */
        CLOSED_BY_HUMAN,
        /** A human cancelled it (risk accepted); the hub does not reopen it. */
        RISK_ACCEPTED
    }

    public FindingTicket {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notBlank(groupKey, "groupKey");
        Require.notBlank(ticketConnectionId, "ticketConnectionId");
        Require.notBlank(ticketId, "ticketId");
        Require.notBlank(correlationId, "correlationId");
        Require.notNull(status, "status");
        Require.notBlank(priority, "priority");
        Require.notNull(contentHash, "contentHash");
        Require.notNull(openedAt, "openedAt");
    }

    public FindingTicket with(Status newStatus, Instant newResolvedAt) {
        return new FindingTicket(id, tenantId, syncId, groupKey, ticketConnectionId, ticketId, ticketUrl, correlationId,
                previousTicketId, newStatus, priority, contentHash, generation, flapping, openedAt, newResolvedAt);
    }

    public FindingTicket withContent(String newPriority, String newContentHash) {
        return new FindingTicket(id, tenantId, syncId, groupKey, ticketConnectionId, ticketId, ticketUrl, correlationId,
                previousTicketId, status, newPriority, newContentHash, generation, flapping, openedAt, resolvedAt);
    }

    public FindingTicket withFlapping(boolean newFlapping) {
        return new FindingTicket(id, tenantId, syncId, groupKey, ticketConnectionId, ticketId, ticketUrl, correlationId,
                previousTicketId, status, priority, contentHash, generation, newFlapping, openedAt, resolvedAt);
    }
}
