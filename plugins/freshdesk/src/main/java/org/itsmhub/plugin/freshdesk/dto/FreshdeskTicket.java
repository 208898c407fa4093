package org.itsmhub.plugin.freshdesk.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A ticket as {@code GET /api/v2/tickets[/{id}]} and {@code /api/v2/search/tickets} return it
 * (https://developers.freshdesk.com/api/#tickets). Search results name the type {@code ticket_type}.
 */
public record FreshdeskTicket(
        Long id,
        String subject,
        String description,
        @JsonProperty("description_text") String descriptionText,
        Integer status,
        Integer priority,
        Integer source,
        String type,
        @JsonProperty("ticket_type") String ticketType,
        @JsonProperty("requester_id") Long requesterId,
        @JsonProperty("responder_id") Long responderId,
        @JsonProperty("group_id") Long groupId,
        @JsonProperty("company_id") Long companyId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        List<String> tags,
        @JsonProperty("custom_fields") Map<String, Object> customFields,
        @JsonProperty("custom_field") Map<String, Object> customFieldLegacy,
        Requester requester) {

    /** The requester, embedded when the ticket is read with {@code include=requester}. */
    public record Requester(Long id, String name, String email) {
    }
}
