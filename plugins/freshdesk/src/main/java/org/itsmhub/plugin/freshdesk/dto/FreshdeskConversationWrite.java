package org.itsmhub.plugin.freshdesk.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/v2/tickets/{id}/reply} (public, {@code isPrivate} null) and
 * {@code POST /api/v2/tickets/{id}/notes} (https://developers.freshdesk.com/api/#reply_ticket).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FreshdeskConversationWrite(String body, @JsonProperty("private") Boolean isPrivate) {
}
