package org.itsmhub.runtime.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2 trigger behind migration {@code h2/V2__audit_log_append_only.sql}: refuses every UPDATE and
 * DELETE on {@code audit_log}. H2 loads it by class name, so it must stay public and keep this name.
 * H2 cannot fire triggers on TRUNCATE or DROP; PostgreSQL's trigger also covers TRUNCATE.
 */
public final class AuditLogAppendOnlyTrigger implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        String operation = newRow == null ? "DELETE" : "UPDATE";
        throw new SQLException("audit_log is append-only: " + operation + " is not allowed", "2F003");
    }
}
