package org.itsmhub.plugin.freshdesk.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/v2/tickets} and {@code PUT /api/v2/tickets/{id}}; null fields are left
 * out, so an update sends only what changes (https://developers.freshdesk.com/api/#create_ticket).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FreshdeskTicketWrite(
        String subject,
        String description,
        String email,
        Integer status,
        Integer priority,
        String type,
        @JsonProperty("responder_id") Long responderId,
        @JsonProperty("group_id") Long groupId,
        List<String> tags,
        @JsonProperty("custom_fields") Map<String, Object> customFields) {

    public static FreshdeskTicketWrite empty() {
        return new FreshdeskTicketWrite(null, null, null, null, null, null, null, null, null, null);
    }

    public FreshdeskTicketWrite withStatus(Integer v) {
        return new FreshdeskTicketWrite(subject, description, email, v, priority, type, responderId, groupId, tags, customFields);
    }
}
