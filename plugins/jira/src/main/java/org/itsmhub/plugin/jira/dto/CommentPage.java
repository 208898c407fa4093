package org.itsmhub.plugin.jira.dto;

import java.util.List;

/** Answer of {@code GET /rest/api/3/issue/{key}/comment} (offset paging). */
public record CommentPage(List<IssueComment> comments, Integer startAt, Integer maxResults, Integer total) {

    public CommentPage {
        comments = comments == null ? List.of() : comments;
    }
}
