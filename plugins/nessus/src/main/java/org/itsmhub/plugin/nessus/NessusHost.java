package org.itsmhub.plugin.nessus;

import java.util.Map;

/**
 * One {@code ReportHost} of a {@code .nessus} file: its {@code name} attribute and every
 * {@code HostProperties/tag} by name (mac-address may hold several MACs, one per line).
 */
record NessusHost(String name, Map<String, String> properties) {

    NessusHost {
        properties = Map.copyOf(properties);
    }

    String property(String tag) {
        String value = properties.get(tag);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
