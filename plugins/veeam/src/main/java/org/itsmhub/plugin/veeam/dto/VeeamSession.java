package org.itsmhub.plugin.veeam.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of {@code GET /api/v1/sessions} (SessionModel); {@code jobId} exists from API 1.2 on. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamSession(String id, String name, String jobId, String sessionType, String creationTime,
        String endTime, String state, Result result) {

    /** SessionResultModel. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String result, String message, Boolean isCanceled) {
    }
}
