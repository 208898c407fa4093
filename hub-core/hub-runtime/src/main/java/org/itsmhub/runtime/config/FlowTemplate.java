package org.itsmhub.runtime.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A flow a sync can run: a route template and the parameters it declares.
 *
 * @param id         the template id, named by a sync's {@code flow:}
 * @param parameters declared parameters, in declaration order
 */
public record FlowTemplate(String id, List<FlowParameter> parameters) {

    /**
     * Parameters the hub supplies to every template itself: the sync's id, its tenant and its
     * {@code schedule}. A template may declare them; admins never write them as flow parameters.
     */
    public static final Set<String> HUB_PARAMETERS = Set.of("sync-id", "tenant", "schedule");

    public FlowTemplate {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a flow template needs an id");
        }
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    public Optional<FlowParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
