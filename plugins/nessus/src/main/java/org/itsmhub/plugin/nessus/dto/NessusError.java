package org.itsmhub.plugin.nessus.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Nessus' error body: {@code {"error":"Scan not found"}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NessusError(String error) {
}
