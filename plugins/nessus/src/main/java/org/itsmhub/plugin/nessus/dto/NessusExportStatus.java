package org.itsmhub.plugin.nessus.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /scans/{id}/export/{file}/status}: {@code loading} until {@code ready}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NessusExportStatus(String status) {
}
