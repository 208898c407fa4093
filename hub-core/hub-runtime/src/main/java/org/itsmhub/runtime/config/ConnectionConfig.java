package org.itsmhub.runtime.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.itsmhub.api.config.ConnectorConfig;

/**
 * One configured connection to a vendor system.
 *
 * @param tenant    the tenant it belongs to
 * @param id        connection id, unique within the tenant
 * @param plugin    plugin id
 * @param rawValues the plugin's keys as written, with references resolved and SECRET keys held as
 *                  {@link org.itsmhub.api.config.Secret}
 * @param parsed    the typed, validated config handed to the connector
 */
public record ConnectionConfig(String tenant, String id, String plugin, Map<String, Object> rawValues,
        ConnectorConfig parsed) {

    public ConnectionConfig {
        rawValues = Collections.unmodifiableMap(new LinkedHashMap<>(rawValues));
    }

    /** Names the keys but shows no values: some may have come from references. */
    @Override
    public String toString() {
        return "ConnectionConfig[tenant=" + tenant + ", id=" + id + ", plugin=" + plugin + ", keys="
                + rawValues.keySet() + "]";
    }
}
