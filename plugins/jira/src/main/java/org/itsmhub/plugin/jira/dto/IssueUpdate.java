package org.itsmhub.plugin.jira.dto;

import java.util.Map;

/** Body of {@code PUT /rest/api/3/issue/{key}}: only the fields to set. */
public record IssueUpdate(Map<String, Object> fields) {
}
