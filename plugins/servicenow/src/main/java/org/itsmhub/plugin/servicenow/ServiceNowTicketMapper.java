package org.itsmhub.plugin.servicenow;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Level;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.itsmhub.plugin.servicenow.dto.JournalEntry;

/**
 * ServiceNow incident records and journal entries ↔ canonical tickets and comments, with the default
 * state and priority tables below, overridden per connection by the {@code status.*.map} and
 * {@code priority.*.map} keys.
 */
final class ServiceNowTicketMapper {

    static final String SYSTEM = "servicenow";

    /** Incident state codes: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled. */
    static final Map<String, TicketStatus> DEFAULT_STATUS_READ = Map.of("1", TicketStatus.NEW, "2",
            TicketStatus.IN_PROGRESS, "3", TicketStatus.PENDING, "6", TicketStatus.RESOLVED, "7", TicketStatus.CLOSED,
            "8", TicketStatus.CANCELLED);

    static final Map<TicketStatus, String> DEFAULT_STATUS_WRITE = new EnumMap<>(Map.of(TicketStatus.NEW, "1",
            TicketStatus.OPEN, "2", TicketStatus.IN_PROGRESS, "2", TicketStatus.PENDING, "3", TicketStatus.RESOLVED,
            "6", TicketStatus.CLOSED, "7", TicketStatus.CANCELLED, "8"));

    /** Priority codes: 1 Critical, 2 High, 3 Moderate, 4 Low, 5 Planning. */
    static final Map<String, Priority> DEFAULT_PRIORITY_READ = Map.of("1", Priority.P1, "2", Priority.P2, "3",
            Priority.P3, "4", Priority.P4, "5", Priority.P4);

    private final String connection;
    private final URI instance;
    private final String table;
    private final Map<String, TicketStatus> statusRead;
    private final Map<TicketStatus, String> statusWrite;
    private final Map<String, Priority> priorityRead;
    private final Map<Priority, Level[]> priorityWrite;
    private final String correlationDisplay;
    private final String closeCode;
    private final String closeNotes;
    private final String holdReason;
    private final boolean authorPrefix;

