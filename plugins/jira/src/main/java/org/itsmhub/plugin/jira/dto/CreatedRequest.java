package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Answer of {@code POST /rest/servicedeskapi/request} (a CustomerRequest). */
public record CreatedRequest(String issueId, String issueKey, String requestTypeId, String serviceDeskId,
        @JsonProperty("_links") JsonNode links) {
}
