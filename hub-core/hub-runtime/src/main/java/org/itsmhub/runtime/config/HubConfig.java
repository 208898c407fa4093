package org.itsmhub.runtime.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, valid config file.
 *
 * @param file     the file it was read from
 * @param hub      the {@code hub:} section, defaults filled in
 * @param tenants  tenants by id, in file order
 * @param redactor masks this config's secret values in log output
 */
public record HubConfig(Path file, HubSettings hub, Map<String, TenantConfig> tenants, SecretRedactor redactor) {

    public HubConfig {
        tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    /** Every secret value of this config (see {@link SecretRedactor}); for the logging layer only. */
    public Set<String> secretValues() {
        return redactor.secretValues();
    }

    public Optional<TenantConfig> tenant(String id) {
        return Optional.ofNullable(tenants.get(id));
    }

    /** Every sync of every tenant, in file order. */
    public List<SyncConfig> syncs() {
        return tenants.values().stream().flatMap(t -> t.syncs().stream()).toList();
    }

    /** The records, with every secret value masked (a sync parameter may come from a reference). */
    @Override
    public String toString() {
        return redactor.redact("HubConfig[file=" + file + ", hub=" + hub + ", tenants=" + tenants + "]");
    }
}
