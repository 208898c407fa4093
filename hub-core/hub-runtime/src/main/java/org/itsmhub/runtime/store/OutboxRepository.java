package org.itsmhub.runtime.store;

import org.itsmhub.runtime.logging.LogRedaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code outbox}: writes to target systems, recorded before they are made.
 *
 * <p>Workers {@link #claim claim} entries with a lease: a claimed entry stays PENDING but no other
 * node can claim it until the lease ends. The worker then marks it DONE or FAILED. If the worker
 * dies, the lease runs out and the entry is claimed again (and {@code attempts} goes up), so every
 * write must be safe to repeat; the idempotency key is there to make that possible.
 */
public final class OutboxRepository {

    private static final String COLUMNS = "id, tenant_id, sync_id, target_connection_id, operation,"
            + " idempotency_key, payload, status, attempts, claimed_by, claimed_until, result, created_at, updated_at";

    private static final String CLAIMABLE = "status = 'PENDING' AND (claimed_until IS NULL OR claimed_until <= ?)";

    private final Jdbc jdbc;

    OutboxRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds a PENDING entry, unless the tenant already has one with this idempotency key (in any
     * status): then that entry is returned and nothing is written. Safe when two nodes race.
     */
    public OutboxEntry enqueue(NewOutboxEntry entry) {
        String operation = "Enqueueing outbox entry '" + entry.idempotencyKey() + "'";
        return jdbc.withConnection(operation, c -> {
            Optional<OutboxEntry> existing = findByKey(c, entry.tenantId(), entry.idempotencyKey());
            if (existing.isPresent()) {
                return existing.get();
            }
            var now = jdbc.now();
            try {
                long id = Jdbc.insert(c, "INSERT INTO outbox (tenant_id, sync_id, target_connection_id, operation,"
                                + " idempotency_key, payload, status, attempts, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
                        entry.tenantId(), entry.syncId(), entry.targetConnectionId(), entry.operation(),
                        entry.idempotencyKey(), entry.payload(), now, now);
                return new OutboxEntry(id, entry.tenantId(), entry.syncId(), entry.targetConnectionId(),
                        entry.operation(), entry.idempotencyKey(), entry.payload(), OutboxStatus.PENDING, 0,
                        null, null, null, now, now);
            } catch (SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) {
                    throw e;
                }
                return findByKey(c, entry.tenantId(), entry.idempotencyKey()).orElseThrow(() -> e);
            }
        });
    }

    /**
     * Claims up to {@code maxEntries} claimable PENDING entries, oldest first, for {@code lease}.
     * Entries locked or claimed by another node are skipped, never waited for; two concurrent
     * callers never receive the same entry.
     *
     * @param nodeId identifies the claiming node in {@link OutboxEntry#claimedBy()}
     * @return the claimed entries, with {@code attempts} already counting this claim
     */
    public List<OutboxEntry> claim(String nodeId, int maxEntries, Duration lease) {
        Require.notBlank(nodeId, "nodeId");
        Require.positive(maxEntries, "maxEntries");
        Require.notNull(lease, "lease");
        return jdbc.inTransaction("Claiming outbox entries for " + nodeId, c -> {
            Instant now = jdbc.now();
            Instant until = now.plus(lease);
            List<OutboxEntry> candidates = Jdbc.query(c, "SELECT " + COLUMNS + " FROM outbox WHERE " + CLAIMABLE
                            + " ORDER BY id FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED",
                    OutboxRepository::map, now, maxEntries);
            List<OutboxEntry> claimed = new ArrayList<>(candidates.size());
            for (OutboxEntry e : candidates) {
                // Conditional: if another transaction got there first, this updates nothing.
                int updated = Jdbc.update(c, "UPDATE outbox SET claimed_by = ?, claimed_until = ?,"
                        + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND " + CLAIMABLE,
                        nodeId, until, now, e.id(), now);
                if (updated == 1) {
                    claimed.add(new OutboxEntry(e.id(), e.tenantId(), e.syncId(), e.targetConnectionId(),
                            e.operation(), e.idempotencyKey(), e.payload(), e.status(), e.attempts() + 1,
                            nodeId, until, e.result(), e.createdAt(), now));
                }
            }
            return claimed;
        });
    }

    /**
     * Marks a PENDING entry DONE.
     *
     * @return false if the entry does not exist or is no longer PENDING
     */
    public boolean markDone(long id, String result) {
        return finish(id, OutboxStatus.DONE, result);
    }

    /**
     * Marks a PENDING entry FAILED for good, keeping the error as its result.
     *
     * @return false if the entry does not exist or is no longer PENDING
     */
    public boolean markFailed(long id, String error) {
        return finish(id, OutboxStatus.FAILED, LogRedaction.redact(error)); // may quote a vendor's echo
    }

    /**
     * Counts an attempt at a PENDING entry's write whose outcome is unknown (a timeout, a lost
     * connection): the write may have happened, so the entry's owner checks before writing again.
     *
     * @return false if the entry does not exist or is no longer PENDING
     */
    public boolean recordUncertainAttempt(long id) {
        return jdbc.update("Counting an attempt at outbox entry " + id,
                "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'PENDING'",
                jdbc.now(), id) == 1;
    }

    /** The PENDING entries of one sync for one operation that have an attempt counted, oldest first. */
    public List<OutboxEntry> listAttempted(String tenantId, String syncId, String operation, int maxEntries) {
        Require.positive(maxEntries, "maxEntries");
        return jdbc.query("Listing attempted outbox entries of " + syncId,
                "SELECT " + COLUMNS + " FROM outbox WHERE tenant_id = ? AND sync_id = ? AND operation = ?"
                        + " AND status = 'PENDING' AND attempts > 0 ORDER BY id FETCH FIRST ? ROWS ONLY",
                OutboxRepository::map, tenantId, syncId, operation, maxEntries);
    }

    public Optional<OutboxEntry> findByKey(String tenantId, String idempotencyKey) {
        return jdbc.withConnection("Finding outbox entry '" + idempotencyKey + "'",
                c -> findByKey(c, tenantId, idempotencyKey));
    }

    public Optional<OutboxEntry> findById(long id) {
        return jdbc.queryOne("Finding outbox entry " + id,
                "SELECT " + COLUMNS + " FROM outbox WHERE id = ?", OutboxRepository::map, id);
    }

    private boolean finish(long id, OutboxStatus status, String result) {
        return jdbc.update("Marking outbox entry " + id + " " + status,
                "UPDATE outbox SET status = ?, result = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'",
                status, result, jdbc.now(), id) == 1;
    }

    private static Optional<OutboxEntry> findByKey(Connection c, String tenantId, String idempotencyKey)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM outbox WHERE tenant_id = ? AND idempotency_key = ?",
                OutboxRepository::map, tenantId, idempotencyKey);
    }

    private static OutboxEntry map(ResultSet rs) throws SQLException {
        return new OutboxEntry(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("sync_id"),
                rs.getString("target_connection_id"),
                rs.getString("operation"),
                rs.getString("idempotency_key"),
                rs.getString("payload"),
                OutboxStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getString("claimed_by"),
                Jdbc.instant(rs, "claimed_until"),
                rs.getString("result"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }
}
