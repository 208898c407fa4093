package org.itsmhub.plugin.nessus;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Severity;

/**
 * Maps one {@code ReportItem} to a vulnerability finding.
 *
 * <p>Key: {@code nessus:[TENANT/]BY=VALUE/PLUGIN/PORT/PROTOCOL}, e.g.
 * {@code nessus:acme/mac=08:00:27:8F:C3:B3/19506/0/tcp}, where {@code BY=VALUE} is the host's
 * strongest identity ({@link NessusAssetMapper.HostIdentity#keyPart()}) and the protocol is lower
 * case. Nessus reports a plugin several times on one port when it has several outputs (WAS: one per
 * URL; service detection: one per answer); those items are one finding with several instances and
 * share the key, their evidence numbering the instance.
 *
 * <p>One per import, not thread-safe: it remembers, per plugin id, the texts it mapped last.
 */
final class NessusFindingMapper {

    /** Plugin output beyond this many characters is cut (it can be megabytes: whole file listings). */
    static final int MAX_OUTPUT = 4_000;
    private static final Severity[] SEVERITIES = Severity.values();

    private final String tenant;
    private final ExternalRef source;
    /** Per plugin id, its texts as last seen and what they map to: the same for every host of a scan (speed only). */
    private final Map<String, Texts> texts = new HashMap<>();
    private NessusAssetMapper.HostIdentity keyedHost;
    private NessusReportItem keyedItem;
    private String lastKey;

    private record Texts(String synopsis, String description, String solution, String detail, String mappedSolution) {
    }

    /**
     * @param tenant the tenant, part of the key's scope, or null
     * @param source the scan the items come from
     */
    NessusFindingMapper(String tenant, ExternalRef source) {
        this.tenant = tenant == null || tenant.isBlank() ? null : tenant.trim();
        this.source = source;
    }

    static Severity severity(int nessusSeverity) {
        return SEVERITIES[nessusSeverity];
    }

    String key(NessusAssetMapper.HostIdentity id, NessusReportItem item) {
        if (item == keyedItem && id == keyedHost) { // the importer asks first, then toFinding
            return lastKey;
        }
        StringBuilder sb = new StringBuilder(64).append("nessus:");
        if (tenant != null) {
            sb.append(tenant).append('/');
        }
        lastKey = sb.append(id.keyPart()).append('/').append(item.pluginId()).append('/')
                .append(blankTo(item.port(), "0").trim()).append('/')
                .append(blankTo(item.protocol(), "none").trim().toLowerCase(Locale.ROOT)).toString();
        keyedHost = id;
        keyedItem = item;
        return lastKey;
    }

    /**
     * @param instance 1 for the first item with this key on the host, 2 for the next, ...
     * @param firstSeen HOST_START, or null
     * @param lastSeen  HOST_END (or the best time known); never null
     */
    Finding toFinding(NessusHost host, NessusAssetMapper.HostIdentity id, NessusReportItem item, int instance,
            Instant firstSeen, Instant lastSeen) {
        Map<String, String> evidence = new LinkedHashMap<>(32);
        evidence.put("identity", id.evidence());
        evidence.put("host", host.name());
        put(evidence, "host-ip", host.property("host-ip"));
        put(evidence, "port", item.port());
        put(evidence, "protocol", item.protocol());
        put(evidence, "service", item.svcName());
        evidence.put("plugin.id", item.pluginId());
        evidence.put(Finding.PROBLEM, "nessus-plugin-" + item.pluginId());
        put(evidence, "plugin.family", item.pluginFamily());
        if (!item.cves().isEmpty()) {
            evidence.put("cve", String.join(", ", item.cves()));
        }
        put(evidence, "cvss3.base", item.cvss3BaseScore());
        put(evidence, "cvss3.vector", item.cvss3Vector());
        put(evidence, "cvss2.base", item.cvssBaseScore());
        put(evidence, "risk.factor", item.riskFactor());
        if (instance > 1) {
            evidence.put("instance", Integer.toString(instance));
        }
        put(evidence, "plugin.output", trimOutput(item.pluginOutput(), item.pluginOutputLength()));
        String title = blankTo(item.pluginName(), "Nessus plugin " + item.pluginId()).trim();
        Texts t = texts(item);
        return new Finding(key(id, item), FindingKind.VULNERABILITY, severity(item.severity()), FindingState.PRESENT,
                title, t.detail(), t.mappedSolution(), source, id.identity(), evidence, firstSeen, lastSeen);
    }

    /** {@link #detail} and {@link #solution}, computed once per plugin id while its texts stay the same. */
    private Texts texts(NessusReportItem item) {
        Texts t = texts.get(item.pluginId());
        if (t == null || !Objects.equals(t.synopsis(), item.synopsis())
                || !Objects.equals(t.description(), item.description()) || !Objects.equals(t.solution(), item.solution())) {
            t = new Texts(item.synopsis(), item.description(), item.solution(), detail(item), solution(item.solution()));
            if (texts.size() < 10_000 || texts.containsKey(item.pluginId())) {
                texts.put(item.pluginId(), t);
            }
        }
        return t;
    }

    private static String detail(NessusReportItem item) {
        String synopsis = strip(item.synopsis());
        String description = strip(item.description());
        if (synopsis == null) {
            return description;
        }
        return description == null || description.equals(synopsis) ? synopsis : synopsis + "\n\n" + description;
    }

    private static String solution(String solution) {
        String s = strip(solution);
        return s == null || s.equalsIgnoreCase("n/a") ? null : s;
    }

    /**
     * The output, stripped and cut after {@link #MAX_OUTPUT} characters.
     *
     * @param output     the output or its beginning
     * @param fullLength the whole output's length in characters
     */
    static String trimOutput(String output, long fullLength) {
        if (output == null) {
            return null;
        }
        int leading = 0;
        while (leading < output.length() && Character.isWhitespace(output.charAt(leading))) {
            leading++;
        }
        String s = strip(output);
        if (s == null) {
            return null;
        }
        long rest = fullLength - leading - MAX_OUTPUT;
        if (s.length() <= MAX_OUTPUT && fullLength <= output.length()) {
            return s;
        }
        String kept = s.length() > MAX_OUTPUT ? s.substring(0, MAX_OUTPUT) : s;
        return kept + "\n[... " + Math.max(rest, 1) + " more characters cut]";
    }

    private static String strip(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.indexOf('\r') >= 0) { // Tenable.io writes &#xd; before every line break
            t = t.replace("\r\n", "\n").replace('\r', '\n');
        }
        return t.isEmpty() ? null : t;
    }

    private static String blankTo(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static void put(Map<String, String> map, String key, String value) {
        String v = strip(value);
        if (v != null) {
            map.put(key, v);
        }
    }
}
