package org.itsmhub.runtime.assets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One register asset with everything an admin wants to see of it: its merged view, its source
 * records, the evidence of every match and where it lives in CMDBs. Built for {@code itsm-hub assets}.
 */
public record ListedAsset(RegisterAsset asset, MergedAsset merged, List<SourceRecord> sources, List<Evidence> evidence,
        List<CmdbPush> cmdb) {

    /** The tenant's live assets, by id; merged-away assets are shown within their survivor's evidence. */
    public static List<ListedAsset> list(AssetRegisterRepository repository, String tenant) {
        Map<Long, List<SourceRecord>> records = repository.recordsByAsset(tenant);
        Map<Long, List<Evidence>> evidence = repository.evidenceByAsset(tenant);
        Map<Long, List<CmdbPush>> pushes = repository.pushesByAsset(tenant);
        List<ListedAsset> out = new ArrayList<>();
        for (RegisterAsset a : repository.liveAssets(tenant)) {
            List<SourceRecord> sources = records.getOrDefault(a.id(), List.of());
            if (sources.isEmpty()) {
                continue;
            }
            out.add(new ListedAsset(a, MergedAsset.of(a.id(), sources, List.of()), sources,
                    evidence.getOrDefault(a.id(), List.of()), pushes.getOrDefault(a.id(), List.of())));
        }
        return out;
    }

    /** This asset as one JSON object on one line. */
    public String toJsonLine() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", asset.id());
        json.put("tenant", asset.tenant());
        json.put("version", asset.version());
        json.put("name", merged.asset().name());
        json.put("identity", merged.asset().identity());
        json.put("os", merged.asset().os());
        json.put("lastSeen", merged.asset().lastSeen());
        json.put("seenAt", asset.seenAt());
        List<Map<String, Object>> src = new ArrayList<>();
        for (SourceRecord r : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", r.asset().ref());
            m.put("name", r.asset().name());
            m.put("identity", r.asset().identity());
            m.put("seenAt", r.seenAt());
            m.put("firstReadAt", r.firstReadAt());
            m.put("lastReadAt", r.lastReadAt());
            src.add(m);
        }
        json.put("sources", src);
        json.put("evidence", evidence);
        json.put("cmdb", cmdb);
        return AssetJson.write(json);
    }
}
