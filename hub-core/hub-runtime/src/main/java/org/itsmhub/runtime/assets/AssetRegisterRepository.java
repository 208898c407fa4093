package org.itsmhub.runtime.assets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.store.Jdbc;

/**
 * Tables {@code asset_register}, {@code asset_records}, {@code asset_identifiers},
 * {@code asset_evidence} and {@code asset_pushes} (migration V5), on the store's data source.
 * Methods taking a {@link Connection} run inside the caller's {@link #inTransaction transaction};
 * the others borrow a connection of their own. Every query names its tenant.
 */
public final class AssetRegisterRepository {

    private static final String RECORD_COLUMNS = "id, asset_id, content, content_hash, seen_at, first_read_at,"
            + " last_read_at";
    private static final String ASSET_COLUMNS = "id, tenant_id, version, seen_at, merged_into, created_at, updated_at";
    private static final String EVIDENCE_COLUMNS = "id, asset_id, action, record_ref, attribute, attribute_value,"
            + " other_ref, other_asset_id, detail, occurred_at";
    private static final String PUSH_COLUMNS = "asset_id, sink_connection_id, correlation_id, pushed_version,"
            + " content_hash, ci_system, ci_id, ci_url, pushed_at, stale_marked_at";
    /** Most values bound in one IN list. */
    private static final int IN_CHUNK = 200;

    private final Jdbc jdbc;

