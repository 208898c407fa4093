package org.itsmhub.runtime.assets;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.itsmhub.api.model.Asset;
import org.itsmhub.runtime.assets.AssetRegisterRepository.Hit;

/**
 * A tenant's asset register: every source record (connection + record id) with its identity, matched
 * into register assets.
 *
 * <p>Matching, for each record read:
 * <ul>
 *   <li>the record's identifiers ({@link Identifier#of}) are looked up among the tenant's other
 *       records, never another tenant's. Serial numbers and vendor device ids are strongest, then
 *       MAC addresses, then FQDN, then host name; an IP address alone never merges anything;</li>
 *   <li>the record joins the asset it matches most strongly. When it matches several assets they are
 *       merged into the oldest (the transitive case), and the evidence says which attribute tied the
 *       record to each;</li>
 *   <li>an asset whose serial numbers differ from the record's (or, without serials on both sides,
 *       whose vendor id of some kind differs while no vendor id is shared) is never merged, whatever
 *       else they share; that is recorded as a conflict;</li>
 *   <li>a record read again unchanged costs one read; a changed record raises its asset's version,
 *       which is what the CMDB push looks at.</li>
 * </ul>
 * Each record is registered in one transaction. Registrations of one tenant are serialised on this
 * node, so two syncs feeding the same register cannot split one device into two assets.
 */
public final class AssetRegister {

    /** What registering one record did. */
    public enum Outcome {
        /** The record is the first of a new asset. */
        NEW_ASSET,
        /** A new record joined an existing asset. */
        JOINED,
        /** A known record changed. */
        CHANGED,
        /** A known record was read again without change. */
        UNCHANGED
    }

    /**
     * The result of registering one record.
     *
     * @param assetId    the asset the record is in now
     * @param mergedAway assets merged into it because of this record
     */
    public record Registered(long assetId, Outcome outcome, List<Long> mergedAway) {
    }

    private static final Map<String, ReentrantLock> TENANT_LOCKS = new ConcurrentHashMap<>();

    private final AssetRegisterRepository repository;

    public AssetRegister(AssetRegisterRepository repository) {
        this.repository = repository;
    }

    public AssetRegisterRepository repository() {
        return repository;
    }

    /**
     * Registers one source record of a tenant. The record's {@code ref} names its connection and the
     * vendor's id; together they identify the record.
     */
    public Registered register(String tenant, Asset asset) {
        ReentrantLock lock = TENANT_LOCKS.computeIfAbsent(tenant, t -> new ReentrantLock());
        lock.lock();
        try {
            return repository.inTransaction("Registering asset record " + asset.ref() + " of " + tenant,
                    c -> register(c, tenant, asset));
        } finally {
            lock.unlock();
        }
    }

