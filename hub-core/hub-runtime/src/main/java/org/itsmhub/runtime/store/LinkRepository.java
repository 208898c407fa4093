package org.itsmhub.runtime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code links}. A record is linked at most once per sync and side: the database rejects a
 * second link for the same (tenant, sync, A connection, A id) or (tenant, sync, B connection, B id).
 */
public final class LinkRepository {

    private static final String COLUMNS = "id, tenant_id, sync_id, record_kind,"
            + " a_system, a_connection_id, a_record_id, a_url, b_system, b_connection_id, b_record_id, b_url,"
            + " correlation_id, a_version, b_version, created_at, updated_at";

    private static final String REFRESH = "UPDATE links SET a_url = COALESCE(?, a_url), b_url = COALESCE(?, b_url),"
            + " correlation_id = COALESCE(?, correlation_id), a_version = COALESCE(?, a_version),"
            + " b_version = COALESCE(?, b_version), updated_at = ?"
            + " WHERE tenant_id = ? AND sync_id = ? AND a_connection_id = ? AND a_record_id = ?"
            + " AND b_connection_id = ? AND b_record_id = ?";

    private final Jdbc jdbc;

    LinkRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that {@code link.sideA()} and {@code link.sideB()} are linked and in sync at the given
     * versions: creates the link, or refreshes URLs, correlation id and versions of the existing one
     * (null values keep what is stored). Safe when two nodes do it at once.
     *
     * @throws StoreConflictException if either record is already linked to a different record
     */
    public Link upsert(NewLink link) {
        String operation = "Linking " + describe(link.sideA()) + " to " + describe(link.sideB())
                + " in sync " + link.syncId();
        return jdbc.withConnection(operation, c -> {
            if (refresh(c, link) == 0) {
                try {
                    insert(c, link);
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                    // Another writer created a link for one of the two records first.
                    if (refresh(c, link) == 0) {
                        throw new StoreConflictException(operation + " failed: one of the records is already"
                                + " linked to a different record", e);
                    }
                }
            }
            return findBySideA(c, link.tenantId(), link.syncId(), link.sideA().connectionId(),
                    link.sideA().recordId()).orElseThrow();
        });
    }

