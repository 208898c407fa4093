package org.itsmhub.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * A signal that something needs attention: a vulnerability, a failed or stale backup, a
 * non-compliant device.
 *
 * @param key        stable key: the same problem on the same thing always has the same key across
 *                   polls (e.g. asset identity + plugin id + port + protocol); never blank
 * @param kind       what it is about; never null
 * @param severity   how bad; never null
 * @param state      present or positively cleared in this observation; never null
 * @param title      one line a human understands; never blank
 * @param detail     longer description, or null
 * @param solution   the vendor's remediation text, or null
 * @param source     the source record (scan, job, device), or null
 * @param asset      the affected device, or null when the finding is not about one device
 * @param evidence   what was observed, in the order it should be shown (CVEs, CVSS, port, job
 *                   result, last run...)
 * @param firstSeen  first observation, or null when unknown
 * @param lastSeen   this observation; never null
 */
public record Finding(String key, FindingKind kind, Severity severity, FindingState state, String title,
        String detail, String solution, ExternalRef source, AssetIdentity asset, Map<String, String> evidence,
        Instant firstSeen, Instant lastSeen) {

    public Finding {
        Checks.notBlank(key, "key");
        Checks.notNull(kind, "kind");
        Checks.notNull(severity, "severity");
        Checks.notNull(state, "state");
        Checks.notBlank(title, "title");
        Checks.notNull(lastSeen, "lastSeen");
        evidence = Checks.copy(evidence);
    }
}
