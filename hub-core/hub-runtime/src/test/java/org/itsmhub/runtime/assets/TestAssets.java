package org.itsmhub.runtime.assets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;

/** Canonical assets as the Intune, Nessus and Veeam connectors make them, small enough to read in a test. */
final class TestAssets {

    static final Instant SEEN = Instant.parse("2026-11-20T08:00:00Z");

    private TestAssets() {
    }

    /** An Intune managed device: serial, device name, MACs as Graph spells them, Intune and Entra ids. */
    static Asset intune(String connection, String deviceId, String serial, String deviceName, String mac,
            String azureAdDeviceId) {
        Map<String, String> vendorIds = new LinkedHashMap<>();
        vendorIds.put("intuneDeviceId", deviceId);
        if (azureAdDeviceId != null) {
            vendorIds.put("azureAdDeviceId", azureAdDeviceId);
        }
        return new Asset(ExternalRef.of("intune", connection, deviceId),
                new AssetIdentity(serial, deviceName, null, mac == null ? List.of() : List.of(mac), List.of(), vendorIds),
                deviceName, "Windows", "10.0.22631", null, SEEN, Map.of("complianceState", "compliant"));
    }

    /** A Nessus host: MAC, FQDN, NetBIOS name and IP as the scan reports them. */
    static Asset nessus(String connection, String host, String mac, String fqdn, String netbios, String ip) {
        return new Asset(ExternalRef.of("nessus", connection, host),
                new AssetIdentity(null, netbios, fqdn, mac == null ? List.of() : List.of(mac),
                        ip == null ? List.of() : List.of(ip), Map.of()),
                fqdn != null ? fqdn : host, "Microsoft Windows 11", null, null, SEEN, Map.of("identity", "mac"));
    }

    /** Any source's device with a serial number and host name. */
    static Asset device(String system, String connection, String id, String serial, String hostname) {
        return new Asset(ExternalRef.of(system, connection, id),
                new AssetIdentity(serial, hostname, null, List.of(), List.of(), Map.of()), hostname, null, null, null,
                SEEN, Map.of());
    }

    static Asset withLastSeen(Asset a, Instant lastSeen) {
        return new Asset(a.ref(), a.identity(), a.name(), a.os(), a.osVersion(), a.owner(), lastSeen, a.attributes());
    }

    static Asset renamed(Asset a, String name) {
        return new Asset(a.ref(), a.identity(), name, a.os(), a.osVersion(), a.owner(), a.lastSeen(), a.attributes());
    }
}
