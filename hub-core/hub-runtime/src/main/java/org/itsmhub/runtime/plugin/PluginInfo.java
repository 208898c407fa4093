package org.itsmhub.runtime.plugin;

import java.nio.file.Path;
import java.util.Set;

import org.itsmhub.api.connector.Capability;

/**
 * One connector a loaded plugin provides, for {@code itsm-hub plugins}.
 *
 * @param pluginId     the plugin's id ({@code plugin.id})
 * @param version      the plugin's version ({@code plugin.version})
 * @param connectorId  the connector id admins write as {@code plugin:} in config
 * @param description  the connector's one-line description
 * @param capabilities what the connector class implements
 * @param path         the plugin zip in the plugins directory, or its folder when there is no zip
 */
public record PluginInfo(String pluginId, String version, String connectorId, String description,
        Set<Capability> capabilities, Path path) {

    public PluginInfo {
        capabilities = Set.copyOf(capabilities);
    }
}
