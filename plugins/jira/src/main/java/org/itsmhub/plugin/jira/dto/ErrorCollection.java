package org.itsmhub.plugin.jira.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Jira's error body {@code {"errorMessages":[...],"errors":{"field":"message"}}}; JSM uses {@code errorMessage}. */
public record ErrorCollection(List<String> errorMessages, Map<String, JsonNode> errors, String errorMessage,
        String message) {
}
