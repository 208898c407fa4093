package org.itsmhub.plugin.veeam;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.veeam.dto.VeeamJobState;

/**
 * Job states to findings. Keys: {@code veeam:<server>:job:<job id>:backup-failure} (last run Failed:
 * HIGH, Warning: MEDIUM, Success: CLEARED) and {@code veeam:<server>:job:<job id>:stale-backup}
 * (last successful run older than the job's RPO: PRESENT, within it: CLEARED).
 */
final class VeeamFindingMapper {

    private final String server;
    private final String connection;

    VeeamFindingMapper(String server, String connection) {
        this.server = server;
        this.connection = connection;
    }

    String key(String jobId, FindingKind kind) {
        return "veeam:" + server + ":job:" + jobId + ":" + (kind == FindingKind.STALE_BACKUP ? "stale-backup" : "backup-failure");
    }

    /** The finding about the job's last result, or null when it says nothing (never ran, or running). */
    Finding lastResult(VeeamJobState job, Instant now) {
        String result = job.lastResult() == null ? "None" : capitalised(job.lastResult());
        Instant lastRun = instant(job.lastRun(), "lastRun of job " + job.id());
        Map<String, String> evidence = evidence(job);
        return switch (result) {
            case "Failed" -> finding(job, FindingKind.BACKUP_FAILURE, Severity.HIGH, FindingState.PRESENT,
                    "Backup job '" + job.name() + "' on " + server + " failed",
                    "The last run" + at(lastRun) + " of job '" + job.name() + "' ended with result Failed.",
                    "Open the job's last session in the VBR console, fix the cause and retry the job.",
                    evidence, lastRun, now);
            case "Warning" -> finding(job, FindingKind.BACKUP_FAILURE, Severity.MEDIUM, FindingState.PRESENT,
                    "Backup job '" + job.name() + "' on " + server + " ended with warnings",
                    "The last run" + at(lastRun) + " of job '" + job.name() + "' ended with result Warning; "
                            + "restore points may be incomplete.",
                    "Check the warnings of the job's last session in the VBR console.", evidence, lastRun, now);
            case "Success" -> finding(job, FindingKind.BACKUP_FAILURE, Severity.INFO, FindingState.CLEARED,
                    "Backup job '" + job.name() + "' on " + server + " succeeded",
                    "The last run" + at(lastRun) + " of job '" + job.name() + "' succeeded.", null, evidence,
                    null, now);
            default -> null;
        };
    }

    /**
     * The stale-backup finding: {@code lastSuccess} is the start of the newest successful run, or
     * null when none is on record; null when nothing can be said (no success, never ran).
     */
    Finding staleness(VeeamJobState job, Instant lastSuccess, Duration rpo, Instant now) {
        Map<String, String> evidence = evidence(job);
        evidence.put("rpo", rpo.toString());
        Instant lastRun = instant(job.lastRun(), "lastRun of job " + job.id());
        if (lastSuccess == null) {
            if (lastRun == null || !lastRun.isBefore(now.minus(rpo))) {
                return null; // never ran, or has not been around for one RPO: nothing observed yet
            }
            return finding(job, FindingKind.STALE_BACKUP, Severity.HIGH, FindingState.PRESENT,
                    "No recent backup for job '" + job.name() + "' on " + server,
                    "Job '" + job.name() + "' has no successful run on record; recovery point objective " + human(rpo) + ".",
                    "Run the job successfully (VBR console: Jobs > Start) and check its schedule.", evidence, null, now);
        }
        evidence.put("lastSuccess", lastSuccess.toString());
        Duration age = Duration.between(lastSuccess, now);
        if (age.compareTo(rpo) > 0) {
            return finding(job, FindingKind.STALE_BACKUP, Severity.HIGH, FindingState.PRESENT,
                    "Stale backup: job '" + job.name() + "' on " + server + " last succeeded " + human(age) + " ago",
                    "The last successful run of job '" + job.name() + "' started at " + lastSuccess
                            + ", older than its recovery point objective of " + human(rpo) + ".",
                    "Check the job's schedule and recent sessions; run it now if the RPO matters.", evidence,
                    lastSuccess.plus(rpo), now);
        }
        return finding(job, FindingKind.STALE_BACKUP, Severity.INFO, FindingState.CLEARED,
                "Backup of job '" + job.name() + "' on " + server + " is within its RPO",
                "The last successful run of job '" + job.name() + "' started at " + lastSuccess + ", within "
                        + human(rpo) + ".", null, evidence, null, now);
    }

    private Finding finding(VeeamJobState job, FindingKind kind, Severity severity, FindingState state, String title,
            String detail, String solution, Map<String, String> evidence, Instant firstSeen, Instant now) {
        ExternalRef source = ExternalRef.of(VeeamConnectorFactory.VENDOR, connection, job.id());
        return new Finding(key(job.id(), kind), kind, severity, state, title, detail, solution, source, null, evidence,
                firstSeen, now);
    }

    private Map<String, String> evidence(VeeamJobState job) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("server", server);
        put(e, "jobId", job.id());
        put(e, "jobName", job.name());
        put(e, "jobType", job.type());
        put(e, "status", job.status());
        put(e, "lastResult", job.lastResult());
        put(e, "lastRun", job.lastRun());
        put(e, "nextRun", job.nextRun());
        put(e, "sessionId", job.sessionId());
        put(e, "repositoryName", job.repositoryName());
        put(e, "workload", job.workload());
        // one backup run is one observation, however often the job states are polled in between
        put(e, Finding.OBSERVATION, job.sessionId() != null ? "session " + job.sessionId()
                : job.lastRun() != null ? "run " + job.lastRun() : null);
        return e;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /**
     * Whether a run is under way, so that {@code lastRun} is its start and {@code lastResult} belongs to the
     * run before. Every revision's form: 1.1 and 1.2 write {@code running}, 1.3 {@code Running},
     * {@code Starting} or {@code Stopping}.
     */
    static boolean inProgress(String status) {
        return status != null && Set.of("running", "starting", "stopping").contains(status.toLowerCase(Locale.ROOT));
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    static Instant instant(String value, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new DataMappingException("Veeam " + what + " is not an ISO-8601 time: '" + value + "'", e);
        }
    }

    private static String at(Instant when) {
        return when == null ? "" : " (started " + when + ")";
    }

    static String human(Duration d) {
        long hours = d.toHours();
        return hours >= 48 ? d.toDays() + " days" : hours >= 1 ? hours + " h" : d.toMinutes() + " min";
    }
}
