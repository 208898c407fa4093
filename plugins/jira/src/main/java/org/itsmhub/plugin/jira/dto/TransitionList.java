package org.itsmhub.plugin.jira.dto;

import java.util.List;

/** Answer of {@code GET /rest/api/3/issue/{key}/transitions}. */
public record TransitionList(List<Transition> transitions) {

    public TransitionList {
        transitions = transitions == null ? List.of() : transitions;
    }
}
