package org.itsmhub.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table {@code audit_log}: an append-only record of every write the hub makes. There is no update
 * or delete here, and the database refuses them too (a trigger on both H2 and PostgreSQL; see the
 * V2 migrations for what each one covers).
 */
public final class AuditLogRepository {

    private static final String COLUMNS = "id, occurred_at, tenant_id, sync_id, actor, system_name, connection_id,"
            + " record_id, action, fields_changed, detail";

    private final Jdbc jdbc;

    AuditLogRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends an entry stamped with the current time. */
    public AuditEntry append(NewAuditEntry entry) {
        Instant at = jdbc.now();
        long id = jdbc.withConnection("Appending to the audit log (" + entry.action() + " " + entry.recordId() + ")",
                c -> Jdbc.insert(c, "INSERT INTO audit_log (occurred_at, tenant_id, sync_id, actor, system_name,"
                                + " connection_id, record_id, action, fields_changed, detail)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        at, entry.tenantId(), entry.syncId(), entry.actor(), entry.system(), entry.connectionId(),
                        entry.recordId(), entry.action(), entry.fieldsChanged(), entry.detail()));
        return new AuditEntry(id, at, entry.tenantId(), entry.syncId(), entry.actor(), entry.system(),
                entry.connectionId(), entry.recordId(), entry.action(), entry.fieldsChanged(), entry.detail());
    }

    /**
     * A tenant's entries in order of time.
     *
     * @param from  inclusive lower bound; null for no bound
     * @param to    exclusive upper bound; null for no bound
     * @param limit at most this many entries (the oldest ones in the range)
     */
    public List<AuditEntry> listByTenant(String tenantId, Instant from, Instant to, int limit) {
        Require.positive(limit, "limit");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            params.add(to);
        }
        sql.append(" ORDER BY occurred_at, id FETCH FIRST ? ROWS ONLY");
        params.add(limit);
        return jdbc.query("Reading the audit log of tenant " + tenantId, sql.toString(), AuditLogRepository::map,
                params.toArray());
    }

    /** Everything the hub wrote to one record, in order of time (at most {@code limit} entries). */
    public List<AuditEntry> listByRecord(String tenantId, String connectionId, String recordId, int limit) {
        Require.positive(limit, "limit");
        return jdbc.query("Reading the audit log of record " + connectionId + "/" + recordId,
                "SELECT " + COLUMNS + " FROM audit_log WHERE tenant_id = ? AND connection_id = ? AND record_id = ?"
                        + " ORDER BY occurred_at, id FETCH FIRST ? ROWS ONLY",
                AuditLogRepository::map, tenantId, connectionId, recordId, limit);
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("id"),
                Jdbc.instant(rs, "occurred_at"),
                rs.getString("tenant_id"),
                rs.getString("sync_id"),
                rs.getString("actor"),
                rs.getString("system_name"),
                rs.getString("connection_id"),
                rs.getString("record_id"),
                rs.getString("action"),
                rs.getString("fields_changed"),
                rs.getString("detail"));
    }
}
