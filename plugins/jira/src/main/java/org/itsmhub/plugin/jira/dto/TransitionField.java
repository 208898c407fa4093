package org.itsmhub.plugin.jira.dto;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A field on a transition screen. */
public record TransitionField(Boolean required, String name, JsonNode schema, Boolean hasDefaultValue,
        List<JsonNode> allowedValues) {

    public boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }
}
