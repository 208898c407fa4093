package org.itsmhub.api.model;

/** What a finding is about. */
public enum FindingKind {
    VULNERABILITY, BACKUP_FAILURE, STALE_BACKUP, DEVICE_NON_COMPLIANCE
}
