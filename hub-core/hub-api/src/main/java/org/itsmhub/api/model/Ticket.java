package org.itsmhub.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A ticket in canonical form, as read from or written to a ticket system.
 *
 * <p>Build with {@link #builder()}; copy with {@link #toBuilder()}. Only {@code title} and
 * {@code status} are required. Lists and maps are never null (empty instead).
 *
 * @param ref             where it lives; null for a ticket not created anywhere yet
 * @param correlationId   the hub's id that ties twins together, written into the twin on create;
 *                        null on a record the hub never wrote
 * @param title           short summary; never blank
 * @param description     plain-text body, or null
 * @param status          canonical status; never null
 * @param vendorStatus    the vendor's own status name or code, for diagnostics and custom tables
 * @param priority        canonical priority, or null when the vendor has none set
 * @param impact          impact, when the vendor has it
 * @param urgency         urgency, when the vendor has it
 * @param requester       who raised it, or null
 * @param assignee        the person working on it, or null
 * @param assignmentGroup the team or group it is assigned to, or null
 * @param category        vendor category or request type, or null
 * @param createdAt       creation time, or null when unknown
 * @param updatedAt       last change time in the vendor system, or null when unknown
 * @param comments        comments, oldest first
 * @param attributes      further vendor fields a mapping or filter may use (tags, request type,
 *                        company); string values only
 */
public record Ticket(
        ExternalRef ref,
        String correlationId,
        String title,
        String description,
        TicketStatus status,
        String vendorStatus,
        Priority priority,
        Level impact,
        Level urgency,
        Person requester,
        Person assignee,
        String assignmentGroup,
        String category,
        Instant createdAt,
        Instant updatedAt,
        List<Comment> comments,
        Map<String, String> attributes) {

    /**
     * The attribute that holds what the person who resolved the ticket wrote for the customer (e.g.
     * a ServiceNow close note), for connectors that have such a field.
     *
     * @since 0.2
     */
    public static final String RESOLUTION_NOTE = "resolution.note";

    public Ticket {
        Checks.notBlank(title, "title");
        Checks.notNull(status, "status");
        comments = Checks.copy(comments);
        attributes = Checks.copy(attributes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.ref = ref;
        b.correlationId = correlationId;
        b.title = title;
        b.description = description;
        b.status = status;
        b.vendorStatus = vendorStatus;
        b.priority = priority;
        b.impact = impact;
        b.urgency = urgency;
        b.requester = requester;
        b.assignee = assignee;
        b.assignmentGroup = assignmentGroup;
        b.category = category;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.comments = comments;
        b.attributes = attributes;
        return b;
    }

    /** Builder for {@link Ticket}; {@link #build()} validates. */
    public static final class Builder {
        private ExternalRef ref;
        private String correlationId;
        private String title;
        private String description;
        private TicketStatus status = TicketStatus.NEW;
        private String vendorStatus;
        private Priority priority;
        private Level impact;
        private Level urgency;
        private Person requester;
        private Person assignee;
        private String assignmentGroup;
        private String category;
        private Instant createdAt;
        private Instant updatedAt;
        private List<Comment> comments = List.of();
        private Map<String, String> attributes = Map.of();

        private Builder() {
        }

        public Builder ref(ExternalRef v) { this.ref = v; return this; }
        public Builder correlationId(String v) { this.correlationId = v; return this; }
        public Builder title(String v) { this.title = v; return this; }
        public Builder description(String v) { this.description = v; return this; }
        public Builder status(TicketStatus v) { this.status = v; return this; }
        public Builder vendorStatus(String v) { this.vendorStatus = v; return this; }
        public Builder priority(Priority v) { this.priority = v; return this; }
        public Builder impact(Level v) { this.impact = v; return this; }
        public Builder urgency(Level v) { this.urgency = v; return this; }
        public Builder requester(Person v) { this.requester = v; return this; }
        public Builder assignee(Person v) { this.assignee = v; return this; }
        public Builder assignmentGroup(String v) { this.assignmentGroup = v; return this; }
        public Builder category(String v) { this.category = v; return this; }
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        public Builder updatedAt(Instant v) { this.updatedAt = v; return this; }
        public Builder comments(List<Comment> v) { this.comments = v; return this; }
        public Builder attributes(Map<String, String> v) { this.attributes = v; return this; }

        public Ticket build() {
            return new Ticket(ref, correlationId, title, description, status, vendorStatus, priority, impact,
                    urgency, requester, assignee, assignmentGroup, category, createdAt, updatedAt, comments,
                    attributes);
        }
    }
}
