package org.itsmhub.plugin.jira.dto;

import java.util.List;

/** Answer of {@code /rest/api/3/search/jql}: token paging, no total. */
public record SearchResponse(List<Issue> issues, String nextPageToken, Boolean isLast) {

    public SearchResponse {
        issues = issues == null ? List.of() : issues;
    }
}
