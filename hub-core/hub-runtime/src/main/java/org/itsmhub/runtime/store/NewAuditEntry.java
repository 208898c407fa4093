package org.itsmhub.runtime.store;

import org.itsmhub.runtime.logging.LogRedaction;

/**
 * A write the hub made, for {@link AuditLogRepository#append(NewAuditEntry)}.
 *
 * @param syncId        the sync that made the write; null for writes outside a sync
 * @param actor         what made the change, e.g. {@code sync:acme-tickets} or {@code admin}
 * @param system        system written to, e.g. {@code servicenow}; may be null
 * @param connectionId  connection written through; may be null
 * @param recordId      record written; may be null
 * @param action        e.g. {@code create}, {@code update}, {@code status}, {@code comment}
 * @param fieldsChanged which fields changed, in the caller's format; may be null
 * @param detail        free text or JSON; may be null
 */
public record NewAuditEntry(
        String tenantId,
        String syncId,
        String actor,
        String system,
        String connectionId,
        String recordId,
        String action,
        String fieldsChanged,
        String detail) {

    public NewAuditEntry {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(actor, "actor");
        Require.notBlank(action, "action");
        fieldsChanged = LogRedaction.redactValues(fieldsChanged);
        detail = LogRedaction.redactValues(detail);
    }
}
