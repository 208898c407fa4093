package org.itsmhub.plugin.veeam.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The {@code pagination} object of every list answer (PaginationResult). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamPagination(Integer total, Integer count, Integer skip, Integer limit) {
}
