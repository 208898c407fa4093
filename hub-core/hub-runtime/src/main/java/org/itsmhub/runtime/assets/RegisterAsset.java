package org.itsmhub.runtime.assets;

import java.time.Instant;

/**
 * One asset of a tenant's register (a row of {@code asset_register}).
 *
 * @param id         the register id, stable for the asset's life (the CMDB correlation id rests on it)
 * @param tenant     the tenant; assets never span tenants
 * @param version    goes up whenever one of its records changed or another asset was merged into it
 * @param seenAt     the latest time any source saw it
 * @param mergedInto the asset it was merged into, or null while it is live
 */
public record RegisterAsset(long id, String tenant, long version, Instant seenAt, Long mergedInto, Instant createdAt,
        Instant updatedAt) {
}
