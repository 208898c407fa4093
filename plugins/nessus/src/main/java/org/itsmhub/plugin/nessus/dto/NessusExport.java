package org.itsmhub.plugin.nessus.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code POST /scans/{id}/export} answer: the export's file id (a number on Nessus, a string on Tenable.io). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NessusExport(String file) {
}
