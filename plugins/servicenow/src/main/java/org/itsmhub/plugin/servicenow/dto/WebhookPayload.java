package org.itsmhub.plugin.servicenow.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body the outbound REST message sends:
 * {@code {"sys_id":"...","number":"INC0010019","table":"incident","operation":"update","sys_updated_on":"..."}};
 * only {@code sys_id} is required.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookPayload(@JsonProperty("sys_id") String sysId, @JsonProperty("number") String number,
        @JsonProperty("table") String table, @JsonProperty("operation") String operation,
        @JsonProperty("sys_updated_on") String sysUpdatedOn) {
}
