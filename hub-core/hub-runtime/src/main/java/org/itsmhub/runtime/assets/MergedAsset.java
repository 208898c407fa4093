package org.itsmhub.runtime.assets;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;

/**
 * One register asset as the CMDB gets it: its records merged into one canonical {@link Asset}.
 *
 * <p>For single-valued fields (serial, names, OS, owner) the first record that has a value wins, in
 * the order of the sync's {@code source-connections} (records of connections it does not name
 * come after, oldest first). MACs, IPs, vendor ids and attributes are united. The last-seen time is
 * the latest of all. The attribute {@code itsmhub.sources} lists the records.
 *
 * @param asset the merged asset; its ref is {@code itsmhub:register/<id>}
 * @param hash  what a push compares: the merged content with the last-seen time cut to the day, so
 *              a device checking in every hour is pushed at most once a day for that
 */
public record MergedAsset(Asset asset, String hash) {

    /** The system name in the merged asset's ref. */
    public static final String SYSTEM = "itsmhub";

    public static MergedAsset of(long assetId, List<SourceRecord> records, List<String> connectionOrder) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("asset " + assetId + " has no records");
        }
        List<SourceRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingInt((SourceRecord r) -> {
            int i = connectionOrder.indexOf(r.asset().ref().connection());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparingLong(SourceRecord::pk));
        String serial = null;
        String hostname = null;
        String fqdn = null;
        List<String> macs = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        Map<String, String> vendorIds = new LinkedHashMap<>();
        String name = null;
        String os = null;
        String osVersion = null;
        Person owner = null;
        Instant lastSeen = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (SourceRecord r : ordered) {
            Asset a = r.asset();
            AssetIdentity id = a.identity();
            serial = serial != null ? serial : id.serial();
            hostname = hostname != null ? hostname : id.hostname();
            fqdn = fqdn != null ? fqdn : id.fqdn();
            id.macs().stream().filter(m -> !macs.contains(m)).forEach(macs::add);
            id.ips().stream().filter(ip -> !ips.contains(ip)).forEach(ips::add);
            id.vendorIds().forEach(vendorIds::putIfAbsent);
            name = name != null ? name : a.name();
            if (os == null && a.os() != null) {
                os = a.os();
                osVersion = a.osVersion();
            }
            owner = owner != null ? owner : a.owner();
            if (a.lastSeen() != null && (lastSeen == null || a.lastSeen().isAfter(lastSeen))) {
                lastSeen = a.lastSeen();
            }
            a.attributes().forEach(attributes::putIfAbsent);
        }
        attributes.put("itsmhub.sources", ordered.stream().map(SourceRecord::label).collect(Collectors.joining(", ")));
        AssetIdentity identity = new AssetIdentity(serial, hostname, fqdn, macs, ips, vendorIds);
        ExternalRef ref = ExternalRef.of(SYSTEM, "register", Long.toString(assetId));
        Asset merged = new Asset(ref, identity, name != null ? name : hostname != null ? hostname : fqdn, os,
                osVersion, owner, lastSeen, attributes);
        Asset forHash = new Asset(ref, identity, merged.name(), os, osVersion, owner,
                lastSeen == null ? null : lastSeen.truncatedTo(ChronoUnit.DAYS), attributes);
        return new MergedAsset(merged, AssetJson.hash(AssetJson.write(forHash)));
    }
}
