package org.itsmhub.runtime.store;

import org.itsmhub.runtime.logging.LogRedaction;

/**
 * A record the hub gave up on, for {@link DeadLetterRepository#add(NewDeadLetter)}.
 *
 * @param recordRef    which record failed, e.g. the source record id
 * @param payload      what the hub tried to write (caller's JSON); may be null
 * @param errorType    error class or category, e.g. {@code DataMappingException}; may be null
 */
public record NewDeadLetter(
        String tenantId,
        String syncId,
        String connectionId,
        String recordRef,
        String payload,
        String errorMessage,
        String errorType) {

    public NewDeadLetter {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notBlank(connectionId, "connectionId");
        Require.notBlank(recordRef, "recordRef");
        Require.notNull(errorMessage, "errorMessage");
        // a vendor error may echo the credentials the hub sent; the payload is replayed, so only
        // known secret values are masked in it, not credential-shaped words
        errorMessage = LogRedaction.redact(errorMessage);
        errorType = LogRedaction.redact(errorType);
        payload = LogRedaction.redactValues(payload);
    }
}
