package org.itsmhub.plugin.intune.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One page of {@code GET /v1.0/deviceManagement/managedDevices}: {@code value} and, while more exist,
 * {@code @odata.nextLink}. https://learn.microsoft.com/en-us/graph/paging
 */
public record IntuneDevicePage(
        List<IntuneManagedDevice> value,
        @JsonProperty("@odata.nextLink") String nextLink) {
}
