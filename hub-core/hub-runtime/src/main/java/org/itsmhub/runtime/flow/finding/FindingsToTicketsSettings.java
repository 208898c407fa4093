package org.itsmhub.runtime.flow.finding;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.Level;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Severity;
import org.itsmhub.runtime.flow.FlowParameters;
import org.itsmhub.runtime.flow.SyncContext;

/**
 * The {@code findings-to-tickets} flow parameters of one sync, parsed; see
 * {@code routes/findings-to-tickets.yaml}.
 */
record FindingsToTicketsSettings(List<String> sourceConnections, String ticketConnection,
        Map<FindingKind, Severity> minSeverity, Grouping grouping, int clearAfter, Recurrence recurrence,
        boolean reopenClosedByHuman, Duration flapWindow, Pattern criticalAssets, Pattern lowImpactAssets,
        Map<String, Priority> priorityMatrix, Map<Priority, Duration> resolutionTargets, String assignmentGroup,
        int pageSize) {

    /** What happens when a problem comes back after its ticket was closed. */
    enum Recurrence {
        REOPEN, NEW_TICKET
    }

    static final String DEFAULT_MIN_SEVERITY = "low";
    static final String DEFAULT_RESOLUTION_TARGETS = "P1=4h,P2=1d,P3=3d,P4=7d";

    static FindingsToTicketsSettings from(SyncContext sync) {
        List<String> sources = FlowParameters.list(sync.requiredParameter("source-connections"));
        Map<FindingKind, Severity> minSeverity = minSeverity(sync.parameter("min-severity", DEFAULT_MIN_SEVERITY));
        int clearAfter = Integer.parseInt(sync.parameter("clear-after", "2").trim());
        if (clearAfter < 1) {
            throw new IllegalArgumentException("clear-after must be at least 1, was " + clearAfter);
        }
        Recurrence recurrence = switch (sync.parameter("recurrence", "reopen").trim()) {
            case "reopen" -> Recurrence.REOPEN;
            case "new-ticket" -> Recurrence.NEW_TICKET;
            default -> throw new IllegalArgumentException("recurrence must be reopen or new-ticket, was '"
                    + sync.parameter("recurrence", "") + "'");
        };
        Map<String, Priority> matrix = new java.util.HashMap<>();
        FlowParameters.pairs(sync.parameter("priority-matrix", "")).forEach((cell, p) -> {
            String[] iu = cell.toLowerCase(Locale.ROOT).split("/");
            if (iu.length != 2) {
                throw new IllegalArgumentException("priority-matrix: expected impact/urgency=P1..P4, was '" + cell + "'");
            }
            matrix.put(level(iu[0]).name() + "/" + level(iu[1]).name(), Priority.valueOf(p.toUpperCase(Locale.ROOT)));
        });
        Map<Priority, Duration> targets = new EnumMap<>(Priority.class);
        FlowParameters.pairs(DEFAULT_RESOLUTION_TARGETS).forEach((p, d) -> targets.put(Priority.valueOf(p),
                ConfigDef.parseDuration(d)));
        FlowParameters.pairs(sync.parameter("resolution-targets", "")).forEach((p, d) -> targets.put(
                Priority.valueOf(p.toUpperCase(Locale.ROOT)), ConfigDef.parseDuration(d)));
        return new FindingsToTicketsSettings(sources, sync.requiredParameter("ticket-connection"), minSeverity,
                Grouping.parse(sync.parameter("grouping", "finding")), clearAfter, recurrence,
                Boolean.parseBoolean(sync.parameter("reopen-closed-by-human", "false").trim()),
                ConfigDef.parseDuration(sync.parameter("flap-window", "7d").trim()),
                pattern(sync.parameter("critical-assets", "")), pattern(sync.parameter("low-impact-assets", "")),
                matrix, targets, blankToNull(sync.parameter("assignment-group", "")),
                Integer.parseInt(sync.parameter("page-size", "500").trim()));
    }

    /** Whether a finding of this kind and severity becomes a ticket. */
    boolean qualifies(FindingKind kind, Severity severity) {
        return severity.isAtLeast(minSeverity.get(kind));
    }

    /** The impact of a problem on this asset (host name, FQDN or, without an asset, the finding's title). */
    Level impactOf(String... names) {
        for (String name : names) {
            if (name != null && criticalAssets != null && criticalAssets.matcher(name).find()) {
                return Level.HIGH;
            }
        }
        for (String name : names) {
            if (name != null && lowImpactAssets != null && lowImpactAssets.matcher(name).find()) {
                return Level.LOW;
            }
        }
        return Level.MEDIUM;
    }

    /** Urgency follows severity: critical and high are urgent, medium medium, the rest low. */
    static Level urgencyOf(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> Level.HIGH;
            case MEDIUM -> Level.MEDIUM;
            case LOW, INFO -> Level.LOW;
        };
    }

    Priority priority(Level impact, Level urgency) {
        Priority override = priorityMatrix.get(impact.name() + "/" + urgency.name());
        return override != null ? override : Priority.fromImpactAndUrgency(impact, urgency);
    }

    /**
     * {@code low} (every kind) or per kind, e.g. {@code vulnerability=high, backup-failure=medium};
     * kinds not named keep the default.
     */
    private static Map<FindingKind, Severity> minSeverity(String text) {
        Map<FindingKind, Severity> out = new EnumMap<>(FindingKind.class);
        for (FindingKind kind : FindingKind.values()) {
            out.put(kind, Severity.LOW);
        }
        if (!text.contains("=")) {
            Severity all = severity(text);
            out.replaceAll((k, v) -> all);
            return out;
        }
        FlowParameters.pairs(text).forEach((kind, severity) -> out.put(kind(kind), severity(severity)));
        return out;
    }

    private static FindingKind kind(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FindingKind kind : FindingKind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("min-severity: unknown finding kind '" + text
                + "' (vulnerability, backup-failure, stale-backup, device-non-compliance)");
    }

    private static Severity severity(String text) {
        try {
            return Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be info, low, medium, high or critical, was '" + text
                    + "'");
        }
    }

    private static Level level(String text) {
        try {
            return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("level must be high, medium or low, was '" + text + "'");
        }
    }

    private static Pattern pattern(String text) {
        return text == null || text.isBlank() ? null : Pattern.compile(text.trim(), Pattern.CASE_INSENSITIVE);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