    /**
     * Links {@code link.sideA()} and {@code link.sideB()} as {@link #upsert} does, first removing
     * any link that ties either record to a different record in the same sync; in one transaction.
     * For when a vendor has said which record is the twin (a link restored from an old backup, or
     * made to a duplicate twin, must give way).
     *
     * @return the links it removed, empty when there was no conflict
     */
    public List<Link> replace(NewLink link) {
        String operation = "Relinking " + describe(link.sideA()) + " to " + describe(link.sideB())
                + " in sync " + link.syncId();
        return jdbc.inTransaction(operation, c -> {
            List<Link> removed = new ArrayList<>();
            Optional<Link> byA = findBySideA(c, link.tenantId(), link.syncId(), link.sideA().connectionId(),
                    link.sideA().recordId());
            Optional<Link> byB = Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM links"
                            + " WHERE tenant_id = ? AND sync_id = ? AND b_connection_id = ? AND b_record_id = ?",
                    LinkRepository::map, link.tenantId(), link.syncId(), link.sideB().connectionId(),
                    link.sideB().recordId());
            for (Optional<Link> other : List.of(byA, byB)) {
                if (other.isPresent() && !samePair(other.get(), link)
                        && removed.stream().noneMatch(r -> r.id() == other.get().id())) {
                    Jdbc.update(c, "DELETE FROM links WHERE id = ?", other.get().id());
                    removed.add(other.get());
                }
            }
            if (refresh(c, link) == 0) {
                insert(c, link);
            }
            return List.copyOf(removed);
        });
    }

    private static boolean samePair(Link stored, NewLink link) {
        return stored.sideA().connectionId().equals(link.sideA().connectionId())
                && stored.sideA().recordId().equals(link.sideA().recordId())
                && stored.sideB().connectionId().equals(link.sideB().connectionId())
                && stored.sideB().recordId().equals(link.sideB().recordId());
    }

    /**
     * Stores the last synced version/hash of each side. A null argument keeps the stored value.
     *
     * @return the updated link, empty if there is no link with that id
     */
    public Optional<Link> updateSyncState(long linkId, String versionA, String versionB) {
        return jdbc.withConnection("Updating sync state of link " + linkId, c -> {
            int updated = Jdbc.update(c, "UPDATE links SET a_version = COALESCE(?, a_version),"
                    + " b_version = COALESCE(?, b_version), updated_at = ? WHERE id = ?",
                    versionA, versionB, jdbc.now(), linkId);
            return updated == 0 ? Optional.empty()
                    : Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM links WHERE id = ?", LinkRepository::map, linkId);
        });
    }

    public Optional<Link> findById(long linkId) {
        return jdbc.queryOne("Finding link " + linkId,
                "SELECT " + COLUMNS + " FROM links WHERE id = ?", LinkRepository::map, linkId);
    }

    /** The link whose side A is the given record. */
    public Optional<Link> findBySideA(String tenantId, String syncId, String connectionId, String recordId) {
        return jdbc.withConnection("Finding link by side A record " + connectionId + "/" + recordId,
                c -> findBySideA(c, tenantId, syncId, connectionId, recordId));
    }

    /** The link whose side B is the given record. */
    public Optional<Link> findBySideB(String tenantId, String syncId, String connectionId, String recordId) {
        return jdbc.queryOne("Finding link by side B record " + connectionId + "/" + recordId,
                "SELECT " + COLUMNS + " FROM links"
                        + " WHERE tenant_id = ? AND sync_id = ? AND b_connection_id = ? AND b_record_id = ?",
                LinkRepository::map, tenantId, syncId, connectionId, recordId);
    }

    /** All links with this correlation id in the tenant, oldest first. */
    public List<Link> findByCorrelationId(String tenantId, String correlationId) {
        return jdbc.query("Finding links by correlation id " + correlationId,
                "SELECT " + COLUMNS + " FROM links WHERE tenant_id = ? AND correlation_id = ? ORDER BY id",
                LinkRepository::map, tenantId, correlationId);
    }

    /**
     * One page of a sync's links in id order. Start with {@code afterId = 0} and pass the last id
     * of each page to get the next one.
     */
    public List<Link> listBySync(String tenantId, String syncId, long afterId, int limit) {
        Require.positive(limit, "limit");
        return jdbc.query("Listing links of sync " + syncId,
                "SELECT " + COLUMNS + " FROM links WHERE tenant_id = ? AND sync_id = ? AND id > ?"
                        + " ORDER BY id FETCH FIRST ? ROWS ONLY",
                LinkRepository::map, tenantId, syncId, afterId, limit);
    }

    private int refresh(Connection c, NewLink link) throws SQLException {
        return Jdbc.update(c, REFRESH, link.sideA().url(), link.sideB().url(), link.correlationId(),
                link.versionA(), link.versionB(), jdbc.now(), link.tenantId(), link.syncId(),
                link.sideA().connectionId(), link.sideA().recordId(),
                link.sideB().connectionId(), link.sideB().recordId());
    }

    private void insert(Connection c, NewLink link) throws SQLException {
        var now = jdbc.now();
        Jdbc.insert(c, "INSERT INTO links (tenant_id, sync_id, record_kind,"
                        + " a_system, a_connection_id, a_record_id, a_url, b_system, b_connection_id, b_record_id, b_url,"
                        + " correlation_id, a_version, b_version, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                link.tenantId(), link.syncId(), link.kind().dbValue(),
                link.sideA().system(), link.sideA().connectionId(), link.sideA().recordId(), link.sideA().url(),
                link.sideB().system(), link.sideB().connectionId(), link.sideB().recordId(), link.sideB().url(),
                link.correlationId(), link.versionA(), link.versionB(), now, now);
    }

    private static Optional<Link> findBySideA(Connection c, String tenantId, String syncId, String connectionId,
            String recordId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM links"
                        + " WHERE tenant_id = ? AND sync_id = ? AND a_connection_id = ? AND a_record_id = ?",
                LinkRepository::map, tenantId, syncId, connectionId, recordId);
    }

    private static String describe(RecordRef ref) {
        return ref.connectionId() + "/" + ref.recordId();
    }

    private static Link map(ResultSet rs) throws SQLException {
        return new Link(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("sync_id"),
                RecordKind.fromDb(rs.getString("record_kind")),
                new RecordRef(rs.getString("a_system"), rs.getString("a_connection_id"),
                        rs.getString("a_record_id"), rs.getString("a_url")),
                new RecordRef(rs.getString("b_system"), rs.getString("b_connection_id"),
                        rs.getString("b_record_id"), rs.getString("b_url")),
                rs.getString("correlation_id"),
                rs.getString("a_version"),
                rs.getString("b_version"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }
}
