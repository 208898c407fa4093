package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.databind.JsonNode;

/** An entity property ({@code expand=properties}). */
public record EntityProperty(String key, JsonNode value) {
}
