package org.itsmhub.plugin.veeam.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Veeam's error body (schema {@code Error}): {@code {"errorCode","message","resourceId"}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamError(String errorCode, String message, String resourceId) {
}
