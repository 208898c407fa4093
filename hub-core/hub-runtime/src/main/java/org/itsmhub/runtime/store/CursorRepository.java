package org.itsmhub.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Table {@code cursors}: one opaque value per (tenant, connection, stream). */
public final class CursorRepository {

    private final Jdbc jdbc;

    CursorRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Cursor> get(String tenantId, String connectionId, String stream) {
        return jdbc.queryOne("Reading cursor " + describe(tenantId, connectionId, stream),
                "SELECT tenant_id, connection_id, stream, cursor_value, updated_at FROM cursors"
                        + " WHERE tenant_id = ? AND connection_id = ? AND stream = ?",
                CursorRepository::map, tenantId, connectionId, stream);
    }

    /** Stores the cursor, replacing any previous value. */
    public Cursor put(String tenantId, String connectionId, String stream, String value) {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(connectionId, "connectionId");
        Require.notBlank(stream, "stream");
        Require.notNull(value, "value");
        String operation = "Writing cursor " + describe(tenantId, connectionId, stream);
        var now = jdbc.now();
        String update = "UPDATE cursors SET cursor_value = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND connection_id = ? AND stream = ?";
        jdbc.withConnection(operation, c -> {
            if (Jdbc.update(c, update, value, now, tenantId, connectionId, stream) == 0) {
                try {
                    Jdbc.update(c, "INSERT INTO cursors (tenant_id, connection_id, stream, cursor_value, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?)", tenantId, connectionId, stream, value, now);
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                    Jdbc.update(c, update, value, now, tenantId, connectionId, stream); // lost an insert race
                }
            }
            return null;
        });
        return new Cursor(tenantId, connectionId, stream, value, now);
    }

    /** Forgets the cursor, so the next read starts from the beginning. */
    public boolean delete(String tenantId, String connectionId, String stream) {
        return jdbc.update("Deleting cursor " + describe(tenantId, connectionId, stream),
                "DELETE FROM cursors WHERE tenant_id = ? AND connection_id = ? AND stream = ?",
                tenantId, connectionId, stream) > 0;
    }

    private static String describe(String tenantId, String connectionId, String stream) {
        return tenantId + "/" + connectionId + "/" + stream;
    }

    private static Cursor map(ResultSet rs) throws SQLException {
        return new Cursor(rs.getString("tenant_id"), rs.getString("connection_id"), rs.getString("stream"),
                rs.getString("cursor_value"), Jdbc.instant(rs, "updated_at"));
    }
}
