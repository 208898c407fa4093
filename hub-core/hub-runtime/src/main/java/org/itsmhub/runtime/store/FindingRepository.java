package org.itsmhub.runtime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tables {@code finding_states} and {@code finding_tickets}: the findings-to-tickets flow's memory of
 * every finding it has seen and of the ticket that stands for each group of findings.
 *
 * <p>Reads and writes come in batches (one page of findings at a time), because a scan can bring
 * a hundred thousand findings of which only a few changed.
 */
public final class FindingRepository {

    /** Keys per IN list: well below both databases' limits on bind parameters. */
    private static final int CHUNK = 500;

    private static final String STATE_COLUMNS = "id, tenant_id, sync_id, finding_key, source_connection_id, asset_key,"
            + " group_key, status, severity, absent_count, last_observation, first_seen_at, last_seen_at, cleared_at,"
            + " content";

    private static final String TICKET_COLUMNS = "id, tenant_id, sync_id, group_key, ticket_connection_id, ticket_id,"
            + " ticket_url, correlation_id, previous_ticket_id, status, priority, content_hash, generation, flapping,"
            + " opened_at, resolved_at";

    private final Jdbc jdbc;

    FindingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored state of each of these finding keys that has one. */
    public Map<String, TrackedFinding> states(String tenantId, String syncId, Collection<String> keys) {
        return inChunks("Reading finding states of sync " + syncId, keys, "finding_key", tenantId, syncId, null);
    }

    /** Every ACTIVE finding of these assets that came from this source connection. */
    public List<TrackedFinding> activeOfAssets(String tenantId, String syncId, String sourceConnectionId,
            Collection<String> assetKeys) {
        return List.copyOf(inChunks("Reading active findings of scanned assets in sync " + syncId, assetKeys, "asset_key",
                tenantId, syncId, sourceConnectionId).values());
    }

    /** Every finding of a ticket group. */
    public List<TrackedFinding> group(String tenantId, String syncId, String groupKey) {
        return jdbc.query("Reading findings of a ticket group in sync " + syncId, "SELECT " + STATE_COLUMNS
                + " FROM finding_states WHERE tenant_id = ? AND sync_id = ? AND group_key = ? ORDER BY id",
                FindingRepository::mapState, tenantId, syncId, groupKey);
    }

    /** How many findings of a sync are in each status. */
    public Map<TrackedFinding.Status, Long> countByStatus(String tenantId, String syncId) {
        Map<TrackedFinding.Status, Long> counts = new LinkedHashMap<>();
        jdbc.query("Counting findings of sync " + syncId, "SELECT status, COUNT(*) AS n FROM finding_states"
                + " WHERE tenant_id = ? AND sync_id = ? GROUP BY status", rs -> {
                    counts.put(TrackedFinding.Status.valueOf(rs.getString("status")), rs.getLong("n"));
                    return null;
                }, tenantId, syncId);
        return counts;
    }

