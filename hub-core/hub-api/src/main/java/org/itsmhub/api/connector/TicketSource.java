package org.itsmhub.api.connector;

import java.util.List;
import java.util.Optional;

import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.Ticket;

/**
 * Reads tickets from a ticket system.
 *
 * <p>Reads are incremental: {@link #readChanges} returns tickets changed since the cursor, one page
 * at a time. A connector may return a ticket again (overlapping windows are normal to avoid losing
 * changes at a boundary); the hub detects unchanged records itself.
 *
 * @since 0.1
 */
public interface TicketSource {

    /**
     * One page of tickets changed at or after the cursor's position that match the filter. Comments
     * may be left out ({@link Ticket#comments()} empty) when the vendor lists them separately; the
     * hub then asks {@link #comments(String)}.
     */
    Page<Ticket> readChanges(ReadRequest request);

    /** One ticket by the vendor's id, or empty when it does not exist or is no longer readable. */
    Optional<Ticket> fetch(String id);

    /** Every comment of a ticket, oldest first. */
    List<Comment> comments(String ticketId);
}
