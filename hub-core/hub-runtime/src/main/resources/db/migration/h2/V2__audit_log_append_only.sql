-- audit_log is append-only. H2 triggers are Java classes; this one throws on every row.
-- Limits: H2 fires no trigger on TRUNCATE or DROP, and opening this database without the hub's
-- classes on the classpath (e.g. in a bare H2 console) makes writes to audit_log fail.
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE, DELETE ON audit_log
    FOR EACH ROW
    CALL 'org.itsmhub.runtime.store.AuditLogAppendOnlyTrigger';
