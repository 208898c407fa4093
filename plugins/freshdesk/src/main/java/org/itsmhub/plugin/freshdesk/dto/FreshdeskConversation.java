package org.itsmhub.plugin.freshdesk.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A reply or note: an element of {@code GET /api/v2/tickets/{id}/conversations} and the answer of
 * {@code POST /reply} and {@code POST /notes} (https://developers.freshdesk.com/api/#conversations).
 */
public record FreshdeskConversation(
        Long id,
        String body,
        @JsonProperty("body_text") String bodyText,
        Boolean incoming,
        @JsonProperty("private") Boolean isPrivate,
        @JsonProperty("user_id") Long userId,
        Integer source,
        @JsonProperty("ticket_id") Long ticketId,
        @JsonProperty("from_email") String fromEmail,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {
}
