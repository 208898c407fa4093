package org.itsmhub.runtime.flow.finding;

import java.util.Map;
import java.util.stream.Collectors;

import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.Finding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a ticket says about one finding, kept with the finding's state so that a group's ticket can
 * be written without reading the source again. Holds nothing that changes from one observation to
 * the next of an unchanged problem (no "last seen"), so re-observing it never rewrites the ticket.
 *
 * @param title    the finding's title
 * @param severity the severity's name
 * @param asset    how a person names the affected asset, or null
 * @param section  the finding's part of the ticket text
 * @param source   where the finding was observed (e.g. the scan), shown with the section; it may name a
 *                 different record at each observation (another scan), so a change of source alone
 *                 never rewrites a ticket; null when unknown
 */
record FindingDigest(String title, String severity, String asset, String section, String source) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 2000;
    private static final int MAX_EVIDENCE_VALUE = 1000;

    static FindingDigest of(Finding f) {
        String asset = AssetKeys.label(f.asset());
        StringBuilder s = new StringBuilder();
        s.append(f.severity()).append(' ').append(words(f.kind().name())).append(": ").append(f.title()).append('\n');
        if (f.asset() != null) {
            s.append("Where: ").append(asset).append(" (").append(identity(f.asset())).append(")\n");
        }
        if (f.detail() != null && !f.detail().isBlank()) {
            s.append(cut(f.detail().strip(), MAX_DETAIL)).append('\n');
        }
        Map<String, String> evidence = f.evidence();
        if (!evidence.isEmpty()) {
            s.append("Evidence:\n");
            evidence.forEach((k, v) -> {
                if (!k.equals(Finding.OBSERVATION) && !k.equals(Finding.PROBLEM)) {
                    s.append("  ").append(k).append(": ").append(cut(v.strip(), MAX_EVIDENCE_VALUE).replace("\n", "\n    "))
                            .append('\n');
                }
            });
        }
        if (f.solution() != null && !f.solution().isBlank()) {
            s.append("Solution: ").append(cut(f.solution().strip(), MAX_DETAIL)).append('\n');
        }
        s.append("Finding key: ").append(f.key()).append('\n');
        String source = f.source() == null ? null : f.source().url() != null ? f.source().url()
                : f.source().system() + " " + f.source().connection() + "/" + f.source().id();
        return new FindingDigest(f.title(), f.severity().name(), asset, s.toString(), source);
    }

    /**
     * Whether two serialised digests say the same, ignoring where they were observed (the source
     * is serialised last, so the part before it is everything else).
     */
    static boolean sameText(String json, String otherJson) {
        return stable(json).equals(stable(otherJson));
    }

    private static String stable(String json) {
        int source = json.lastIndexOf(",\"source\":");
        return source < 0 ? json : json.substring(0, source);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a finding digest", e);
        }
    }

    static FindingDigest parse(String json) {
        try {
            return JSON.readValue(json, FindingDigest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored finding digest is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static String identity(AssetIdentity id) {
        StringBuilder s = new StringBuilder();
        append(s, "serial", id.serial());
        append(s, "FQDN", id.fqdn());
        append(s, "host", id.hostname());
        if (!id.macs().isEmpty()) {
            append(s, "MAC", String.join(", ", id.macs()));
        }
        if (!id.ips().isEmpty()) {
            append(s, "IP", String.join(", ", id.ips()) + (id.isWeak() ? " - IP only, weak evidence" : ""));
        }
        if (!id.vendorIds().isEmpty()) {
            append(s, "ids", id.vendorIds().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    private static void append(StringBuilder s, String name, String value) {
        if (value != null) {
            if (!s.isEmpty()) {
                s.append("; ");
            }
            s.append(name).append(' ').append(value);
        }
    }

    private static String words(String enumName) {
        return enumName.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " [...]";
    }
}
