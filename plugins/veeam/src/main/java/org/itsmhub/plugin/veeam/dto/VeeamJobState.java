package org.itsmhub.plugin.veeam.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of {@code GET /api/v1/jobs/states} (JobStateModel); times are ISO-8601 with offset. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamJobState(String id, String name, String type, String description, String status,
        String lastResult, String workload, String lastRun, String nextRun, String repositoryId,
        String repositoryName, Integer objectsCount, String sessionId, Boolean highPriority) {
}