    public AssetRegisterRepository(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource, clock);
    }

    /** Now, truncated to the microsecond precision both databases keep. */
    Instant now() {
        return jdbc.now();
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(String operation, Jdbc.Work<T> work) {
        return jdbc.inTransaction(operation, work);
    }

    private <T> T withConnection(String operation, Jdbc.Work<T> work) {
        return jdbc.withConnection(operation, work);
    }

    // --- records and identifiers ---------------------------------------------------------------

    Optional<SourceRecord> findRecord(Connection c, String tenant, String connection, String recordId)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + RECORD_COLUMNS + " FROM asset_records WHERE tenant_id = ? AND connection_id = ?"
                + " AND record_id = ?", AssetRegisterRepository::record, tenant, connection, recordId);
    }

    /** A hit of an identifier on a stored record. */
    record Hit(long recordPk, long assetId, Identifier identifier, String recordRef) {
    }

    /** The stored records that share any of the identifiers, with the asset each belongs to. */
    List<Hit> findByIdentifiers(Connection c, String tenant, Collection<Identifier> identifiers) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        for (Identifier id : identifiers) {
            hits.addAll(Jdbc.query(c, "SELECT i.record_pk, r.asset_id, r.system_name, r.connection_id, r.record_id"
                    + " FROM asset_identifiers i JOIN asset_records r ON r.id = i.record_pk"
                    + " WHERE i.tenant_id = ? AND i.kind = ? AND i.id_value = ? AND r.tenant_id = ? ORDER BY r.id",
                    rs -> new Hit(rs.getLong(1), rs.getLong(2), id, rs.getString(3) + ":" + rs.getString(4) + "/"
                            + rs.getString(5)), tenant, id.kind(), id.value(), tenant));
        }
        return hits;
    }

    /**
     * The identifiers of every record of the given assets, by asset. Two indexed lookups (records by
     * asset, identifiers by record) rather than one join, so that neither database is tempted to scan
     * the tenant's identifiers.
     */
    Map<Long, List<Identifier>> identifiersOfAssets(Connection c, String tenant, Collection<Long> assetIds)
            throws SQLException {
        Map<Long, Long> assetOfRecord = new LinkedHashMap<>();
        for (List<Long> chunk : chunks(List.copyOf(assetIds))) {
            for (long[] row : Jdbc.query(c, "SELECT id, asset_id FROM asset_records WHERE asset_id IN ("
                    + placeholders(chunk.size()) + ") AND tenant_id = ?", rs -> new long[] {rs.getLong(1),
                            rs.getLong(2)}, params(chunk, tenant))) {
                assetOfRecord.put(row[0], row[1]);
            }
        }
        Map<Long, List<Identifier>> byAsset = new LinkedHashMap<>();
        for (List<Long> chunk : chunks(List.copyOf(assetOfRecord.keySet()))) {
            for (Object[] row : Jdbc.query(c, "SELECT record_pk, kind, id_value FROM asset_identifiers WHERE record_pk IN ("
                    + placeholders(chunk.size()) + ") AND tenant_id = ?", rs -> new Object[] {rs.getLong(1),
                            rs.getString(2), rs.getString(3)}, params(chunk, tenant))) {
                byAsset.computeIfAbsent(assetOfRecord.get((Long) row[0]), k -> new ArrayList<>())
                        .add(new Identifier((String) row[1], (String) row[2]));
            }
        }
        return byAsset;
    }

    private static List<List<Long>> chunks(List<Long> ids) {
        List<List<Long>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + IN_CHUNK)));
        }
        return chunks;
    }

    private static Object[] params(List<Long> ids, String tenant) {
        Object[] params = new Object[ids.size() + 1];
        for (int i = 0; i < ids.size(); i++) {
            params[i] = ids.get(i);
        }
        params[ids.size()] = tenant;
        return params;
    }

    long insertRecord(Connection c, String tenant, long assetId, Asset asset, String json, String hash, Instant seenAt)
            throws SQLException {
        Instant now = now();
        return Jdbc.insert(c, "INSERT INTO asset_records (tenant_id, asset_id, system_name, connection_id, record_id,"
                + " content, content_hash, seen_at, first_read_at, last_read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenant, assetId, asset.ref().system(), asset.ref().connection(), asset.ref().id(), json, hash, seenAt,
                now, now);
    }

    void updateRecord(Connection c, long pk, String json, String hash, Instant seenAt) throws SQLException {
        Jdbc.update(c, "UPDATE asset_records SET content = ?, content_hash = ?, seen_at = ?, last_read_at = ? WHERE id = ?",
                json, hash, seenAt, now(), pk);
    }

    void touchRecord(Connection c, long pk, Instant seenAt) throws SQLException {
        Jdbc.update(c, "UPDATE asset_records SET seen_at = ?, last_read_at = ? WHERE id = ?", seenAt, now(), pk);
    }

    void replaceIdentifiers(Connection c, String tenant, long recordPk, List<Identifier> identifiers)
            throws SQLException {
        Jdbc.update(c, "DELETE FROM asset_identifiers WHERE record_pk = ?", recordPk);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO asset_identifiers (tenant_id, kind, id_value, record_pk) VALUES (?, ?, ?, ?)")) {
            for (Identifier id : identifiers) {
                Jdbc.bind(ps, tenant, id.kind(), id.value(), recordPk);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    List<SourceRecord> recordsOf(Connection c, String tenant, long assetId) throws SQLException {
        return Jdbc.query(c, "SELECT " + RECORD_COLUMNS + " FROM asset_records WHERE tenant_id = ? AND asset_id = ?"
                + " ORDER BY id", AssetRegisterRepository::record, tenant, assetId);
    }

    /** The records of a live asset, oldest first. */
    public List<SourceRecord> records(String tenant, long assetId) {
        return withConnection("Reading the records of asset " + tenant + "/" + assetId,
                c -> recordsOf(c, tenant, assetId));
    }

    // --- assets --------------------------------------------------------------------------------

    long createAsset(Connection c, String tenant, Instant seenAt) throws SQLException {
        Instant now = now();
        return Jdbc.insert(c, "INSERT INTO asset_register (tenant_id, version, seen_at, merged_into, created_at, updated_at)"
                + " VALUES (?, 1, ?, NULL, ?, ?)", tenant, seenAt, now, now);
    }

    /** A record of the asset changed: one version up, seen at the later of both times. */
    void bumpVersion(Connection c, String tenant, long assetId, Instant seenAt) throws SQLException {
        Jdbc.update(c, "UPDATE asset_register SET version = version + 1, updated_at = ?,"
                + " seen_at = CASE WHEN seen_at < ? THEN ? ELSE seen_at END WHERE tenant_id = ? AND id = ?",
                now(), seenAt, seenAt, tenant, assetId);
    }

    /** A source saw the asset again without any change. */
    void touchAsset(Connection c, String tenant, long assetId, Instant seenAt) throws SQLException {
        Jdbc.update(c, "UPDATE asset_register SET seen_at = ? WHERE tenant_id = ? AND id = ? AND seen_at < ?",
                seenAt, tenant, assetId, seenAt);
    }

    /**
     * Merges {@code loser} into {@code survivor}: its records and evidence move, its CMDB items move
     * too where the survivor has none on that connection (so the item keeps its correlation id and is
     * not created twice); the rest stay with the merged-away asset to be marked stale.
     */
    void merge(Connection c, String tenant, long loser, long survivor) throws SQLException {
        Optional<RegisterAsset> lost = Jdbc.queryOne(c, "SELECT " + ASSET_COLUMNS + " FROM asset_register WHERE tenant_id = ?"
                + " AND id = ?", AssetRegisterRepository::asset, tenant, loser);
        Jdbc.update(c, "UPDATE asset_records SET asset_id = ? WHERE tenant_id = ? AND asset_id = ?", survivor, tenant,
                loser);
        Jdbc.update(c, "UPDATE asset_evidence SET asset_id = ? WHERE tenant_id = ? AND asset_id = ?", survivor, tenant,
                loser);
        Jdbc.update(c, "UPDATE asset_pushes SET asset_id = ?, pushed_version = -1 WHERE tenant_id = ? AND asset_id = ?"
                + " AND sink_connection_id NOT IN (SELECT sink_connection_id FROM asset_pushes WHERE tenant_id = ?"
                + " AND asset_id = ?)", survivor, tenant, loser, tenant, survivor);
        Jdbc.update(c, "UPDATE asset_register SET merged_into = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                survivor, now(), tenant, loser);
        Jdbc.update(c, "UPDATE asset_register SET merged_into = ? WHERE tenant_id = ? AND merged_into = ?",
                survivor, tenant, loser);
        bumpVersion(c, tenant, survivor, lost.map(RegisterAsset::seenAt).orElse(Instant.EPOCH));
    }

    void addEvidence(Connection c, String tenant, long assetId, String action, String recordRef, Identifier matched,
            String otherRef, Long otherAssetId, String detail) throws SQLException {
        Jdbc.insert(c, "INSERT INTO asset_evidence (tenant_id, asset_id, action, record_ref, attribute, attribute_value,"
                + " other_ref, other_asset_id, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenant, assetId, action, recordRef, matched == null ? null : matched.kind(),
                matched == null ? null : matched.value(), otherRef, otherAssetId, detail, now());
    }

    /** Whether this exact observation is already on record (conflicts and weak hits are noted once). */
    boolean hasEvidence(Connection c, String tenant, String action, String recordRef, Identifier matched,
            Long otherAssetId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id FROM asset_evidence WHERE tenant_id = ? AND action = ? AND record_ref = ?"
                + " AND attribute = ? AND attribute_value = ? AND other_asset_id = ?", rs -> rs.getLong(1),
                tenant, action, recordRef, matched.kind(), matched.value(), otherAssetId).isPresent();
    }

    public Optional<RegisterAsset> asset(String tenant, long assetId) {
        return withConnection("Reading asset " + tenant + "/" + assetId, c -> Jdbc.queryOne(c, "SELECT " + ASSET_COLUMNS
                + " FROM asset_register WHERE tenant_id = ? AND id = ?", AssetRegisterRepository::asset, tenant,
                assetId));
    }

    /** The tenant's live assets (not merged away), by id. */
    public List<RegisterAsset> liveAssets(String tenant) {
        return withConnection("Listing the assets of " + tenant, c -> Jdbc.query(c, "SELECT " + ASSET_COLUMNS
                + " FROM asset_register WHERE tenant_id = ? AND merged_into IS NULL ORDER BY id",
                AssetRegisterRepository::asset, tenant));
    }

    /** Every record of the tenant's live assets, by asset id then record id. */
    public Map<Long, List<SourceRecord>> recordsByAsset(String tenant) {
        Map<Long, List<SourceRecord>> byAsset = new LinkedHashMap<>();
        withConnection("Reading the records of " + tenant, c -> Jdbc.query(c, "SELECT " + RECORD_COLUMNS
                + " FROM asset_records WHERE tenant_id = ? ORDER BY asset_id, id", AssetRegisterRepository::record,
                tenant)).forEach(r -> byAsset.computeIfAbsent(r.assetId(), k -> new ArrayList<>()).add(r));
        return byAsset;
    }

    /** The evidence of every asset of the tenant, by asset id, oldest first. */
    public Map<Long, List<Evidence>> evidenceByAsset(String tenant) {
        Map<Long, List<Evidence>> byAsset = new LinkedHashMap<>();
        withConnection("Reading the evidence of " + tenant, c -> Jdbc.query(c, "SELECT " + EVIDENCE_COLUMNS
                + " FROM asset_evidence WHERE tenant_id = ? ORDER BY asset_id, id", AssetRegisterRepository::evidence,
                tenant)).forEach(e -> byAsset.computeIfAbsent(e.assetId(), k -> new ArrayList<>()).add(e));
        return byAsset;
    }

    /** The CMDB items of every asset of the tenant, by asset id. */
    public Map<Long, List<CmdbPush>> pushesByAsset(String tenant) {
        Map<Long, List<CmdbPush>> byAsset = new LinkedHashMap<>();
        withConnection("Reading the pushes of " + tenant, c -> Jdbc.query(c, "SELECT " + PUSH_COLUMNS
                + " FROM asset_pushes WHERE tenant_id = ? ORDER BY asset_id, sink_connection_id",
                AssetRegisterRepository::push, tenant)).forEach(p -> byAsset.computeIfAbsent(p.assetId(),
                        k -> new ArrayList<>()).add(p));
        return byAsset;
    }

    public List<Evidence> evidence(String tenant, long assetId) {
        return withConnection("Reading the evidence of asset " + tenant + "/" + assetId, c -> Jdbc.query(c, "SELECT "
                + EVIDENCE_COLUMNS + " FROM asset_evidence WHERE tenant_id = ? AND asset_id = ? ORDER BY id",
                AssetRegisterRepository::evidence, tenant, assetId));
    }

    // --- pushes --------------------------------------------------------------------------------

    /** An asset whose current version was not yet pushed to a CMDB connection. */
    record Pending(long assetId, long version) {
    }

    List<Pending> pendingPushes(String tenant, String sink) {
        return withConnection("Finding assets to push for " + tenant + "/" + sink, c -> Jdbc.query(c,
                "SELECT a.id, a.version FROM asset_register a LEFT JOIN asset_pushes p ON p.tenant_id = a.tenant_id"
                        + " AND p.asset_id = a.id AND p.sink_connection_id = ? WHERE a.tenant_id = ?"
                        + " AND a.merged_into IS NULL AND (p.asset_id IS NULL OR p.pushed_version < a.version)"
                        + " ORDER BY a.id",
                rs -> new Pending(rs.getLong(1), rs.getLong(2)), sink, tenant));
    }

    public Optional<CmdbPush> push(String tenant, long assetId, String sink) {
        return withConnection("Reading the push of asset " + tenant + "/" + assetId, c -> Jdbc.queryOne(c, "SELECT "
                + PUSH_COLUMNS + " FROM asset_pushes WHERE tenant_id = ? AND asset_id = ? AND sink_connection_id = ?",
                AssetRegisterRepository::push, tenant, assetId, sink));
    }

    public List<CmdbPush> pushes(String tenant, long assetId) {
        return withConnection("Reading the pushes of asset " + tenant + "/" + assetId, c -> Jdbc.query(c, "SELECT "
                + PUSH_COLUMNS + " FROM asset_pushes WHERE tenant_id = ? AND asset_id = ? ORDER BY sink_connection_id",
                AssetRegisterRepository::push, tenant, assetId));
    }

    /** Stores what was pushed (or found unchanged) and where it lives. */
    public void savePush(String tenant, long assetId, String sink, String correlationId, long version, String hash,
            ExternalRef ci) {
        Instant now = now();
        inTransaction("Storing the push of asset " + tenant + "/" + assetId, c -> {
            int n = Jdbc.update(c, "UPDATE asset_pushes SET correlation_id = ?, pushed_version = ?, content_hash = ?,"
                    + " ci_system = ?, ci_id = ?, ci_url = ?, pushed_at = ? WHERE tenant_id = ? AND asset_id = ?"
                    + " AND sink_connection_id = ?", correlationId, version, hash, ci.system(), ci.id(), ci.url(), now,
                    tenant, assetId, sink);
            if (n == 0) {
                Jdbc.update(c, "INSERT INTO asset_pushes (tenant_id, asset_id, sink_connection_id, correlation_id,"
                        + " pushed_version, content_hash, ci_system, ci_id, ci_url, pushed_at, stale_marked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", tenant, assetId, sink, correlationId, version,
                        hash, ci.system(), ci.id(), ci.url(), now);
            }
            return null;
        });
    }

    /** The asset's content did not change for this CMDB: only the version is noted. */
    void markPushedVersion(String tenant, long assetId, String sink, long version) {
        withConnection("Noting the push of asset " + tenant + "/" + assetId, c -> Jdbc.update(c,
                "UPDATE asset_pushes SET pushed_version = ? WHERE tenant_id = ? AND asset_id = ?"
                        + " AND sink_connection_id = ?", version, tenant, assetId, sink));
    }

    /**
     * Items marked stale whose asset was seen again since {@code cutoff}: the mark is lifted and the
     * asset is pushed again, so the CMDB shows it current. Returns how many.
     */
    int liftStaleMarks(String tenant, String sink, Instant cutoff) {
        return withConnection("Lifting stale marks of " + tenant + "/" + sink, c -> Jdbc.update(c,
                "UPDATE asset_pushes SET stale_marked_at = NULL, pushed_version = -1, content_hash = 'resurfaced'"
                        + " WHERE tenant_id = ?"
                        + " AND sink_connection_id = ? AND stale_marked_at IS NOT NULL AND asset_id IN (SELECT id FROM"
                        + " asset_register WHERE tenant_id = ? AND merged_into IS NULL AND seen_at >= ?)",
                tenant, sink, tenant, cutoff));
    }

    /** A pushed item to mark stale, with why. */
    record StaleItem(CmdbPush push, Instant seenAt, Long mergedInto) {
    }

    /** Items of live assets unseen since {@code cutoff}, and of merged-away assets, not yet marked. */
    List<StaleItem> unmarkedStaleItems(String tenant, String sink, Instant cutoff) {
        return withConnection("Finding stale assets of " + tenant + "/" + sink, c -> Jdbc.query(c, "SELECT "
                + PUSH_COLUMNS.replace("asset_id", "p.asset_id") + ", a.seen_at AS asset_seen_at, a.merged_into"
                + " FROM asset_pushes p JOIN asset_register a ON a.id = p.asset_id AND a.tenant_id = p.tenant_id"
                + " WHERE p.tenant_id = ? AND p.sink_connection_id = ? AND p.stale_marked_at IS NULL"
                + " AND (a.merged_into IS NOT NULL OR a.seen_at < ?) ORDER BY p.asset_id",
                rs -> new StaleItem(push(rs), Jdbc.instant(rs, "asset_seen_at"),
                        rs.getObject("merged_into") == null ? null : rs.getLong("merged_into")),
                tenant, sink, cutoff));
    }

    void markStale(String tenant, long assetId, String sink) {
        withConnection("Marking asset " + tenant + "/" + assetId + " stale", c -> Jdbc.update(c,
                "UPDATE asset_pushes SET stale_marked_at = ? WHERE tenant_id = ? AND asset_id = ?"
                        + " AND sink_connection_id = ?", now(), tenant, assetId, sink));
    }

    // --- plumbing ------------------------------------------------------------------------------

    private static SourceRecord record(ResultSet rs) throws SQLException {
        return new SourceRecord(rs.getLong("id"), rs.getLong("asset_id"), AssetJson.read(rs.getString("content")),
                rs.getString("content_hash"), Jdbc.instant(rs, "seen_at"), Jdbc.instant(rs, "first_read_at"),
                Jdbc.instant(rs, "last_read_at"));
    }

    private static RegisterAsset asset(ResultSet rs) throws SQLException {
        Object merged = rs.getObject("merged_into");
        return new RegisterAsset(rs.getLong("id"), rs.getString("tenant_id"), rs.getLong("version"),
                Jdbc.instant(rs, "seen_at"), merged == null ? null : rs.getLong("merged_into"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static Evidence evidence(ResultSet rs) throws SQLException {
        Object other = rs.getObject("other_asset_id");
        return new Evidence(rs.getLong("id"), rs.getLong("asset_id"), rs.getString("action"),
                rs.getString("record_ref"), rs.getString("attribute"), rs.getString("attribute_value"),
                rs.getString("other_ref"), other == null ? null : rs.getLong("other_asset_id"), rs.getString("detail"),
                Jdbc.instant(rs, "occurred_at"));
    }

    private static CmdbPush push(ResultSet rs) throws SQLException {
        return new CmdbPush(rs.getLong("asset_id"), rs.getString("sink_connection_id"), rs.getString("correlation_id"),
                rs.getLong("pushed_version"), rs.getString("content_hash"), new ExternalRef(rs.getString("ci_system"),
                        rs.getString("sink_connection_id"), rs.getString("ci_id"), rs.getString("ci_url")),
                Jdbc.instant(rs, "pushed_at"), Jdbc.instant(rs, "stale_marked_at"));
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

}
