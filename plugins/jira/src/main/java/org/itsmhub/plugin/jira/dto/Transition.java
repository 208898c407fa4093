package org.itsmhub.plugin.jira.dto;

import java.util.Map;

/** One available transition, with its screen's fields when asked for {@code transitions.fields}. */
public record Transition(String id, String name, Status to, Map<String, TransitionField> fields) {

    public Transition {
        fields = fields == null ? Map.of() : fields;
    }
}
