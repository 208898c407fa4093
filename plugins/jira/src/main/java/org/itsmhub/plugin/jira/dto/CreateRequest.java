package org.itsmhub.plugin.jira.dto;

import java.util.Map;

/** Body of {@code POST /rest/servicedeskapi/request}. */
public record CreateRequest(String serviceDeskId, String requestTypeId, Map<String, Object> requestFieldValues) {
}
