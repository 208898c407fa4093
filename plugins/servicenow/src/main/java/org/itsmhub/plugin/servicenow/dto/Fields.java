package org.itsmhub.plugin.servicenow.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one field of a Table API record in any of the shapes ServiceNow sends: a plain string, a
 * reference {@code {"link": ..., "value": ...}}, or {@code {"display_value": ..., "value": ...}}
 * when display values are asked for. Always the raw {@code value}; empty strings become null.
 */
final class Fields {

    private Fields() {
    }

    static String raw(JsonNode record, String name) {
        JsonNode v = record.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            v = v.get("value");
            if (v == null || v.isNull()) {
                return null;
            }
        }
        String text = v.asText();
        return text.isEmpty() ? null : text;
    }
}