    ServiceNowTicketMapper(String connection, ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        this.connection = connection;
        this.instance = config.getUrl(ServiceNowConnectorConfig.INSTANCE_URL);
        this.table = config.getString(ServiceNowConnectorConfig.TABLE);
        this.statusRead = new LinkedHashMap<>(DEFAULT_STATUS_READ);
        config.getMap(ServiceNowConnectorConfig.STATUS_READ_MAP).forEach((code, status) ->
                parseStatus(ServiceNowConnectorConfig.STATUS_READ_MAP, status, problems, s -> statusRead.put(code, s)));
        this.statusWrite = new EnumMap<>(DEFAULT_STATUS_WRITE);
        config.getMap(ServiceNowConnectorConfig.STATUS_WRITE_MAP).forEach((status, code) ->
                parseStatus(ServiceNowConnectorConfig.STATUS_WRITE_MAP, status, problems, s -> statusWrite.put(s, code)));
        this.priorityRead = new LinkedHashMap<>(DEFAULT_PRIORITY_READ);
        config.getMap(ServiceNowConnectorConfig.PRIORITY_READ_MAP).forEach((code, p) ->
                parsePriority(ServiceNowConnectorConfig.PRIORITY_READ_MAP, p, problems, v -> priorityRead.put(code, v)));
        this.priorityWrite = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            priorityWrite.put(p, new Level[] {p.defaultImpact(), p.defaultUrgency()});
        }
        config.getMap(ServiceNowConnectorConfig.PRIORITY_WRITE_MAP).forEach((p, levels) ->
                parsePriority(ServiceNowConnectorConfig.PRIORITY_WRITE_MAP, p, problems, v -> {
                    String[] parts = levels.split("\\s*,\\s*");
                    try {
                        priorityWrite.put(v, new Level[] {Level.ofCode(Integer.parseInt(parts[0].trim())),
                                Level.ofCode(Integer.parseInt(parts[1].trim()))});
                    } catch (RuntimeException e) {
                        problems.add(new ConfigProblem(ServiceNowConnectorConfig.PRIORITY_WRITE_MAP + "." + p,
                                "must be \"impact,urgency\" with codes 1-3, was '" + levels + "'"));
                    }
                }));
        this.correlationDisplay = config.findString(ServiceNowConnectorConfig.CORRELATION_DISPLAY).orElse(null);
        this.closeCode = config.getString(ServiceNowConnectorConfig.CLOSE_CODE);
        this.closeNotes = config.getString(ServiceNowConnectorConfig.CLOSE_NOTES);
        this.holdReason = config.findString(ServiceNowConnectorConfig.HOLD_REASON).orElse(null);
        this.authorPrefix = config.getBoolean(ServiceNowConnectorConfig.COMMENT_AUTHOR_PREFIX);
        if (!problems.isEmpty()) {
            throw new InvalidMapping(problems);
        }
    }

    /** The mapping-table problems of a config, for the factory's cross-key validation. */
    static List<ConfigProblem> problems(ConnectorConfig config) {
        try {
            new ServiceNowTicketMapper("check", config);
            return List.of();
        } catch (InvalidMapping e) {
            return e.problems;
        }
    }

    Ticket toTicket(IncidentRecord r) {
        if (r.sysId() == null) {
            throw new DataMappingException("ServiceNow record without sys_id");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        putIfSet(attributes, "number", r.number());
        putIfSet(attributes, "company", r.company());
        putIfSet(attributes, "opened_by", r.openedBy());
        putIfSet(attributes, "correlation_display", r.correlationDisplay());
        putIfSet(attributes, "close_code", r.closeCode());
        putIfSet(attributes, Ticket.RESOLUTION_NOTE, r.closeNotes());
        putIfSet(attributes, "sys_class_name", r.sysClassName());
        String title = firstSet(r.shortDescription(), r.number(), r.sysId());
        return Ticket.builder()
                .ref(ref(r.sysId()))
                .correlationId(r.correlationId())
                .title(title)
                .description(r.description())
                .status(status(r.state()))
                .vendorStatus(r.state())
                .priority(r.priority() == null ? null : priorityRead.get(r.priority()))
                .impact(level(r.impact()))
                .urgency(level(r.urgency()))
                .requester(person(r.callerId()))
                .assignee(person(r.assignedTo()))
                .assignmentGroup(r.assignmentGroup())
                .category(r.category())
                .createdAt(timestamp(r.sysCreatedOn()))
                .updatedAt(timestamp(r.sysUpdatedOn()))
                .attributes(attributes)
                .build();
    }

    Comment toComment(JournalEntry e) {
        Visibility visibility = switch (e.element() == null ? "" : e.element()) {
            case "comments" -> Visibility.PUBLIC;
            case "work_notes" -> Visibility.INTERNAL;
            default -> throw new DataMappingException("ServiceNow journal entry " + e.sysId()
                    + " is neither a comment nor a work note: " + e.element());
        };
        Instant created = timestamp(e.sysCreatedOn());
        if (created == null) {
            throw new DataMappingException("ServiceNow journal entry " + e.sysId() + " has no sys_created_on");
        }
        return new Comment(ExternalRef.of(SYSTEM, connection, e.sysId()),
                e.sysCreatedBy() == null ? null : new Person(e.sysCreatedBy(), null, null),
                e.value() == null ? "" : e.value(), created, visibility);
    }

    /** The body of {@code POST /api/now/table/{table}}, with the correlation id in the same call. */
    Map<String, Object> createBody(Ticket t, String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("short_description", t.title());
        putIfSet(body, "description", t.description());
        putPriority(body, t);
        putIfSet(body, "category", t.category());
        putIfSet(body, "assignment_group", t.assignmentGroup());
        if (t.assignee() != null && ServiceNowQuery.isSysId(t.assignee().id())) {
            body.put("assigned_to", t.assignee().id());
        }
        if (t.requester() != null && ServiceNowQuery.isSysId(t.requester().id())) {
            body.put("caller_id", t.requester().id());
        }
        body.put("correlation_id", ServiceNowQuery.requireLiteral("correlation id", correlationId));
        putIfSet(body, "correlation_display", correlationDisplay);
        if (t.status() != TicketStatus.NEW && t.status() != TicketStatus.OPEN) {
            body.putAll(statusBody(t.status(), null)); // a new incident starts as New: anything else is said here
        }
        return body;
    }

    /** The state code written for a status, as {@link #toTicket} reads it into {@code vendorStatus}. */
    Optional<String> stateFor(TicketStatus status) {
        return Optional.ofNullable(statusWrite.get(status));
    }

    /** The statuses a create can set: New and Open as every incident starts, and every mapped state. */
    Set<TicketStatus> statusesOnCreate() {
        Set<TicketStatus> statuses = EnumSet.of(TicketStatus.NEW, TicketStatus.OPEN);
        statuses.addAll(statusWrite.keySet());
        return statuses;
    }

    /** The body of {@code PATCH}: only the fields asked for. */
    Map<String, Object> updateBody(Ticket t, Set<TicketField> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (TicketField f : fields) {
            switch (f) {
                case TITLE -> body.put("short_description", t.title());
                case DESCRIPTION -> body.put("description", t.description() == null ? "" : t.description());
                case PRIORITY -> putPriority(body, t);
                case CATEGORY -> body.put("category", t.category() == null ? "" : t.category());
                case ASSIGNMENT_GROUP -> body.put("assignment_group",
                        t.assignmentGroup() == null ? "" : t.assignmentGroup());
                case ASSIGNEE -> body.put("assigned_to",
                        t.assignee() != null && ServiceNowQuery.isSysId(t.assignee().id()) ? t.assignee().id() : "");
            }
        }
        return body;
    }

    /** The body that moves a record to a status; resolving and closing need a close code and notes. */
    Map<String, Object> statusBody(TicketStatus status, String note) {
        String code = statusWrite.get(status);
        if (code == null) {
            throw new DataMappingException("no ServiceNow state for status " + status + "; set "
                    + ServiceNowConnectorConfig.STATUS_WRITE_MAP);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", code);
        if (status == TicketStatus.RESOLVED || status == TicketStatus.CLOSED) {
            body.put("close_code", closeCode);
            body.put("close_notes", note == null || note.isBlank() ? closeNotes : note);
        } else if (status == TicketStatus.PENDING && holdReason != null) {
            body.put("hold_reason", holdReason);
        }
        return body;
    }

    /** The journal field a comment goes to, by visibility: never mixed up. */
    static String journalField(Comment c) {
        return c.visibility() == Visibility.INTERNAL ? "work_notes" : "comments";
    }

    /** The text written for a comment: ServiceNow shows the integration user as author, so name the real one. */
    String commentText(Comment c) {
        if (authorPrefix && c.author() != null) {
            return c.author().label() + " wrote:\n\n" + c.body();
        }
        return c.body();
    }

    ExternalRef ref(String sysId) {
        String base = instance.toString().replaceAll("/+$", "");
        return new ExternalRef(SYSTEM, connection, sysId, base + "/" + table + ".do?sys_id=" + sysId);
    }

    TicketStatus status(String state) {
        TicketStatus s = state == null ? null : statusRead.get(state);
        return s != null ? s : TicketStatus.OPEN; // unknown custom states are open work; vendorStatus keeps the code
    }

    static Instant timestamp(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value, ServiceNowQuery.TIMESTAMP.withZone(null)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new DataMappingException("ServiceNow date-time '" + value + "' is not yyyy-MM-dd HH:mm:ss", e);
        }
    }

    private void putPriority(Map<String, Object> body, Ticket t) {
        Level impact = t.impact();
        Level urgency = t.urgency();
        if ((impact == null || urgency == null) && t.priority() != null) {
            Level[] levels = priorityWrite.get(t.priority());
            impact = levels[0];
            urgency = levels[1];
        }
        if (impact != null && urgency != null) {
            body.put("impact", String.valueOf(impact.code()));
            body.put("urgency", String.valueOf(urgency.code()));
        }
    }

    private static Level level(String code) {
        if (code == null) {
            return null;
        }
        try {
            int c = Integer.parseInt(code);
            return c >= 1 && c <= 3 ? Level.ofCode(c) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Person person(String sysId) {
        return sysId == null ? null : new Person(sysId, null, null);
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new DataMappingException("ServiceNow record has neither short_description, number nor sys_id");
    }

    private static <V> void putIfSet(Map<String, V> map, String key, V value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            map.put(key, value);
        }
    }

    private static void parseStatus(String key, String value, List<ConfigProblem> problems,
            java.util.function.Consumer<TicketStatus> sink) {
        try {
            sink.accept(TicketStatus.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(key, "'" + value + "' is not a status (new, open, in_progress, pending, "
                    + "resolved, closed, cancelled)"));
        }
    }

    private static void parsePriority(String key, String value, List<ConfigProblem> problems,
            java.util.function.Consumer<Priority> sink) {
        try {
            sink.accept(Priority.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(key, "'" + value + "' is not a priority (P1-P4)"));
        }
    }

    /** Thrown by the constructor when a mapping table is invalid. */
    static final class InvalidMapping extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient List<ConfigProblem> problems;

        InvalidMapping(List<ConfigProblem> problems) {
            super("invalid ServiceNow mapping tables: " + problems);
            this.problems = List.copyOf(problems);
        }
    }
}
