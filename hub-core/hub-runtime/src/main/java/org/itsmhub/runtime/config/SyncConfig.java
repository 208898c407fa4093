package org.itsmhub.runtime.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scheduled sync: a flow run for a tenant on a Quartz schedule.
 *
 * @param tenant     the tenant it runs for
 * @param id         sync id, unique across the file (the scheduler names its job by it)
 * @param flow       route template id
 * @param schedule   Quartz cron expression, or null when the flow's template supplies a default
 * @param parameters flow parameters as the admin wrote them, in file order
 */
public record SyncConfig(String tenant, String id, String flow, String schedule, Map<String, String> parameters) {

    public SyncConfig {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * What to instantiate the route template with: the admin's parameters plus the ones the hub
     * supplies ({@link FlowTemplate#HUB_PARAMETERS}). Template defaults are left to Camel.
     */
    public Map<String, String> templateParameters() {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("sync-id", id);
        all.put("tenant", tenant);
        if (schedule != null) {
            all.put("schedule", schedule);
        }
        return Collections.unmodifiableMap(all);
    }
}
