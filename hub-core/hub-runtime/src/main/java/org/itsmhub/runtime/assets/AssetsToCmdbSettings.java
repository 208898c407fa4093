package org.itsmhub.runtime.assets;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.itsmhub.runtime.flow.SyncContext;

/**
 * The {@code assets-to-cmdb} flow parameters of one sync, parsed; see {@code routes/assets-to-cmdb.yaml}.
 *
 * @param sources        the asset source connections, in field-priority order
 * @param cmdb           the CMDB connection
 * @param staleAfter     how long an asset may go unseen before its CMDB item is marked stale
 * @param pageSize       records per read
 * @param firstSyncSince where a first read starts, or null for each connector's default
 */
record AssetsToCmdbSettings(List<String> sources, String cmdb, Duration staleAfter, int pageSize,
        Instant firstSyncSince) {

    static AssetsToCmdbSettings from(SyncContext sync) {
        List<String> sources = Arrays.stream(sync.requiredParameter("source-connections").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("source-connections names no connection");
        }
        int pageSize;
        try {
            pageSize = Integer.parseInt(sync.parameter("page-size", "100").trim());
        } catch (NumberFormatException e) {
            pageSize = 0;
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page-size must be a positive whole number, was '"
                    + sync.parameter("page-size", "") + "'");
        }
        String since = sync.parameter("first-sync-since", "");
        return new AssetsToCmdbSettings(sources, sync.requiredParameter("cmdb-connection").trim(),
                duration(sync.parameter("stale-after", "30d")), pageSize,
                since.isBlank() ? null : Instant.parse(since.trim()));
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or ISO-8601 ({@code P30D}, {@code PT12H}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 's' -> Duration.ofSeconds(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("stale-after must be a positive duration such as 30d, 12h or P30D, was '"
                    + text + "'");
        }
    }
}
