package org.itsmhub.plugin.veeam.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A list answer {@code {"data":[...],"pagination":{...}}} (JobStatesResult, JobsResult, SessionsResult). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamResult<T>(List<T> data, VeeamPagination pagination) {

    public List<T> items() {
        return data == null ? List.of() : data;
    }
}