    /** Inserts the new states (id 0) and updates the others, in one transaction. */
    public void saveStates(Collection<TrackedFinding> states) {
        if (states.isEmpty()) {
            return;
        }
        Instant now = jdbc.now();
        jdbc.inTransaction("Writing " + states.size() + " finding states", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO finding_states (tenant_id, sync_id,"
                    + " finding_key, source_connection_id, asset_key, group_key, status, severity, absent_count,"
                    + " last_observation, first_seen_at, last_seen_at, cleared_at, content, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement update = c.prepareStatement("UPDATE finding_states SET asset_key = ?,"
                            + " group_key = ?, status = ?, severity = ?, absent_count = ?, last_observation = ?,"
                            + " last_seen_at = ?, cleared_at = ?, content = ?, updated_at = ? WHERE id = ?")) {
                int inserts = 0;
                int updates = 0;
                for (TrackedFinding s : states) {
                    if (s.id() == 0) {
                        Jdbc.bind(insert, s.tenantId(), s.syncId(), s.key(), s.sourceConnectionId(), s.assetKey(),
                                s.groupKey(), s.status().name(), s.severity(), s.absentCount(), s.lastObservation(),
                                s.firstSeen(), s.lastSeen(), s.clearedAt(), s.content(), now);
                        insert.addBatch();
                        inserts++;
                    } else {
                        Jdbc.bind(update, s.assetKey(), s.groupKey(), s.status().name(), s.severity(), s.absentCount(),
                                s.lastObservation(), s.lastSeen(), s.clearedAt(), s.content(), now, s.id());
                        update.addBatch();
                        updates++;
                    }
                }
                if (inserts > 0) {
                    insert.executeBatch();
                }
                if (updates > 0) {
                    update.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Records that these findings were observed again, unchanged: only their last observation and
     * last-seen time move (the cheap path for a rescan where almost nothing changed).
     */
    public void saveSeenAgain(Collection<TrackedFinding> states) {
        if (states.isEmpty()) {
            return;
        }
        Instant now = jdbc.now();
        jdbc.inTransaction("Marking " + states.size() + " findings seen again", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE finding_states SET last_observation = ?,"
                    + " last_seen_at = ?, updated_at = ? WHERE id = ?")) {
                for (TrackedFinding s : states) {
                    Jdbc.bind(update, s.lastObservation(), s.lastSeen(), now, s.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** The ticket of a group, if the group ever had one. */
    public Optional<FindingTicket> ticket(String tenantId, String syncId, String groupKey) {
        return jdbc.queryOne("Reading the ticket of a finding group in sync " + syncId, "SELECT " + TICKET_COLUMNS
                + " FROM finding_tickets WHERE tenant_id = ? AND sync_id = ? AND group_key = ?",
                FindingRepository::mapTicket, tenantId, syncId, groupKey);
    }

    /** Every ticket of a sync with this status. */
    public List<FindingTicket> tickets(String tenantId, String syncId, FindingTicket.Status status) {
        return jdbc.query("Reading finding tickets of sync " + syncId, "SELECT " + TICKET_COLUMNS
                + " FROM finding_tickets WHERE tenant_id = ? AND sync_id = ? AND status = ? ORDER BY id",
                FindingRepository::mapTicket, tenantId, syncId, status.name());
    }

    /** Inserts (id 0) or updates the ticket of a group and returns it as stored. */
    public FindingTicket saveTicket(FindingTicket t) {
        Instant now = jdbc.now();
        return jdbc.withConnection("Writing the ticket of a finding group in sync " + t.syncId(), c -> {
            if (t.id() == 0) {
                Jdbc.insert(c, "INSERT INTO finding_tickets (tenant_id, sync_id, group_key, ticket_connection_id,"
                        + " ticket_id, ticket_url, correlation_id, previous_ticket_id, status, priority, content_hash,"
                        + " generation, flapping, opened_at, resolved_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t.tenantId(), t.syncId(),
                        t.groupKey(), t.ticketConnectionId(), t.ticketId(), t.ticketUrl(), t.correlationId(),
                        t.previousTicketId(), t.status().name(), t.priority(), t.contentHash(), t.generation(),
                        t.flapping(), t.openedAt(), t.resolvedAt(), now);
            } else {
                Jdbc.update(c, "UPDATE finding_tickets SET ticket_connection_id = ?, ticket_id = ?, ticket_url = ?,"
                        + " correlation_id = ?, previous_ticket_id = ?, status = ?, priority = ?, content_hash = ?,"
                        + " generation = ?, flapping = ?, opened_at = ?, resolved_at = ?, updated_at = ? WHERE id = ?",
                        t.ticketConnectionId(), t.ticketId(), t.ticketUrl(), t.correlationId(), t.previousTicketId(),
                        t.status().name(), t.priority(), t.contentHash(), t.generation(), t.flapping(), t.openedAt(),
                        t.resolvedAt(), now, t.id());
            }
            return Jdbc.queryOne(c, "SELECT " + TICKET_COLUMNS + " FROM finding_tickets WHERE tenant_id = ?"
                    + " AND sync_id = ? AND group_key = ?", FindingRepository::mapTicket, t.tenantId(), t.syncId(),
                    t.groupKey()).orElseThrow();
        });
    }

    private Map<String, TrackedFinding> inChunks(String operation, Collection<String> values, String column,
            String tenantId, String syncId, String sourceConnectionId) {
        Map<String, TrackedFinding> out = new LinkedHashMap<>();
        if (values.isEmpty()) {
            return out;
        }
        List<String> all = List.copyOf(values);
        jdbc.withConnection(operation, c -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                StringBuilder sql = new StringBuilder("SELECT ").append(STATE_COLUMNS)
                        .append(" FROM finding_states WHERE tenant_id = ? AND sync_id = ?");
                List<Object> params = new ArrayList<>(List.of(tenantId, syncId));
                if (sourceConnectionId != null) {
                    sql.append(" AND source_connection_id = ? AND status = 'ACTIVE'");
                    params.add(sourceConnectionId);
                }
                sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(chunk.size() - 1)).append("?)");
                params.addAll(chunk);
                for (TrackedFinding s : Jdbc.query(c, sql.toString(), FindingRepository::mapState, params.toArray())) {
                    out.put(s.key(), s);
                }
            }
            return null;
        });
        return out;
    }

    private static TrackedFinding mapState(ResultSet rs) throws SQLException {
        return new TrackedFinding(rs.getLong("id"), rs.getString("tenant_id"), rs.getString("sync_id"),
                rs.getString("finding_key"), rs.getString("source_connection_id"), rs.getString("asset_key"),
                rs.getString("group_key"), TrackedFinding.Status.valueOf(rs.getString("status")),
                rs.getString("severity"), rs.getInt("absent_count"), rs.getString("last_observation"),
                Jdbc.instant(rs, "first_seen_at"), Jdbc.instant(rs, "last_seen_at"), Jdbc.instant(rs, "cleared_at"),
                rs.getString("content"));
    }

    private static FindingTicket mapTicket(ResultSet rs) throws SQLException {
        return new FindingTicket(rs.getLong("id"), rs.getString("tenant_id"), rs.getString("sync_id"),
                rs.getString("group_key"), rs.getString("ticket_connection_id"), rs.getString("ticket_id"),
                rs.getString("ticket_url"), rs.getString("correlation_id"), rs.getString("previous_ticket_id"),
                FindingTicket.Status.valueOf(rs.getString("status")), rs.getString("priority"),
                rs.getString("content_hash"), rs.getInt("generation"), rs.getBoolean("flapping"),
                Jdbc.instant(rs, "opened_at"), Jdbc.instant(rs, "resolved_at"));
    }
}
