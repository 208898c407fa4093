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

    /**
     * Evidence key naming the observation a finding comes from (a scan run, a backup session, a
     * device check-in). Two reports with the same observation are one observation: a source polled
     * twice between two backup runs reports the same run twice, and the hub must not count it as
     * two. Without it, {@code source id @ lastSeen} names the observation.
     */
    public static final String OBSERVATION = "observation";

    /**
     * Evidence key naming the problem independently of the asset (e.g. a scanner's plugin id), so
     * that the same vulnerability on many hosts can be grouped into one ticket. Without it, the
     * title names the problem.
     */
    public static final String PROBLEM = "problem";

    public Finding {
        Checks.notBlank(key, "key");
        Checks.notNull(kind, "kind");
        Checks.notNull(severity, "severity");
        Checks.notNull(state, "state");
        Checks.notBlank(title, "title");
        Checks.notNull(lastSeen, "lastSeen");
        evidence = Checks.copy(evidence);
    }

    /** The observation this finding comes from; see {@link #OBSERVATION}. */
    public String observation() {
        String explicit = evidence.get(OBSERVATION);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        return (source == null ? "" : source.connection() + "/" + source.id()) + "@" + lastSeen;
    }

    /** The problem independently of the asset; see {@link #PROBLEM}. */
    public String problem() {
        String explicit = evidence.get(PROBLEM);
        return explicit != null && !explicit.isBlank() ? kind + ":" + explicit : kind + ":" + title;
    }
}
