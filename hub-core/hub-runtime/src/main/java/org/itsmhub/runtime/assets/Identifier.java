package org.itsmhub.runtime.assets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.model.AssetIdentity;

/**
 * One attribute value that identifies a device, as the register indexes it: {@code serial},
 * {@code vendor:<kind>} (e.g. {@code vendor:azureAdDeviceId}), {@code mac}, {@code fqdn},
 * {@code hostname} or {@code ip}.
 *
 * @param kind  the attribute
 * @param value its normalised value (serials upper case, vendor ids, names lower case, MACs as
 *              {@code AA:BB:CC:DD:EE:FF})
 */
public record Identifier(String kind, String value) {

    public static final String SERIAL = "serial";
    public static final String VENDOR_PREFIX = "vendor:";
    public static final String MAC = "mac";
    public static final String FQDN = "fqdn";
    public static final String HOSTNAME = "hostname";
    public static final String IP = "ip";

    /** Values vendors put where nothing identifies the device; they never match anything. */
    private static final Set<String> PLACEHOLDERS = Set.of("0", "none", "null", "unknown", "n/a", "na", "default",
            "default string", "to be filled by o.e.m.", "system serial number", "not specified", "123456789",
            "localhost", "localhost.localdomain", "00000000-0000-0000-0000-000000000000");

    /**
     * How strongly this attribute identifies a device: 0 serial and vendor ids, 1 MAC, 2 FQDN,
     * 3 host name; IP addresses are {@link Integer#MAX_VALUE} and never merge anything.
     */
    public int rank() {
        if (kind.equals(SERIAL) || kind.startsWith(VENDOR_PREFIX)) {
            return 0;
        }
        return switch (kind) {
            case MAC -> 1;
            case FQDN -> 2;
            case HOSTNAME -> 3;
            default -> Integer.MAX_VALUE;
        };
    }

    /** Whether a shared value of this attribute may put two records into one asset. */
    public boolean merges() {
        return rank() != Integer.MAX_VALUE;
    }

    /** Whether this is a serial number or a vendor device id. */
    public boolean strong() {
        return rank() == 0;
    }

    /** For evidence: {@code mac 00:1A:2B:3C:4D:5E}. */
    @Override
    public String toString() {
        return kind + " " + value;
    }

    /**
     * Everything that identifies a device, strongest first. A host name is also taken from the first
     * label of an FQDN, so an endpoint manager's device name meets a scanner's FQDN.
     */
    public static List<Identifier> of(AssetIdentity identity) {
        List<Identifier> out = new ArrayList<>();
        add(out, SERIAL, identity.serial() == null ? null : identity.serial().toUpperCase(Locale.ROOT));
        for (Map.Entry<String, String> v : identity.vendorIds().entrySet()) {
            add(out, VENDOR_PREFIX + v.getKey(), v.getValue() == null ? null : v.getValue().toLowerCase(Locale.ROOT));
        }
        identity.macs().forEach(m -> add(out, MAC, m));
        add(out, FQDN, identity.fqdn() != null && identity.fqdn().contains(".") ? identity.fqdn() : null);
        add(out, HOSTNAME, firstLabel(identity.hostname()));
        add(out, HOSTNAME, firstLabel(identity.fqdn()));
        identity.ips().forEach(ip -> add(out, IP, ip == null ? null : ip.trim().toLowerCase(Locale.ROOT)));
        return List.copyOf(out);
    }

    private static String firstLabel(String name) {
        if (name == null) {
            return null;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? name : dot == 0 ? null : name.substring(0, dot);
    }

    private static void add(List<Identifier> out, String kind, String value) {
        if (value == null || value.isBlank() || PLACEHOLDERS.contains(value.trim().toLowerCase(Locale.ROOT))) {
            return;
        }
        String v = value.trim();
        if (v.length() > 500) {
            v = v.substring(0, 500);
        }
        Identifier id = new Identifier(kind, v);
        if (!out.contains(id)) {
            out.add(id);
        }
    }
}
