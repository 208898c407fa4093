package org.itsmhub.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.itsmhub.runtime.logging.LogRedaction;

/** Table {@code sync_runs}: the history of sync executions. */
public final class SyncRunRepository {

    private static final String COLUMNS = "id, tenant_id, sync_id, started_at, ended_at, read_count, created_count,"
            + " updated_count, unchanged_count, failed_count, outcome, message";

    private final Jdbc jdbc;

    SyncRunRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that a run of this sync started now; returns the run's id. */
    public long start(String tenantId, String syncId) {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(syncId, "syncId");
        return jdbc.withConnection("Starting a run of sync " + syncId, c -> Jdbc.insert(c,
                "INSERT INTO sync_runs (tenant_id, sync_id, started_at, read_count, created_count, updated_count,"
                        + " unchanged_count, failed_count, outcome) VALUES (?, ?, ?, 0, 0, 0, 0, 0, 'RUNNING')",
                tenantId, syncId, jdbc.now()));
    }

    /**
     * Records how a RUNNING run ended.
     *
     * @param outcome anything but RUNNING
     * @throws StoreException if there is no RUNNING run with this id (unknown, or already finished)
     */
    public SyncRun finish(long runId, SyncCounts counts, SyncRunOutcome outcome, String message) {
        Require.notNull(counts, "counts");
        if (Require.notNull(outcome, "outcome") == SyncRunOutcome.RUNNING) {
            throw new IllegalArgumentException("a run cannot finish as RUNNING");
        }
        String operation = "Finishing sync run " + runId;
        return jdbc.withConnection(operation, c -> {
            int updated = Jdbc.update(c, "UPDATE sync_runs SET ended_at = ?, read_count = ?, created_count = ?,"
                            + " updated_count = ?, unchanged_count = ?, failed_count = ?, outcome = ?, message = ?"
                            + " WHERE id = ? AND outcome = 'RUNNING'",
                    jdbc.now(), counts.read(), counts.created(), counts.updated(), counts.unchanged(),
                    counts.failed(), outcome, LogRedaction.redact(message), runId);
            if (updated == 0) {
                throw new StoreException(operation + " failed: no RUNNING run has this id");
            }
            return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM sync_runs WHERE id = ?", SyncRunRepository::map,
                    runId).orElseThrow();
        });
    }

    /**
     * Records that a RUNNING run's node lost the sync's lease and stopped.
     *
     * @return false if the run was no longer RUNNING (the node that took over already marked it)
     */
    public boolean abandon(long runId, SyncCounts counts, String message) {
        Require.notNull(counts, "counts");
        return jdbc.update("Abandoning sync run " + runId, "UPDATE sync_runs SET ended_at = ?, read_count = ?,"
                        + " created_count = ?, updated_count = ?, unchanged_count = ?, failed_count = ?,"
                        + " outcome = 'ABANDONED', message = ? WHERE id = ? AND outcome = 'RUNNING'",
                jdbc.now(), counts.read(), counts.created(), counts.updated(), counts.unchanged(), counts.failed(),
                LogRedaction.redact(message), runId) == 1;
    }

    public Optional<SyncRun> get(long runId) {
        return jdbc.queryOne("Reading sync run " + runId,
                "SELECT " + COLUMNS + " FROM sync_runs WHERE id = ?", SyncRunRepository::map, runId);
    }

    /** The most recently started run of this sync, running or finished. */
    public Optional<SyncRun> latest(String tenantId, String syncId) {
        return jdbc.queryOne("Reading the latest run of sync " + syncId,
                "SELECT " + COLUMNS + " FROM sync_runs WHERE tenant_id = ? AND sync_id = ?"
                        + " ORDER BY started_at DESC, id DESC FETCH FIRST 1 ROWS ONLY",
                SyncRunRepository::map, tenantId, syncId);
    }

    /**
     * The most recently started runs, newest first.
     *
     * @param tenantId only this tenant's runs; null for all tenants
     */
    public List<SyncRun> listRecent(String tenantId, int limit) {
        Require.positive(limit, "limit");
        String where = tenantId == null ? "" : " WHERE tenant_id = ?";
        Object[] params = tenantId == null ? new Object[] {limit} : new Object[] {tenantId, limit};
        return jdbc.query("Listing recent sync runs",
                "SELECT " + COLUMNS + " FROM sync_runs" + where
                        + " ORDER BY started_at DESC, id DESC FETCH FIRST ? ROWS ONLY",
                SyncRunRepository::map, params);
    }

    private static SyncRun map(ResultSet rs) throws SQLException {
        return new SyncRun(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("sync_id"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "ended_at"),
                new SyncCounts(rs.getInt("read_count"), rs.getInt("created_count"), rs.getInt("updated_count"),
                        rs.getInt("unchanged_count"), rs.getInt("failed_count")),
                SyncRunOutcome.valueOf(rs.getString("outcome")),
                rs.getString("message"));
    }
}
