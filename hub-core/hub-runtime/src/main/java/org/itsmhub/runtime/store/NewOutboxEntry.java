package org.itsmhub.runtime.store;

/**
 * A write the hub intends to make, for {@link OutboxRepository#enqueue(NewOutboxEntry)}.
 *
 * @param idempotencyKey unique per tenant; enqueueing the same key again returns the first entry
 * @param operation      what to do, e.g. {@code createTicket}
 * @param payload        the caller's JSON; stored as text
 */
public record NewOutboxEntry(
        String tenantId,
        String syncId,
        String targetConnectionId,
        String operation,
        String idempotencyKey,
        String payload) {

    public NewOutboxEntry {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notBlank(targetConnectionId, "targetConnectionId");
        Require.notBlank(operation, "operation");
        Require.notBlank(idempotencyKey, "idempotencyKey");
        Require.notNull(payload, "payload");
    }
}
