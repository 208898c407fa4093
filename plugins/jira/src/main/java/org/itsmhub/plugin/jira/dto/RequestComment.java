package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /rest/servicedeskapi/request/{key}/comment}: plain text, public or internal. */
public record RequestComment(String body, @JsonProperty("public") boolean isPublic) {
}
