package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Answer of {@code POST /rest/servicedeskapi/request/{key}/comment}. */
public record CreatedComment(String id, String body, @JsonProperty("public") Boolean isPublic,
        @JsonProperty("_links") JsonNode links) {
}
