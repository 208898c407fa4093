package org.itsmhub.sandbox.jira;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One issue of the sandbox: its JSON as Jira returns it, its comments and its entity properties. */
final class JiraIssue {

    static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    final ObjectNode json;
    final List<ObjectNode> comments = new ArrayList<>();
    final Map<String, JsonNode> properties = new LinkedHashMap<>();
    /** When the status last changed; null while it is the status the issue was seeded or created with. */
    Instant statusChangedAt;

    JiraIssue(ObjectNode json) {
        this.json = json;
    }

    String key() {
        return json.path("key").asText();
    }

    String id() {
        return json.path("id").asText();
    }

    ObjectNode fields() {
        return (ObjectNode) json.path("fields");
    }

    String project() {
        String key = key();
        int dash = key.lastIndexOf('-');
        return dash < 0 ? key : key.substring(0, dash);
    }

    long number() {
        String key = key();
        try {
            return Long.parseLong(key.substring(key.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Instant updatedAt() {
        return time(fields().path("updated"));
    }

    Instant createdAt() {
        Instant created = time(fields().path("created"));
        return created.equals(Instant.EPOCH) ? updatedAt() : created;
    }

    /** When the issue reached its current status (JSM's {@code currentStatus.statusDate}). */
    Instant statusDate() {
        return statusChangedAt != null ? statusChangedAt : createdAt();
    }

    /** Marks a change: {@code updated} moves forward, at least by a millisecond. */
    void touch(Instant now) {
        Instant before = updatedAt();
        Instant at = now.isAfter(before) ? now : before.plusMillis(1);
        fields().put("updated", JIRA_TIME.format(at));
    }

    List<String> projectValues() {
        List<String> values = new ArrayList<>(List.of(project()));
        JsonNode p = fields().path("project");
        for (String f : List.of("key", "id", "name")) {
            if (p.path(f).isTextual()) {
                values.add(p.path(f).asText());
            }
        }
        return values;
    }

    List<String> text(String field) {
        String t = JqlQuery.plain(fields().path(field));
        return t == null ? List.of() : List.of(t);
    }

    List<String> named(String field) {
        JsonNode n = fields().path(field);
        return n.path("name").isTextual() ? List.of(n.path("name").asText(), n.path("id").asText(""))
                : List.of();
    }

    List<String> statusCategory() {
        JsonNode c = fields().path("status").path("statusCategory");
        return c.isObject() ? List.of(c.path("key").asText(""), c.path("name").asText("")) : List.of();
    }

    List<String> labels() {
        List<String> out = new ArrayList<>();
        fields().path("labels").forEach(l -> out.add(l.asText()));
        return out;
    }

    List<String> user(String field) {
        JsonNode u = fields().path(field);
        List<String> out = new ArrayList<>();
        for (String f : List.of("accountId", "displayName", "emailAddress")) {
            if (u.path(f).isTextual()) {
                out.add(u.path(f).asText());
            }
        }
        return out;
    }

    List<String> customText(String id) {
        JsonNode v = fields().path(id);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (v.path("requestType").isObject()) {
            return List.of(v.path("requestType").path("id").asText(), v.path("requestType").path("name").asText());
        }
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            v.forEach(x -> out.add(x.isTextual() ? x.asText() : x.path("value").asText(x.toString())));
            return out;
        }
        return List.of(v.isTextual() ? v.asText() : JqlQuery.plain(v));
    }

    static Instant time(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Instant.EPOCH;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        String text = value.asText();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return Instant.EPOCH;
            }
        }
    }

    /** Whether a value is a Jira date-time string this sandbox can order by. */
    static boolean isJiraTime(JsonNode value) {
        return value != null && value.isTextual() && !time(value).equals(Instant.EPOCH);
    }
}
