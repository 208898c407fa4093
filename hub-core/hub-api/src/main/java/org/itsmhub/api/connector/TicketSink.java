package org.itsmhub.api.connector;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * Moves the ticket to a status and shows the other system's resolution note where this vendor
     * shows one (a public reply, a resolution comment, ServiceNow's close notes), as the connection's
     * configuration says. By default the resolution note, when there is one, replaces {@code note}.
     *
     * @param note           the hub's own note on the change (for agents), or null
     * @param resolutionNote what the person who resolved the ticket on the other system wrote (e.g. a
     *                       ServiceNow close note), ending in the hub's invisible marker; null when
     *                       there is none or the status is not a done status
     * @since 0.2
     */
    default void changeStatus(String id, TicketStatus status, String note, String resolutionNote) {
        changeStatus(id, status, resolutionNote != null ? resolutionNote : note);
    }

    /**
     * The vendor status, as {@link Ticket#vendorStatus()} reads it, that {@link #changeStatus} sets
     * for {@code status}, when the configuration alone decides it; empty when it depends on the
     * record (a workflow transition). The hub skips a status change to a record that already shows
     * that vendor status (two canonical statuses may share one vendor status, e.g. Freshdesk has
     * no "in progress"), so a note never announces a change that did not happen.
     *
     * @since 0.2
     */
    default Optional<String> vendorStatusFor(TicketStatus status) {
        return Optional.empty();
    }

    /** Adds a comment with the given visibility and returns where it lives. */
    ExternalRef addComment(String ticketId, Comment comment);

    /** The ticket the hub created with this correlation id, if any. */
    Optional<Ticket> findByCorrelationId(String correlationId);

    /**
     * The tickets the hub created with any of these correlation ids, keyed by correlation id; ids
     * with no twin are absent. Where two tickets carry one id (a create retried after a timeout) the
     * oldest is the twin. The hub calls this once per page of source records it has no link for,
     * before creating their twins, so a lost or restored store never duplicates a twin.
     *
     * <p>The default asks {@link #findByCorrelationId} once per id; a connector whose vendor can
     * match many values in one query (ServiceNow {@code correlation_idIN}, Jira JQL {@code in (...)},
     * Freshdesk search with {@code OR}) overrides it with as few calls as the vendor's query limits
     * allow, so a first sync costs about one read more per page, not one per ticket.
     *
     * @param correlationIds at most a page of ids (the hub never passes more than 100)
     * @since 0.3
     */
    default Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
        Map<String, Ticket> found = new LinkedHashMap<>();
        for (String id : correlationIds) {
            findByCorrelationId(id).ifPresent(t -> found.put(id, t));
        }
        return found;
    }
}
