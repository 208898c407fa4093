package org.itsmhub.plugin.jira.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference by id and name (priority, resolution, issue type). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamedRef(String id, String name) {

    public static NamedRef name(String name) {
        return new NamedRef(null, name);
    }
}