    private Registered register(Connection c, String tenant, Asset asset) throws SQLException {
        String json = AssetJson.write(asset);
        String hash = AssetJson.hash(json);
        Instant now = repository.now();
        Instant seenAt = asset.lastSeen() != null ? asset.lastSeen().truncatedTo(ChronoUnit.MICROS) : now;
        String label = asset.ref().toString();
        Optional<SourceRecord> existing = repository.findRecord(c, tenant, asset.ref().connection(), asset.ref().id());
        if (existing.isPresent() && existing.get().contentHash().equals(hash)) {
            if (asset.lastSeen() == null) { // the source has no last-seen time: reading it again is seeing it
                repository.touchRecord(c, existing.get().pk(), seenAt);
                repository.touchAsset(c, tenant, existing.get().assetId(), seenAt);
            }
            return new Registered(existing.get().assetId(), Outcome.UNCHANGED, List.of());
        }
        List<Identifier> identifiers = Identifier.of(asset.identity());
        if (existing.isPresent()) {
            repository.replaceIdentifiers(c, tenant, existing.get().pk(), identifiers);
        }
        long ownPk = existing.map(SourceRecord::pk).orElse(-1L);
        List<Hit> hits = repository.findByIdentifiers(c, tenant, identifiers).stream()
                .filter(h -> h.recordPk() != ownPk)
                .sorted(Comparator.comparingInt((Hit h) -> h.identifier().rank()).thenComparingLong(Hit::assetId))
                .toList();
        Map<Long, Hit> strongest = new LinkedHashMap<>();
        Map<Long, Hit> ipOnly = new LinkedHashMap<>();
        for (Hit h : hits) {
            (h.identifier().merges() ? strongest : ipOnly).putIfAbsent(h.assetId(), h);
        }
        Long target = existing.map(SourceRecord::assetId).orElse(null);
        Set<Long> involved = new HashSet<>(strongest.keySet());
        if (target != null) {
            involved.add(target);
        }
        Map<Long, List<Identifier>> profiles = repository.identifiersOfAssets(c, tenant, involved);
        Profile merged = new Profile();
        merged.addAll(identifiers);
        if (target != null) {
            merged.addAll(profiles.getOrDefault(target, List.of()));
        }
        Outcome outcome = existing.isPresent() ? Outcome.CHANGED : null;
        List<Long> mergedAway = new ArrayList<>();
        List<Hit> conflicts = new ArrayList<>();
        List<String> conflictReasons = new ArrayList<>();
        Hit joinedBy = null;
        for (Hit hit : strongest.values()) {
            long other = hit.assetId();
            if (target != null && other == target) {
                continue;
            }
            if (mergedAway.contains(other)) {
                continue;
            }
            Profile theirs = new Profile();
            theirs.addAll(profiles.getOrDefault(other, List.of()));
            String conflict = merged.conflictWith(theirs);
            if (conflict != null) {
                conflicts.add(hit);
                conflictReasons.add(conflict);
                continue;
            }
            if (target == null) {
                target = other;
                outcome = Outcome.JOINED;
                joinedBy = hit;
            } else {
                long survivor = Math.min(target, other);
                long loser = Math.max(target, other);
                repository.merge(c, tenant, loser, survivor);
                repository.addEvidence(c, tenant, survivor, "merge", label, hit.identifier(), hit.recordRef(), loser,
                        "asset " + loser + " merged into asset " + survivor + ": same " + hit.identifier() + " as "
                                + hit.recordRef() + " of asset " + other + ", while matching asset " + target
                                + (joinedBy != null ? " by " + joinedBy.identifier() : ""));
                mergedAway.add(loser);
                target = survivor;
            }
            merged.addAll(theirs.identifiers);
        }
        if (target == null) {
            target = repository.createAsset(c, tenant, seenAt);
            outcome = Outcome.NEW_ASSET;
            boolean weak = identifiers.stream().noneMatch(Identifier::merges);
            repository.addEvidence(c, tenant, target, "new", label, null, null, null, weak
                    ? "identified by IP address only (weak): never merged with another record"
                    : "no other record of the tenant shares its serial number, vendor ids, MACs, FQDN or host name");
        } else if (joinedBy != null) {
            repository.addEvidence(c, tenant, target, "match", label, joinedBy.identifier(), joinedBy.recordRef(), null,
                    "joined asset " + target + ": same " + joinedBy.identifier() + " as " + joinedBy.recordRef());
        }
        for (int i = 0; i < conflicts.size(); i++) {
            Hit hit = conflicts.get(i);
            if (!repository.hasEvidence(c, tenant, "conflict", label, hit.identifier(), hit.assetId())) {
                repository.addEvidence(c, tenant, target, "conflict", label, hit.identifier(), hit.recordRef(),
                        hit.assetId(), "not merged with asset " + hit.assetId() + " although both have "
                                + hit.identifier() + ": " + conflictReasons.get(i));
            }
        }
        for (Hit hit : ipOnly.values()) {
            if (hit.assetId() != target && !strongest.containsKey(hit.assetId()) && !mergedAway.contains(hit.assetId())
                    && !repository.hasEvidence(c, tenant, "weak", label, hit.identifier(), hit.assetId())) {
                repository.addEvidence(c, tenant, target, "weak", label, hit.identifier(), hit.recordRef(),
                        hit.assetId(), "shares only " + hit.identifier() + " with asset " + hit.assetId()
                                + ": an IP address alone never merges");
            }
        }
        if (existing.isPresent()) {
            repository.updateRecord(c, existing.get().pk(), json, hash, seenAt);
        } else {
            long pk = repository.insertRecord(c, tenant, target, asset, json, hash, seenAt);
            repository.replaceIdentifiers(c, tenant, pk, identifiers);
        }
        repository.bumpVersion(c, tenant, target, seenAt);
        return new Registered(target, outcome, List.copyOf(mergedAway));
    }

    /** The strong identifiers of a set of records: what must agree for them to be one device. */
    private static final class Profile {
        private final Set<String> serials = new TreeSet<>();
        private final Map<String, Set<String>> vendorIds = new TreeMap<>();
        private final List<Identifier> identifiers = new ArrayList<>();

        void addAll(Collection<Identifier> ids) {
            for (Identifier id : ids) {
                identifiers.add(id);
                if (id.kind().equals(Identifier.SERIAL)) {
                    serials.add(id.value());
                } else if (id.kind().startsWith(Identifier.VENDOR_PREFIX)) {
                    vendorIds.computeIfAbsent(id.kind().substring(Identifier.VENDOR_PREFIX.length()),
                            k -> new TreeSet<>()).add(id.value());
                }
            }
        }

        /** Why these cannot be one device, or null when nothing strong disagrees. */
        String conflictWith(Profile other) {
            if (!serials.isEmpty() && !other.serials.isEmpty()) {
                return disjoint(serials, other.serials) ? "different serial numbers " + serials + " and "
                        + other.serials : null;
            }
            for (Map.Entry<String, Set<String>> v : vendorIds.entrySet()) {
                Set<String> theirs = other.vendorIds.get(v.getKey());
                if (theirs != null && !disjoint(v.getValue(), theirs)) {
                    return null; // one shared vendor id outweighs another kind that differs (a re-enrolment)
                }
            }
            for (Map.Entry<String, Set<String>> v : vendorIds.entrySet()) {
                Set<String> theirs = other.vendorIds.get(v.getKey());
                if (theirs != null && disjoint(v.getValue(), theirs)) {
                    return "different " + v.getKey() + " " + v.getValue() + " and " + theirs;
                }
            }
            return null;
        }

        private static boolean disjoint(Set<String> a, Set<String> b) {
            return a.stream().noneMatch(b::contains);
        }
    }
}
