package org.itsmhub.plugin.nessus.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /scans}: the scans (null when there are none) and the server's time. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NessusScanList(List<Scan> scans, Long timestamp) {

    /** One scan of the list; {@code last_modification_date} is epoch seconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Scan(long id, String uuid, String name, String status,
            @JsonProperty("folder_id") Long folderId,
            @JsonProperty("last_modification_date") Long lastModificationDate) {
    }
}
