package org.itsmhub.api.connector;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;

/**
 * Writes tickets to a ticket system.
 *
 * <p>Creates carry the hub's correlation id inside the create call itself (a correlation field,
 * custom field or tag, as the connector documents), so that {@link #findByCorrelationId} can find
 * a twin even if the hub crashed before it stored the link.
 *
 * @since 0.1
 */
public interface TicketSink {

    /**
     * Creates a ticket and returns where it lives.
     *
     * @param ticket        the content; its {@code ref} is ignored
     * @param correlationId written into the new ticket in the same call
     */
    ExternalRef create(Ticket ticket, String correlationId);

    /**
     * The statuses {@link #create} sets in the create call itself when the ticket has them. For any
     * other status the hub creates the ticket, then moves it with {@link #changeStatus}: one write
     * more. By default only the statuses every system starts a ticket in; a connector whose create
     * call takes a status (ServiceNow's {@code state}, Freshdesk's {@code status}) lists more, and
     * then honours the ticket's status in {@code create}.
     */
    default Set<TicketStatus> statusesOnCreate() {
        return EnumSet.of(TicketStatus.NEW, TicketStatus.OPEN);
    }

    /** Writes only the given fields of {@code ticket} to the existing record {@code id}. */
    void update(String id, Ticket ticket, Set<TicketField> fields);

    /**
     * Moves the ticket to a status, through whatever the vendor needs (a transition, a state code,
     * resolution fields). {@code note} explains the change where the vendor asks for one (e.g. a
     * ServiceNow close note) and may be null.
     */
    void changeStatus(String id, TicketStatus status, String note);

    /** Adds a comment with the given visibility and returns where it lives. */
    ExternalRef addComment(String ticketId, Comment comment);

    /** The ticket the hub created with this correlation id, if any. */
    Optional<Ticket> findByCorrelationId(String correlationId);
}
