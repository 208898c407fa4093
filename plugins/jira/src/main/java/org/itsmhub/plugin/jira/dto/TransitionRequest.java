package org.itsmhub.plugin.jira.dto;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST /rest/api/3/issue/{key}/transitions}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TransitionRequest(NamedRef transition, Map<String, Object> fields) {
}
