package org.itsmhub.plugin.jira;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.jira.dto.EntityProperty;
import org.itsmhub.plugin.jira.dto.Issue;
import org.itsmhub.plugin.jira.dto.IssueComment;
import org.itsmhub.plugin.jira.dto.IssueFields;
import org.itsmhub.plugin.jira.dto.Status;
import org.itsmhub.plugin.jira.dto.User;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Jira issues and comments ↔ canonical tickets and comments. Status maps by name through the
 * connection's {@code status.map}, then the default name table, then by status category
 * ({@code new} / {@code indeterminate} / {@code done}); priority by name through {@code priority.map}
 * and the defaults.
 */
final class JiraTicketMapper {

    static final String SYSTEM = "jira";

    /** Default Jira status names (lower case) → canonical status; JSM's default workflows included. */
    static final Map<String, TicketStatus> DEFAULT_STATUS = Map.ofEntries(
            Map.entry("to do", TicketStatus.NEW),
            Map.entry("new", TicketStatus.NEW),
            Map.entry("open", TicketStatus.OPEN),
            Map.entry("waiting for support", TicketStatus.OPEN),
            Map.entry("reopened", TicketStatus.OPEN),
            Map.entry("in progress", TicketStatus.IN_PROGRESS),
            Map.entry("work in progress", TicketStatus.IN_PROGRESS),
            Map.entry("escalated", TicketStatus.IN_PROGRESS),
            Map.entry("waiting for customer", TicketStatus.PENDING),
            Map.entry("waiting for approval", TicketStatus.PENDING),
            Map.entry("pending", TicketStatus.PENDING),
            Map.entry("resolved", TicketStatus.RESOLVED),
            Map.entry("done", TicketStatus.RESOLVED),
            Map.entry("closed", TicketStatus.CLOSED),
            Map.entry("canceled", TicketStatus.CANCELLED),
            Map.entry("cancelled", TicketStatus.CANCELLED),
            Map.entry("declined", TicketStatus.CANCELLED));

    /** Default Jira priority names (lower case) → canonical priority: Cloud's five and Server's five. */
    static final Map<String, Priority> DEFAULT_PRIORITY = Map.of(
            "highest", Priority.P1, "high", Priority.P2, "medium", Priority.P3, "low", Priority.P4,
            "lowest", Priority.P4,
            "blocker", Priority.P1, "critical", Priority.P2, "major", Priority.P3, "minor", Priority.P4,
            "trivial", Priority.P4);

    /** Default priority names written for each canonical priority (Jira Cloud's defaults). */
    static final Map<Priority, String> DEFAULT_PRIORITY_NAME = Map.of(
            Priority.P1, "Highest", Priority.P2, "High", Priority.P3, "Medium", Priority.P4, "Low");

    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final String connection;
    private final Map<String, TicketStatus> statusOverrides = new HashMap<>();
    private final Map<String, Priority> priorityOverrides = new HashMap<>();
    private final Map<Priority, String> priorityNames = new HashMap<>(DEFAULT_PRIORITY_NAME);
    private final String requestTypeField;
    private final String correlationField;
    private final Function<String, String> browseUrl;

    JiraTicketMapper(String connection, Map<String, String> statusMap, Map<String, String> priorityMap,
            Map<String, String> priorityWriteMap, String requestTypeField, String correlationField,
            Function<String, String> browseUrl) {
        this.connection = connection;
        statusMap.forEach((name, status) -> statusOverrides.put(lower(name), TicketStatus.valueOf(status.strip())));
        priorityMap.forEach((name, p) -> priorityOverrides.put(lower(name), Priority.valueOf(p.strip())));
        priorityWriteMap.forEach((p, name) -> priorityNames.put(Priority.valueOf(p.strip()), name));
        this.requestTypeField = requestTypeField;
        this.correlationField = correlationField;
        this.browseUrl = browseUrl;
    }

    /** The fields a read asks for. */
    List<String> fields() {
        List<String> f = new ArrayList<>(List.of("summary", "description", "status", "priority", "assignee",
                "reporter", "created", "updated", "labels", "project", "resolution", "issuetype", requestTypeField));
        if (correlationField != null) {
            f.add(correlationField);
        }
        return f;
    }

    Ticket toTicket(Issue issue) {
        if (issue.key() == null || issue.key().isBlank()) {
            throw new DataMappingException("Jira issue without a key (id " + issue.id() + ")");
        }
        IssueFields f = fields(issue);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("jira.id", issue.id() == null ? "" : issue.id());
        if (f.project() != null && f.project().key() != null) {
            attributes.put("project", f.project().key());
        }
        if (f.labels() != null && !f.labels().isEmpty()) {
            attributes.put("labels", String.join(",", f.labels()));
        }
        if (f.resolution() != null && f.resolution().name() != null) {
            attributes.put("resolution", f.resolution().name());
        }
        if (f.status() != null && f.status().statusCategory() != null && f.status().statusCategory().key() != null) {
            attributes.put("status.category", f.status().statusCategory().key());
        }
        String requestTypeId = null;
        String category = f.issuetype() == null ? null : f.issuetype().name();
        JsonNode requestType = issue.fields().path(requestTypeField).path("requestType");
        if (requestType.isObject()) {
            requestTypeId = requestType.path("id").asText(null);
            category = requestType.path("name").asText(category);
            attributes.put("request.type", requestTypeId == null ? "" : requestTypeId);
        }
        String correlationId = correlation(issue, f);
        return Ticket.builder()
                .ref(new ExternalRef(SYSTEM, connection, issue.key(), browseUrl.apply(issue.key())))
                .correlationId(correlationId)
                .title(f.summary() == null || f.summary().isBlank() ? issue.key() : f.summary())
                .description(AdfText.toText(f.description()))
                .status(status(f.status()))
                .vendorStatus(f.status() == null ? null : f.status().name())
                .priority(f.priority() == null ? null : priority(f.priority().name()).orElse(null))
                .requester(person(f.reporter()))
                .assignee(person(f.assignee()))
                .category(category)
                .createdAt(time(f.created()))
                .updatedAt(time(f.updated()))
                .attributes(attributes)
                .build();
    }

