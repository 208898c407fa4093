package org.itsmhub.runtime.flow.ticket;

import java.util.Locale;
import java.util.function.Function;

import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;

/** The ticket fields the ticket sync keeps in step, and how each is read from a canonical ticket. */
enum SyncedField {
    TITLE("title", Ticket::title, TicketField.TITLE),
    DESCRIPTION("description", Ticket::description, TicketField.DESCRIPTION),
    STATUS("status", t -> t.status().name(), null),
    PRIORITY("priority", t -> t.priority() == null ? null : t.priority().name(), TicketField.PRIORITY),
    ASSIGNMENT_GROUP("assignment-group", Ticket::assignmentGroup, TicketField.ASSIGNMENT_GROUP);

    private final String parameterName;
    private final Function<Ticket, String> reader;
    private final TicketField ticketField;

    SyncedField(String parameterName, Function<Ticket, String> reader, TicketField ticketField) {
        this.parameterName = parameterName;
        this.reader = reader;
        this.ticketField = ticketField;
    }

    /** The name used in flow parameters ({@code sync-fields}, {@code field-owners}). */
    String parameterName() {
        return parameterName;
    }

    /** The value, normalised so that a vendor's round trip (line endings, trailing blanks) is no change. */
    String valueOf(Ticket ticket) {
        String v = reader.apply(ticket);
        if (v == null) {
            return "";
        }
        return v.replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    /** The sink field this maps to; null for status, which goes through {@code changeStatus}. */
    TicketField ticketField() {
        return ticketField;
    }

    static SyncedField byParameterName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (SyncedField f : values()) {
            if (f.parameterName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown ticket field '" + name + "'; known: title, description, status, "
                + "priority, assignment-group");
    }
}
