package org.itsmhub.runtime.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.connector.ConnectorFactory;

/** The connector plugins the hub has loaded, by plugin id (the {@code plugin:} value in config). */
public interface PluginCatalog {

    Optional<ConnectorFactory> find(String pluginId);

    /** Every known plugin id. */
    Set<String> ids();

    /** A catalog of the given factories. */
    static PluginCatalog of(Collection<? extends ConnectorFactory> factories) {
        Map<String, ConnectorFactory> byId = new LinkedHashMap<>();
        for (ConnectorFactory factory : factories) {
            if (byId.putIfAbsent(factory.id(), factory) != null) {
                throw new IllegalArgumentException("two plugins have the id " + factory.id());
            }
        }
        return new PluginCatalog() {
            @Override
            public Optional<ConnectorFactory> find(String pluginId) {
                return Optional.ofNullable(byId.get(pluginId));
            }

            @Override
            public Set<String> ids() {
                return Set.copyOf(byId.keySet());
            }
        };
    }
}
