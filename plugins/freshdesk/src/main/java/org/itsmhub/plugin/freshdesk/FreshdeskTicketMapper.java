package org.itsmhub.plugin.freshdesk;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversation;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicket;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicketWrite;

/**
 * Freshdesk tickets and conversations ↔ the canonical model, with the default status and priority
 * tables and a connection's overrides.
 */
final class FreshdeskTicketMapper {

    static final String SYSTEM = "freshdesk";
    static final String CORRELATION_TAG_PREFIX = "itsmhub:";

    /** Freshdesk's built-in statuses; codes from 6 on are an account's custom statuses. */
    static final Map<Integer, TicketStatus> DEFAULT_STATUS_READ = Map.of(
            2, TicketStatus.OPEN, 3, TicketStatus.PENDING, 4, TicketStatus.RESOLVED, 5, TicketStatus.CLOSED);
    static final Map<TicketStatus, Integer> DEFAULT_STATUS_WRITE = new EnumMap<>(Map.of(
            TicketStatus.NEW, 2, TicketStatus.OPEN, 2, TicketStatus.IN_PROGRESS, 2, TicketStatus.PENDING, 3,
            TicketStatus.RESOLVED, 4, TicketStatus.CLOSED, 5, TicketStatus.CANCELLED, 5));
    /** 1 Low, 2 Medium, 3 High, 4 Urgent. */
    static final Map<Integer, Priority> DEFAULT_PRIORITY = Map.of(1, Priority.P4, 2, Priority.P3, 3, Priority.P2,
            4, Priority.P1);

