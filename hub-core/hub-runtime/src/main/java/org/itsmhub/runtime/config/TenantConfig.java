package org.itsmhub.runtime.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant (customer) and everything configured for it. Tenants never see each other's data: a
 * sync only uses connections of its own tenant.
 *
 * @param id          tenant id
 * @param connections connections by id, in file order
 * @param syncs       syncs, in file order
 */
public record TenantConfig(String id, Map<String, ConnectionConfig> connections, List<SyncConfig> syncs) {

    public TenantConfig {
        connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        syncs = List.copyOf(syncs);
    }
}
