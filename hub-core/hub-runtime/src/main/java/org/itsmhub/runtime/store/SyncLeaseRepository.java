package org.itsmhub.runtime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Table {@code sync_leases}: which node may run a cycle of a sync, until when, and the fencing
 * token of that holding. Every node of a cluster shares the table through the store, on H2 and on
 * PostgreSQL alike; a lease that is not renewed ends by itself, so a frozen, partitioned or killed
 * node blocks a sync for one lease length at most, never for good.
 *
 * <p>Every statement is short and auto-committed or in one short transaction: no lock is held
 * across a cycle and no call waits on another node. Times come from the store's clock, so the
 * nodes' clocks must agree to well within a third of the lease (NTP does).
 */
public final class SyncLeaseRepository {

    /**
     * One sync's lease row.
     *
     * @param runId     the holder's {@code sync_runs} id; null once released
     * @param expiresAt when the lease ends unless renewed (in the past once released)
     */
    public record Lease(String tenantId, String syncId, String holder, long token, Long runId, Instant expiresAt) {
    }

    /**
     * What {@link #acquire} found.
     *
     * @param acquired   whether the caller holds the lease now ({@link #lease} is then the caller's)
     * @param lease      the lease as it stands: the caller's, or the other holder's
     * @param takenOver  the expired lease the caller took over while its run was still recorded
     *                   (never released: its node was frozen, partitioned or killed); null otherwise
     */
    public record Acquisition(boolean acquired, Lease lease, Lease takenOver) {
    }

    private static final String COLUMNS = "tenant_id, sync_id, holder, token, run_id, expires_at";

    private final Jdbc jdbc;

    SyncLeaseRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the lease of this sync if nobody holds it or its holder let it expire (raising its token
     * by one), for {@code length} from now. On a takeover, the previous holder's run, if still
     * RUNNING, ends as ABANDONED naming both nodes. Never waits for another node.
     */
    public Acquisition acquire(String tenantId, String syncId, String holder, long runId, Duration length) {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        Require.notBlank(holder, "holder");
        String operation = "Taking the lease of sync " + tenantId + "/" + syncId;
        if (get(tenantId, syncId).isEmpty()) {
            // its own auto-committed statement: a collision would abort a PostgreSQL transaction
            try {
                Instant until = jdbc.now().plus(length);
                jdbc.withConnection(operation, c -> Jdbc.update(c, "INSERT INTO sync_leases (" + COLUMNS + ")"
                        + " VALUES (?, ?, ?, 1, ?, ?)", tenantId, syncId, holder, runId, until));
                return new Acquisition(true, new Lease(tenantId, syncId, holder, 1, runId, until), null);
            } catch (StoreConflictException e) {
                // another node inserted it first: it holds the lease, read below
            }
        }
        return jdbc.inTransaction(operation, c -> {
            Instant now = jdbc.now();
            Instant until = now.plus(length);
            Optional<Lease> current = read(c, tenantId, syncId);
            if (current.isEmpty()) {
                throw new StoreException(operation + " failed: its row vanished");
            }
            Lease old = current.get();
            if (old.expiresAt().isAfter(now)) {
                return new Acquisition(false, old, null);
            }
            int taken = Jdbc.update(c, "UPDATE sync_leases SET holder = ?, token = ?, run_id = ?, expires_at = ?"
                            + " WHERE tenant_id = ? AND sync_id = ? AND token = ?",
                    holder, old.token() + 1, runId, until, tenantId, syncId, old.token());
            if (taken == 0) { // another node took it over between the read and the update
                return new Acquisition(false, read(c, tenantId, syncId).orElseThrow(), null);
            }
            Lease mine = new Lease(tenantId, syncId, holder, old.token() + 1, runId, until);
            Lease abandoned = null;
            if (old.runId() != null) {
                abandoned = old;
                Jdbc.update(c, "UPDATE sync_runs SET ended_at = ?, outcome = 'ABANDONED', message = ?"
                                + " WHERE id = ? AND outcome = 'RUNNING'",
                        now, "node " + old.holder() + " lost its lease (it ended " + old.expiresAt()
                                + " without renewal); node " + holder + " took the sync over (token "
                                + old.token() + "→" + mine.token() + ")",
                        old.runId());
            }
            return new Acquisition(true, mine, abandoned);
        });
    }

    /**
     * Extends the caller's lease to {@code length} from now.
     *
     * @return false if the caller no longer holds it (another node took it over: its token moved on)
     */
    public boolean renew(String tenantId, String syncId, String holder, long token, Duration length) {
        return jdbc.update("Renewing the lease of sync " + tenantId + "/" + syncId,
                "UPDATE sync_leases SET expires_at = ? WHERE tenant_id = ? AND sync_id = ? AND holder = ? AND token = ?",
                jdbc.now().plus(length), tenantId, syncId, holder, token) == 1;
    }

    /** Gives the lease up at once, if the caller still holds it; the token stays for the next holder to raise. */
    public void release(String tenantId, String syncId, String holder, long token) {
        jdbc.update("Releasing the lease of sync " + tenantId + "/" + syncId,
                "UPDATE sync_leases SET expires_at = ?, run_id = NULL"
                        + " WHERE tenant_id = ? AND sync_id = ? AND holder = ? AND token = ?",
                jdbc.now(), tenantId, syncId, holder, token);
    }

    public Optional<Lease> get(String tenantId, String syncId) {
        return jdbc.withConnection("Reading the lease of sync " + tenantId + "/" + syncId,
                c -> read(c, tenantId, syncId));
    }

    private static Optional<Lease> read(Connection c, String tenantId, String syncId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM sync_leases WHERE tenant_id = ? AND sync_id = ?",
                SyncLeaseRepository::map, tenantId, syncId);
    }

    private static Lease map(ResultSet rs) throws SQLException {
        long runId = rs.getLong("run_id");
        Long heldFor = rs.wasNull() ? null : runId;
        return new Lease(rs.getString("tenant_id"), rs.getString("sync_id"), rs.getString("holder"),
                rs.getLong("token"), heldFor, Jdbc.instant(rs, "expires_at"));
    }
}
