package org.itsmhub.plugin.nessus;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;

/**
 * Maps a {@code ReportHost} to an asset and decides what identifies it, in order of trust: MAC
 * address, FQDN, NetBIOS name, IP address (weak: DHCP moves IPs). The strongest attribute present
 * becomes the host part of every finding key ({@link HostIdentity#keyPart()}).
 */
final class NessusAssetMapper {

    /** "Wed Mar 23 15:07:52 2022", Nessus' HOST_START/HOST_END text (scanner local time, no zone). */
    private static final DateTimeFormatter NESSUS_TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
            Locale.ROOT);
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String connection;

    /** @param connection the connection id for asset refs ({@code import} for file imports) */
    NessusAssetMapper(String connection) {
        this.connection = connection;
    }

    /** What identifies a host, and which attribute the finding keys rest on. */
    record HostIdentity(AssetIdentity identity, String by, String value) {

        /** {@code mac=00:1A:2B:3C:4D:5E}, {@code fqdn=web01.example.com}, {@code netbios=web01}, {@code ip=10.0.0.1}. */
        String keyPart() {
            return by + "=" + value;
        }

        /** For evidence: {@code mac}, {@code fqdn}, {@code netbios} or {@code ip (weak)}. */
        String evidence() {
            return "ip".equals(by) ? "ip (weak)" : by;
        }
    }

    HostIdentity identify(NessusHost host) {
        List<String> macs = macs(host.property("mac-address"));
        String fqdn = hostOf(host.property("host-fqdn"));
        String netbios = lower(host.property("netbios-name"));
        String ip = host.property("host-ip");
        String name = host.name().isBlank() ? null : host.name().trim();
        if (ip == null && name != null && IPV4.matcher(name).matches()) {
            ip = name;
        }
        if (fqdn == null && netbios == null && ip == null && name != null) {
            fqdn = hostOf(name); // a WAS target or a host reported by name only
        }
        AssetIdentity identity = new AssetIdentity(null, netbios, fqdn, macs,
                ip == null ? List.of() : List.of(ip), Map.of());
        if (!identity.macs().isEmpty()) {
            // the smallest MAC, so that the key does not depend on the order Nessus lists interfaces in
            return new HostIdentity(identity, "mac", identity.macs().stream().sorted().findFirst().orElseThrow());
        }
        if (identity.fqdn() != null) {
            return new HostIdentity(identity, "fqdn", identity.fqdn());
        }
        if (identity.hostname() != null) {
            return new HostIdentity(identity, "netbios", identity.hostname());
        }
        return new HostIdentity(identity, "ip", identity.ips().get(0));
    }

    Asset toAsset(NessusHost host, HostIdentity id, Instant fallbackTime) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("report.host", host.name());
        attributes.put("identity", id.evidence());
        putIfPresent(attributes, "host-ip", host.property("host-ip"));
        putIfPresent(attributes, "host-fqdn", host.property("host-fqdn"));
        putIfPresent(attributes, "netbios-name", host.property("netbios-name"));
        putIfPresent(attributes, "system-type", host.property("system-type"));
        putIfPresent(attributes, "operating-system", host.property("operating-system"));
        String name = id.identity().fqdn() != null ? id.identity().fqdn()
                : id.identity().hostname() != null ? id.identity().hostname() : host.name();
        Instant end = time(host, "HOST_END");
        return new Asset(ExternalRef.of(NessusConnectorFactory.VENDOR, connection, host.name().isBlank()
                ? id.value() : host.name()), id.identity(), name, firstLine(host.property("operating-system")), null,
                null, end != null ? end : fallbackTime, attributes);
    }

    /**
     * HOST_START or HOST_END as an instant: {@code <TAG>_TIMESTAMP} (epoch seconds) when present, else the
     * text form ("Wed Mar 23 15:07:52 2022", read as UTC since Nessus writes no zone, or ISO-8601 as in
     * WAS exports); null when absent or unreadable.
     */
    static Instant time(NessusHost host, String tag) {
        String epoch = host.property(tag + "_TIMESTAMP");
        if (epoch != null && epoch.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(epoch));
        }
        String text = host.property(tag);
        if (text == null) {
            return null;
        }
        try {
            if (Character.isDigit(text.charAt(0))) {
                return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(text))
                        : OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(SPACES.matcher(text).replaceAll(" "), NESSUS_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** Every well-formed MAC in a mac-address property (one per line, or separated by spaces or commas). */
    static List<String> macs(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split("[\\s,;]+")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                String mac = AssetIdentity.normaliseMac(part);
                if (!mac.equals("00:00:00:00:00:00") && !out.contains(mac)) {
                    out.add(mac);
                }
            } catch (IllegalArgumentException e) {
                // not a MAC (Nessus sometimes writes notes there); ignore it rather than fail the host
            }
        }
        return out;
    }

    /** The host of a WAS target URL ({@code http://google.com/} → {@code google.com}), else the value itself. */
    private static String hostOf(String value) {
        if (value == null) {
            return null;
        }
        if (value.contains("://")) {
            try {
                String host = URI.create(value.trim()).getHost();
                return host == null ? lower(value) : lower(host);
            } catch (IllegalArgumentException e) {
                return lower(value);
            }
        }
        return lower(value);
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String value) {
        if (value == null) {
            return null;
        }
        int nl = value.indexOf('\n');
        return (nl < 0 ? value : value.substring(0, nl)).trim();
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value.trim());
        }
    }
}
