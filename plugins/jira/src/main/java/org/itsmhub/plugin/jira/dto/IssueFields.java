package org.itsmhub.plugin.jira.dto;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The standard issue fields the connector reads. Dates stay raw: examples carry strings and numbers. */
public record IssueFields(String summary, JsonNode description, Status status, NamedRef priority, User assignee,
        User reporter, JsonNode created, JsonNode updated, List<String> labels, Project project, NamedRef resolution,
        NamedRef issuetype) {
}
