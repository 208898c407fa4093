package org.itsmhub.plugin.jira.dto;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A comment as the platform API returns it: {@code body} is ADF (v3), or a string in some examples;
 * {@code jsdPublic} and the {@code sd.public.comment} property tell JSM public from internal.
 */
public record IssueComment(String id, String self, User author, JsonNode body, String created, String updated,
        Boolean jsdPublic, List<EntityProperty> properties) {

    public IssueComment {
        properties = properties == null ? List.of() : properties;
    }
}
