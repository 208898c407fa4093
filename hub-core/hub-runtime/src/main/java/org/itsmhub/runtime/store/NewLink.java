package org.itsmhub.runtime.store;

/**
 * A link to create or refresh with {@link LinkRepository#upsert(NewLink)}.
 *
 * @param correlationId may be null
 * @param versionA      may be null (keeps the stored value on refresh)
 * @param versionB      may be null (keeps the stored value on refresh)
 */
public record NewLink(
        String tenantId,
        String syncId,
        RecordKind kind,
        RecordRef sideA,
        RecordRef sideB,
        String correlationId,
        String versionA,
        String versionB) {

    public NewLink {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notNull(kind, "kind");
        Require.notNull(sideA, "sideA");
        Require.notNull(sideB, "sideB");
    }
}
