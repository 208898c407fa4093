package org.itsmhub.plugin.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST /rest/api/3/search/jql}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchRequest(String jql, List<String> fields, Integer maxResults, String nextPageToken) {
}
