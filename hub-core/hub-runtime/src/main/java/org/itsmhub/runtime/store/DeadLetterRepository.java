package org.itsmhub.runtime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code dead_letters}. There is at most one OPEN letter per (tenant, sync, connection,
 * record), enforced by the database: the nullable {@code open_flag} column is TRUE exactly while the
 * letter is OPEN and is part of a unique constraint, and unique constraints ignore rows with NULLs
 * on both H2 and PostgreSQL. (A partial unique index would say it more directly, but H2 has none.)
 */
public final class DeadLetterRepository {

    private static final String COLUMNS = "id, tenant_id, sync_id, connection_id, record_ref, payload,"
            + " error_message, error_type, attempts, first_failure_at, last_failure_at, status, resolved_at";

    private static final String SAME_OPEN_LETTER = " WHERE tenant_id = ? AND sync_id = ? AND connection_id = ?"
            + " AND record_ref = ? AND status = 'OPEN'";

    private final Jdbc jdbc;

    DeadLetterRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a failure. If the record already has an OPEN letter, that letter's attempts go up by
     * one and its error, payload and last failure time are replaced; otherwise a new OPEN letter is
     * added with one attempt.
     */
    public DeadLetter add(NewDeadLetter letter) {
        String operation = "Adding dead letter for " + letter.connectionId() + "/" + letter.recordRef();
        return jdbc.withConnection(operation, c -> {
            var now = jdbc.now();
            if (bumpOpenLetter(c, letter, now) == 0) {
                try {
                    Jdbc.insert(c, "INSERT INTO dead_letters (tenant_id, sync_id, connection_id, record_ref, payload,"
                                    + " error_message, error_type, attempts, first_failure_at, last_failure_at,"
                                    + " status, open_flag) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'OPEN', TRUE)",
                            letter.tenantId(), letter.syncId(), letter.connectionId(), letter.recordRef(),
                            letter.payload(), letter.errorMessage(), letter.errorType(), now, now);
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                    bumpOpenLetter(c, letter, now); // another node added the open letter first
                }
            }
            return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM dead_letters" + SAME_OPEN_LETTER,
                    DeadLetterRepository::map, letter.tenantId(), letter.syncId(), letter.connectionId(),
                    letter.recordRef()).orElseThrow();
        });
    }

    /**
     * Letters, newest failure first.
     *
     * @param tenantId only this tenant's letters; null for all tenants
     * @param status   only letters in this status; null for all
     */
    public List<DeadLetter> list(String tenantId, DeadLetterStatus status, int limit) {
        Require.positive(limit, "limit");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dead_letters WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (tenantId != null) {
            sql.append(" AND tenant_id = ?");
            params.add(tenantId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        sql.append(" ORDER BY last_failure_at DESC, id DESC FETCH FIRST ? ROWS ONLY");
        params.add(limit);
        return jdbc.query("Listing dead letters", sql.toString(), DeadLetterRepository::map, params.toArray());
    }

    /** The OPEN letters of one sync, in no particular order (one query, for a cycle to load once). */
    public List<DeadLetter> listOpen(String tenantId, String syncId) {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        return jdbc.query("Listing open dead letters of sync " + syncId,
                "SELECT " + COLUMNS + " FROM dead_letters WHERE tenant_id = ? AND sync_id = ? AND status = 'OPEN'",
                DeadLetterRepository::map, tenantId, syncId);
    }

    public Optional<DeadLetter> get(long id) {
        return jdbc.queryOne("Reading dead letter " + id,
                "SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?", DeadLetterRepository::map, id);
    }

    /**
     * Closes an OPEN letter as replayed.
     *
     * @return false if there is no OPEN letter with this id
     */
    public boolean markReplayed(long id) {
        return close(id, DeadLetterStatus.REPLAYED);
    }

    /**
     * Closes an OPEN letter as resolved: a later cycle synced its record.
     *
     * @return false if there is no OPEN letter with this id
     */
    public boolean resolve(long id) {
        return close(id, DeadLetterStatus.RESOLVED);
    }

    /**
     * Closes an OPEN letter as discarded.
     *
     * @return false if there is no OPEN letter with this id
     */
    public boolean discard(long id) {
        return close(id, DeadLetterStatus.DISCARDED);
    }

    private int bumpOpenLetter(Connection c, NewDeadLetter letter, Instant now) throws SQLException {
        return Jdbc.update(c, "UPDATE dead_letters SET attempts = attempts + 1, last_failure_at = ?,"
                        + " error_message = ?, error_type = ?, payload = COALESCE(?, payload)" + SAME_OPEN_LETTER,
                now, letter.errorMessage(), letter.errorType(), letter.payload(),
                letter.tenantId(), letter.syncId(), letter.connectionId(), letter.recordRef());
    }

    private boolean close(long id, DeadLetterStatus status) {
        return jdbc.update("Marking dead letter " + id + " " + status,
                "UPDATE dead_letters SET status = ?, open_flag = NULL, resolved_at = ? WHERE id = ? AND status = 'OPEN'",
                status, jdbc.now(), id) == 1;
    }

    private static DeadLetter map(ResultSet rs) throws SQLException {
        return new DeadLetter(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("sync_id"),
                rs.getString("connection_id"),
                rs.getString("record_ref"),
                rs.getString("payload"),
                rs.getString("error_message"),
                rs.getString("error_type"),
                rs.getInt("attempts"),
                Jdbc.instant(rs, "first_failure_at"),
                Jdbc.instant(rs, "last_failure_at"),
                DeadLetterStatus.valueOf(rs.getString("status")),
                Jdbc.instant(rs, "resolved_at"));
    }
}