    /** Conversation source "forward": sent to a third party, never shown to the requester. */
    private static final int SOURCE_FORWARD = 8;
    private static final Pattern NAMED_ADDRESS = Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^>]+)>\\s*$");

    private final String connection;
    private final String baseUrl;
    private final String correlationMode;
    private final String correlationField;
    private final String defaultRequesterEmail;
    private final Map<Integer, TicketStatus> statusRead;
    private final Map<TicketStatus, Integer> statusWrite;
    private final Map<Integer, Priority> priorityRead;
    private final Map<Priority, Integer> priorityWrite;

    FreshdeskTicketMapper(String connection, String baseUrl, String correlationMode, String correlationField,
            String defaultRequesterEmail, Map<String, String> statusOverrides, Map<String, String> statusWriteOverrides,
            Map<String, String> priorityOverrides) {
        this.connection = connection;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.correlationMode = correlationMode;
        this.correlationField = correlationField;
        this.defaultRequesterEmail = defaultRequesterEmail;
        this.statusRead = new TreeMap<>(DEFAULT_STATUS_READ);
        statusOverrides.forEach((code, status) -> statusRead.put(Integer.parseInt(code.trim()), canonicalStatus(status)));
        this.statusWrite = new EnumMap<>(DEFAULT_STATUS_WRITE);
        statusWriteOverrides.forEach((status, code) -> statusWrite.put(canonicalStatus(status), Integer.parseInt(code.trim())));
        this.priorityRead = new TreeMap<>(DEFAULT_PRIORITY);
        this.priorityWrite = new EnumMap<>(Priority.class);
        DEFAULT_PRIORITY.forEach((code, p) -> priorityWrite.put(p, code));
        priorityOverrides.forEach((code, p) -> {
            int c = Integer.parseInt(code.trim());
            Priority priority = Priority.valueOf(p.trim().toUpperCase(Locale.ROOT));
            priorityRead.put(c, priority);
            priorityWrite.put(priority, c);
        });
    }

    /** Problems with the override tables, reported against their keys; used by the factory's validation. */
    static List<ConfigProblem> checkOverrides(Map<String, String> status, Map<String, String> statusWrite,
            Map<String, String> priority) {
        List<ConfigProblem> problems = new ArrayList<>();
        status.forEach((code, value) -> {
            if (!isCode(code, 2, 999)) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.STATUS_MAP + "." + code,
                        "keys are Freshdesk status codes (2 and up), was '" + code + "'"));
            }
            if (!isStatus(value)) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.STATUS_MAP + "." + code,
                        "must be one of " + List.of(TicketStatus.values()) + ", was '" + value + "'"));
            }
        });
        statusWrite.forEach((name, code) -> {
            if (!isStatus(name)) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.STATUS_WRITE_MAP + "." + name,
                        "keys are canonical statuses " + List.of(TicketStatus.values()) + ", was '" + name + "'"));
            }
            if (!isCode(code, 2, 999)) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.STATUS_WRITE_MAP + "." + name,
                        "must be a Freshdesk status code (2 and up), was '" + code + "'"));
            }
        });
        priority.forEach((code, value) -> {
            if (!isCode(code, 1, 4)) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.PRIORITY_MAP + "." + code,
                        "keys are Freshdesk priority codes 1 to 4, was '" + code + "'"));
            }
            if (!value.trim().toUpperCase(Locale.ROOT).matches("P[1-4]")) {
                problems.add(new ConfigProblem(FreshdeskConnectorConfig.PRIORITY_MAP + "." + code,
                        "must be P1, P2, P3 or P4, was '" + value + "'"));
            }
        });
        return problems;
    }

    // --- reading

    Ticket toTicket(FreshdeskTicket t) {
        String id = t.id().toString();
        Map<String, String> attributes = new LinkedHashMap<>();
        if (t.tags() != null && !t.tags().isEmpty()) {
            attributes.put("tags", String.join(",", t.tags()));
        }
        putIfSet(attributes, "company.id", t.companyId());
        putIfSet(attributes, "group.id", t.groupId());
        putIfSet(attributes, "source", t.source());
        putIfSet(attributes, "requester.id", t.requesterId());
        String type = t.type() != null ? t.type() : t.ticketType();
        String title = t.subject() == null || t.subject().isBlank() ? "Freshdesk ticket #" + id : t.subject();
        return Ticket.builder()
                .ref(ref(id))
                .correlationId(correlationIdOf(t))
                .title(title)
                .description(t.description() != null ? FreshdeskHtml.toText(t.description()) : t.descriptionText())
                .status(statusRead.getOrDefault(t.status(), TicketStatus.OPEN))
                .vendorStatus(t.status().toString())
                .priority(t.priority() == null ? null : priorityRead.get(t.priority()))
                .requester(requesterOf(t))
                .assignee(t.responderId() == null ? null : new Person(t.responderId().toString(), null, null))
                .assignmentGroup(t.groupId() == null ? null : t.groupId().toString())
                .category(type)
                .createdAt(instant(t.createdAt()))
                .updatedAt(instant(t.updatedAt()))
                .attributes(attributes)
                .build();
    }

    Comment toComment(FreshdeskConversation c) {
        return new Comment(
                new ExternalRef(SYSTEM, connection, c.id().toString(),
                        c.ticketId() == null ? null : ticketUrl(c.ticketId().toString())),
                authorOf(c),
                c.body() != null ? FreshdeskHtml.toText(c.body()) : c.bodyText() == null ? "" : c.bodyText(),
                instant(c.createdAt()),
                visibilityOf(c));
    }

    /**
     * Private notes are internal. So are forwards (source 8), which go to third parties and never to
     * the requester. Public notes, replies and incoming customer messages are public.
     */
    static Visibility visibilityOf(FreshdeskConversation c) {
        if (Boolean.TRUE.equals(c.isPrivate()) || (c.source() != null && c.source() == SOURCE_FORWARD)) {
            return Visibility.INTERNAL;
        }
        return Visibility.PUBLIC;
    }

    String correlationIdOf(FreshdeskTicket t) {
        if (FreshdeskConnectorConfig.MODE_TAG.equals(correlationMode)) {
            if (t.tags() == null) {
                return null;
            }
            return t.tags().stream().filter(tag -> tag.startsWith(CORRELATION_TAG_PREFIX))
                    .map(tag -> tag.substring(CORRELATION_TAG_PREFIX.length())).findFirst().orElse(null);
        }
        Map<String, Object> fields = t.customFields() != null ? t.customFields() : t.customFieldLegacy();
        Object value = fields == null ? null : fields.get(correlationField);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    ExternalRef ref(String id) {
        return new ExternalRef(SYSTEM, connection, id, ticketUrl(id));
    }

    private String ticketUrl(String id) {
        return baseUrl + "/a/tickets/" + id;
    }

    private static Person requesterOf(FreshdeskTicket t) {
        FreshdeskTicket.Requester r = t.requester();
        if (r != null && (r.id() != null || r.name() != null || r.email() != null)) {
            return new Person(r.id() != null ? r.id().toString() : t.requesterId() == null ? null
                    : t.requesterId().toString(), r.name(), r.email());
        }
        return t.requesterId() == null ? null : new Person(t.requesterId().toString(), null, null);
    }

    private static Person authorOf(FreshdeskConversation c) {
        String name = null;
        String email = null;
        if (c.fromEmail() != null && !c.fromEmail().isBlank()) {
            Matcher m = NAMED_ADDRESS.matcher(c.fromEmail());
            if (m.matches()) {
                name = m.group(1).isBlank() ? null : m.group(1).trim();
                email = m.group(2).trim();
            } else {
                email = c.fromEmail().trim();
            }
        }
        String id = c.userId() == null ? null : c.userId().toString();
        return id == null && name == null && email == null ? null : new Person(id, name, email);
    }

    // --- writing

    /** The create body: the correlation id goes into the create call itself. */
    FreshdeskTicketWrite toCreate(Ticket ticket, String correlationId) {
        String email = ticket.requester() != null && ticket.requester().email() != null
                && !ticket.requester().email().isBlank() ? ticket.requester().email() : defaultRequesterEmail;
        if (email == null) {
            throw new DataMappingException("Freshdesk needs a requester for a new ticket: the ticket has no requester "
                    + "e-mail and " + FreshdeskConnectorConfig.DEFAULT_REQUESTER_EMAIL + " is not set");
        }
        boolean tagMode = FreshdeskConnectorConfig.MODE_TAG.equals(correlationMode);
        return new FreshdeskTicketWrite(
                ticket.title(),
                textToHtml(ticket.description() == null || ticket.description().isBlank() ? ticket.title()
                        : ticket.description()),
                email,
                statusCode(ticket.status()),
                priorityCode(ticket.priority() == null ? Priority.P4 : ticket.priority()),
                null,
                null,
                null,
                tagMode ? List.of(CORRELATION_TAG_PREFIX + correlationId) : null,
                tagMode ? null : Map.of(correlationField, correlationId));
    }

    /** The update body with only the requested fields. */
    FreshdeskTicketWrite toUpdate(Ticket ticket, Set<TicketField> fields) {
        String subject = null;
        String description = null;
        Integer priority = null;
        String type = null;
        Long responder = null;
        Long group = null;
        for (TicketField field : fields) {
            switch (field) {
                case TITLE -> subject = ticket.title();
                case DESCRIPTION -> description = textToHtml(ticket.description() == null ? "" : ticket.description());
                case PRIORITY -> priority = ticket.priority() == null ? null : priorityCode(ticket.priority());
                case CATEGORY -> type = ticket.category();
                case ASSIGNEE -> responder = numericId(ticket.assignee() == null ? null : ticket.assignee().id(),
                        "assignee (a Freshdesk agent id)");
                case ASSIGNMENT_GROUP -> group = numericId(ticket.assignmentGroup(), "assignment group (a Freshdesk group id)");
                default -> throw new DataMappingException("Freshdesk cannot write the field " + field);
            }
        }
        return new FreshdeskTicketWrite(subject, description, null, null, priority, type, responder, group, null, null);
    }

    int statusCode(TicketStatus status) {
        return statusWrite.get(status);
    }

    /** Every status with a code: the create body carries it. */
    Set<TicketStatus> statusesOnCreate() {
        return EnumSet.copyOf(statusWrite.keySet());
    }

    int priorityCode(Priority priority) {
        return priorityWrite.get(priority);
    }

    // --- helpers

    /** Plain text as the HTML body Freshdesk stores (see {@link FreshdeskHtml}). */
    static String textToHtml(String text) {
        return FreshdeskHtml.toHtml(text);
    }

    /** A readable text version of an HTML body, for when Freshdesk sent no {@code *_text} field. */
    static String htmlToText(String html) {
        return FreshdeskHtml.toText(html);
    }

    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new DataMappingException("Freshdesk timestamp '" + value + "' is not ISO-8601", e);
        }
    }

    private static Long numericId(String id, String what) {
        if (id == null || !id.matches("\\d{1,19}")) {
            throw new DataMappingException("Freshdesk needs a numeric id for the " + what + ", was '" + id + "'");
        }
        return Long.parseLong(id);
    }

    private static void putIfSet(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private static TicketStatus canonicalStatus(String name) {
        return TicketStatus.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    private static boolean isStatus(String name) {
        try {
            canonicalStatus(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isCode(String value, int min, int max) {
        try {
            int code = Integer.parseInt(value.trim());
            return code >= min && code <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
