package org.itsmhub.runtime.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The flows (route templates) syncs can name in {@code flow:}. */
public interface FlowCatalog {

    Optional<FlowTemplate> find(String flowId);

    /** Every known flow id. */
    Set<String> ids();

    /** Problems found while reading the flows themselves (e.g. a template without an id). */
    default List<ConfigIssue> issues() {
        return List.of();
    }

    /** A catalog of the given templates. */
    static FlowCatalog of(Collection<FlowTemplate> templates) {
        Map<String, FlowTemplate> byId = new LinkedHashMap<>();
        for (FlowTemplate template : templates) {
            if (byId.putIfAbsent(template.id(), template) != null) {
                throw new IllegalArgumentException("two flows have the id " + template.id());
            }
        }
        return new FlowCatalog() {
            @Override
            public Optional<FlowTemplate> find(String flowId) {
                return Optional.ofNullable(byId.get(flowId));
            }

            @Override
            public Set<String> ids() {
                return Set.copyOf(byId.keySet());
            }
        };
    }
}
