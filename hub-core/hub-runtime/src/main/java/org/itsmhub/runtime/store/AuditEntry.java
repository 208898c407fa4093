package org.itsmhub.runtime.store;

import java.time.Instant;

/** One line of the audit log; see {@link NewAuditEntry} for what each field holds. */
public record AuditEntry(
        long id,
        Instant at,
        String tenantId,
        String syncId,
        String actor,
        String system,
        String connectionId,
        String recordId,
        String action,
        String fieldsChanged,
        String detail) {
}