    /** The request type id of an issue, or null. */
    String requestTypeId(Issue issue) {
        return issue.fields() == null ? null
                : issue.fields().path(requestTypeField).path("requestType").path("id").asText(null);
    }

    static IssueFields fields(Issue issue) {
        if (issue.fields() == null || !issue.fields().isObject()) {
            throw new DataMappingException("Jira issue " + issue.key() + " has no fields object");
        }
        try {
            return JsonCodec.mapper().treeToValue(issue.fields(), IssueFields.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new DataMappingException("Jira issue " + issue.key() + " has unexpected fields: "
                    + e.getMessage(), e);
        }
    }

    private String correlation(Issue issue, IssueFields f) {
        if (correlationField != null) {
            JsonNode v = issue.fields().path(correlationField);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        if (f.labels() != null) {
            for (String label : f.labels()) {
                if (label.startsWith(JiraConnector.LABEL_PREFIX)) {
                    return label.substring(JiraConnector.LABEL_PREFIX.length());
                }
            }
        }
        return null;
    }

    /** The canonical status of a Jira status: override table, default names, then the category. */
    TicketStatus status(Status status) {
        if (status == null) {
            return TicketStatus.NEW;
        }
        String name = lower(status.name());
        TicketStatus byName = statusOverrides.get(name);
        if (byName == null) {
            byName = DEFAULT_STATUS.get(name);
        }
        if (byName != null) {
            return byName;
        }
        return switch (category(status)) {
            case "new" -> TicketStatus.NEW;
            case "indeterminate" -> TicketStatus.IN_PROGRESS;
            case "done" -> TicketStatus.RESOLVED;
            default -> TicketStatus.OPEN;
        };
    }

    /** The status category key, with the older keys of some sites normalised. */
    static String category(Status status) {
        String key = status == null || status.statusCategory() == null ? "" : lower(status.statusCategory().key());
        return switch (key) {
            case "in-flight" -> "indeterminate";
            case "completed" -> "done";
            default -> key;
        };
    }

    /** The category a canonical status lives in. */
    static String categoryOf(TicketStatus status) {
        return switch (status) {
            case NEW, OPEN -> "new";
            case IN_PROGRESS, PENDING -> "indeterminate";
            case RESOLVED, CLOSED, CANCELLED -> "done";
        };
    }

    Optional<Priority> priority(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Priority p = priorityOverrides.get(lower(name));
        return Optional.ofNullable(p != null ? p : DEFAULT_PRIORITY.get(lower(name)));
    }

    String priorityName(Priority priority) {
        return priorityNames.get(priority);
    }

    Comment toComment(String issueKey, IssueComment c) {
        Instant created = time(c.created() == null ? null : JsonCodec.mapper().getNodeFactory().textNode(c.created()));
        if (created == null) {
            throw new DataMappingException("Jira comment " + c.id() + " on " + issueKey + " has no created time");
        }
        String body = AdfText.toText(c.body());
        ExternalRef ref = c.id() == null ? null
                : new ExternalRef(SYSTEM, connection, issueKey + "/" + c.id(),
                        browseUrl.apply(issueKey) + "?focusedCommentId=" + c.id());
        return new Comment(ref, person(c.author()), body == null ? "" : body, created,
                isInternal(c) ? Visibility.INTERNAL : Visibility.PUBLIC);
    }

    /**
     * Internal when JSM says so: {@code jsdPublic: false}, or the {@code sd.public.comment} property
     * {@code {"internal": true}}; a comment restricted to a role or group is internal too.
     */
    static boolean isInternal(IssueComment c) {
        for (EntityProperty p : c.properties()) {
            if ("sd.public.comment".equals(p.key()) && p.value() != null
                    && p.value().path("internal").asBoolean(false)) {
                return true;
            }
        }
        return Boolean.FALSE.equals(c.jsdPublic());
    }

    static Person person(User user) {
        if (user == null) {
            return null;
        }
        String id = user.accountId() != null ? user.accountId() : user.name();
        if (isBlank(id) && isBlank(user.displayName()) && isBlank(user.emailAddress())) {
            return null;
        }
        return new Person(id, user.displayName(), user.emailAddress());
    }

    /** Jira times: {@code 2021-01-17T12:34:00.000+0000}, ISO offsets, or epoch millis. */
    static Instant time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, JIRA_TIME).toInstant();
        } catch (DateTimeParseException notJiraFormat) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new DataMappingException("Jira time '" + text + "' is not in a known format", e);
            }
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
