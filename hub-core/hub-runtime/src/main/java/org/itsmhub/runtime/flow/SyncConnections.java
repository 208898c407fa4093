package org.itsmhub.runtime.flow;

import java.util.Arrays;
import java.util.Map;

import org.itsmhub.runtime.config.SyncConfig;

/**
 * Which connections a sync uses: by convention, the flow parameters whose names end in
 * {@code connection} name one connection of the sync's tenant, and those ending in
 * {@code connections} a comma-separated list.
 */
public final class SyncConnections {

    private SyncConnections() {
    }

    public static boolean uses(SyncConfig sync, String connectionId) {
        for (Map.Entry<String, String> p : sync.parameters().entrySet()) {
            String name = p.getKey();
            String value = p.getValue();
            if (value == null) {
                continue;
            }
            if (name.endsWith("connection") && value.trim().equals(connectionId)) {
                return true;
            }
            if (name.endsWith("connections")
                    && Arrays.stream(value.split(",")).map(String::trim).anyMatch(connectionId::equals)) {
                return true;
            }
        }
        return false;
    }
}
