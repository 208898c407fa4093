package org.itsmhub.runtime.flow.finding;

import java.util.Map;
import java.util.TreeMap;

import org.itsmhub.api.model.AssetIdentity;

/**
 * One text key per asset identity, from its strongest attribute (serial, vendor id, MAC, FQDN,
 * host name, IP), so the findings of one device on one source share a key across observations.
 */
final class AssetKeys {

    private AssetKeys() {
    }

    /** The key of an identity, or null for a finding that is not about one device. */
    static String of(AssetIdentity id) {
        if (id == null) {
            return null;
        }
        if (id.serial() != null) {
            return "serial:" + id.serial();
        }
        if (!id.vendorIds().isEmpty()) {
            Map.Entry<String, String> first = new TreeMap<>(id.vendorIds()).firstEntry();
            return "id:" + first.getKey() + "=" + first.getValue();
        }
        if (!id.macs().isEmpty()) {
            return "mac:" + id.macs().stream().sorted().findFirst().orElseThrow();
        }
        if (id.fqdn() != null) {
            return "fqdn:" + id.fqdn();
        }
        if (id.hostname() != null) {
            return "host:" + id.hostname();
        }
        return "ip:" + id.ips().stream().sorted().findFirst().orElseThrow();
    }

    /** How a person names the asset: host name or FQDN, else the strongest identifier. */
    static String label(AssetIdentity id) {
        if (id == null) {
            return null;
        }
        if (id.hostname() != null) {
            return id.hostname();
        }
        if (id.fqdn() != null) {
            return id.fqdn();
        }
        String key = of(id);
        return key.substring(key.indexOf(':') + 1);
    }
}
