package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An issue; {@code fields} stays a tree because custom fields (correlation, request type) have
 * site-specific ids. {@link IssueFields} reads the standard ones.
 */
public record Issue(String id, String key, String self, JsonNode fields) {
}
