package org.itsmhub.api.connector;

import java.time.Instant;
import java.util.Map;

/**
 * What a sync asks a source for.
 *
 * <p>Where a read starts, in this order: the {@code cursor} when there is one (it is the position
 * of an earlier read of this stream; {@code since} is then ignored, so a stored position is never
 * rewound or skipped); else {@code since} when given; else the connector's configured default
 * look-back from now. {@link Connector#firstReadStart(Instant, Instant)} says which start a first
 * read uses. {@code since} is inclusive: a record changed exactly at {@code since} is returned. The
 * connector sends it in the vendor's own change filter (ServiceNow {@code sys_updated_on>=}, JQL
 * {@code updated >=}, Freshdesk {@code updated_since}, Nessus {@code last_modification_date}),
 * rounded down to the vendor's precision (seconds; minutes for JQL), and returns no record changed
 * before {@code since} even when the vendor's filter is coarser. Sources that read the vendor's whole
 * current state on every cycle (backup job states, device compliance) are not bounded by time and
 * ignore {@code since}; their {@code firstReadStart} is empty.
 *
 * @param cursor   where to continue, or null for a first read
 * @param filter   which records qualify, as flow parameters the connector documents (e.g.
 *                 {@code group}, {@code request.type}); never null
 * @param pageSize the most records to return in one page; the connector may return fewer
 * @param since    for a first read ({@code cursor == null}) only: the earliest change to return,
 *                 instead of the connector's configured default; null for the default. Ignored
 *                 when a cursor is given. Comes from {@code itsm-hub read --since} and the flows'
 *                 {@code first-sync-since}.
 * @since 0.1
 */
public record ReadRequest(Cursor cursor, Map<String, String> filter, int pageSize, Instant since) {

    /** A read without an explicit start time. */
    public ReadRequest(Cursor cursor, Map<String, String> filter, int pageSize) {
        this(cursor, filter, pageSize, null);
    }

    public ReadRequest {
        filter = filter == null ? Map.of() : Map.copyOf(filter);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
    }

    public static ReadRequest from(Cursor cursor) {
        return new ReadRequest(cursor, Map.of(), 100);
    }
}
