package org.itsmhub.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What identifies a device, from strongest to weakest: serial number and vendor device ids, MAC
 * addresses, FQDN and host name, IP addresses (weak: never enough on its own to merge two records).
 *
 * <p>MAC addresses are normalised to upper-case colon form ({@code 00:1A:2B:3C:4D:5E}) and host
 * names to lower case, so equal devices compare equal whatever the vendor's spelling.
 *
 * @param serial    hardware serial number, or null
 * @param hostname  short host name (NetBIOS or device name), lower case, or null
 * @param fqdn      fully qualified domain name, lower case, or null
 * @param macs      MAC addresses, normalised
 * @param ips       IP addresses as text
 * @param vendorIds ids other systems give the device, keyed by kind (e.g. {@code azureAdDeviceId})
 */
public record AssetIdentity(String serial, String hostname, String fqdn, List<String> macs, List<String> ips,
        Map<String, String> vendorIds) {

    public AssetIdentity {
        serial = blankToNull(serial);
        hostname = lower(hostname);
        fqdn = lower(fqdn);
        macs = normaliseMacs(macs);
        ips = Checks.copy(ips);
        vendorIds = Checks.copy(vendorIds);
        if (serial == null && hostname == null && fqdn == null && macs.isEmpty() && ips.isEmpty()
                && vendorIds.isEmpty()) {
            throw new IllegalArgumentException("an asset identity needs at least one identifying attribute");
        }
    }

    /** Whether only IP addresses identify this device: weak evidence. */
    public boolean isWeak() {
        return serial == null && hostname == null && fqdn == null && macs.isEmpty() && vendorIds.isEmpty();
    }

    /**
     * Normalises a MAC address to {@code AA:BB:CC:DD:EE:FF}; accepts colons, dashes, dots or none.
     *
     * @throws IllegalArgumentException when it is not 12 hex digits
     */
    public static String normaliseMac(String mac) {
        String hex = mac.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    private static List<String> normaliseMacs(List<String> macs) {
        if (macs == null || macs.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(macs.size());
        for (String mac : macs) {
            if (mac != null && !mac.isBlank()) {
                String normal = normaliseMac(mac);
                if (!out.contains(normal)) {
                    out.add(normal);
                }
            }
        }
        return List.copyOf(out);
    }

    private static String lower(String s) {
        String v = blankToNull(s);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
